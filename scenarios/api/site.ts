/**
 * Builds a scenario's site in virtual mode and runs it: one VirtualClock, a trace of every line,
 * the site load, the emulated meters on their lines, the terminal (its real code) on the other
 * end, a network path with modelled latency, and the fake cloud. The terminal and the emulators
 * meet only on the lines and the network link, as real devices do.
 */
import { VirtualClock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { TraceRecorder } from '../../core/trace/index.ts';
import { setLogClock } from '../../core/log.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { traceTap } from '../../lines/trace-tap.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { findMeterProfile, loadMeterProfiles } from '../../emulators/meters/profile-loader.ts';
import type { MeterProfile } from '../../emulators/meters/profile-schema.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import type { DryContact } from '../../emulators/site/dry-contact.ts';
import type { IoPanel } from '../../emulators/site/io-panel.ts';
import { MainsSupply } from '../../emulators/site/mains.ts';
import { RelayDrivenLoad } from '../../emulators/site/relay-load.ts';
import { TankPlant } from '../../emulators/site/tank.ts';
import { createModbusDevice, lineSettingsOf, type ModbusDevice } from '../../emulators/modbus/index.ts';
import { findModbusProfile, loadModbusProfiles } from '../../emulators/modbus/profile-loader.ts';
import type { GsmModem } from '../../emulators/gsm-modem/index.ts';
import type { ModbusProfile } from '../../emulators/modbus/profile-schema.ts';
import { FakeCloud } from '../../fake-cloud/index.ts';
import type { TerminalConfig } from '../../terminal/config.ts';
import type { TerminalModel } from '../../terminal/models/schema.ts';
import type { Terminal } from '../../terminal/terminal.ts';
import { SiteTerminal, type PortName, type SiteWorld } from './site-terminal.ts';
import { validateSiteSpec, type MeterSpec, type SiteSpec, type ValidSiteSpec } from './site-spec.ts';

let profileCache: MeterProfile[] | undefined;
function profiles(): MeterProfile[] {
  return (profileCache ??= loadMeterProfiles().map((l) => l.profile));
}

export class Site implements SiteWorld {
  readonly clock: VirtualClock;
  readonly trace = new TraceRecorder();
  /** The plant: what the site draws before any compensation (scenarios change it with overrides). */
  readonly load: SiteLoad;
  /** What meters and analyzers measure: the plant less the capacitor steps a relay switched in. */
  meteredLoad: SiteLoad;
  readonly meters: EmulatedMeter[] = [];
  readonly devices: ModbusDevice[] = [];
  /** The site's mains (peers share it); a scheduled outage also switches the load off. */
  readonly mains: MainsSupply;
  private bus: Rs485Bus | undefined;
  readonly cloud: FakeCloud;
  /** The main terminal (the meters' and devices' one) first, then the peers. */
  readonly terminals: SiteTerminal[] = [];
  /** The well–tank plant, when the spec has one. */
  readonly tank: TankPlant | undefined;
  /** Set when a timeline step or component fails; the run turns it into an error verdict. */
  failure: string | undefined;
  private readonly terminalPorts: Partial<Record<PortName, Endpoint>> = {};

  constructor(readonly spec: ValidSiteSpec, title: string) {
    this.clock = new VirtualClock(spec.start ? { start: Date.parse(spec.start) } : {});
    this.trace.add({ kind: 'header', version: 1, clock: 'virtual', start: this.clock.now(), title });
    this.load = new SiteLoad({ ...spec.load });
    this.meteredLoad = this.load;
    this.mains = new MainsSupply(this.clock, this.load);
    this.mains.onChange((c) => {
      this.event('mains', c.present ? 'back' : 'outage');
      for (const m of this.meters) m.setPowered(c.present);
      if (c.present) for (const t of this.terminals) t.mainsBack();
    });
    this.cloud = new FakeCloud({ clock: this.clock });
    const wiring = new Map<string, { inputs: DryContact[]; outputs: RelayDrivenLoad[] }>();
    this.tank = spec.plant?.wellTank ? this.wellTank(spec.plant.wellTank, wiring) : undefined;
    const main = new SiteTerminal(this, {
      terminal: spec.terminal,
      cellular: spec.cellular,
      network: spec.network,
      ports: this.terminalPorts,
      ...(wiring.has(spec.terminal.modemNo) ? { wiring: wiring.get(spec.terminal.modemNo)! } : {}),
    });
    this.terminals.push(main);
    for (const [i, peer] of spec.peers.entries()) {
      if (this.terminals.some((t) => t.modemNo === peer.modemNo)) throw new InputError(`site.peers[${i}].modemNo`, `modem ${peer.modemNo} is already on this site`);
      this.terminals.push(
        new SiteTerminal(this, {
          terminal: peer,
          cellular: peer.cellular ?? spec.cellular,
          network: spec.network,
          label: peer.modemNo,
          ...(wiring.has(peer.modemNo) ? { wiring: wiring.get(peer.modemNo)! } : {}),
        }),
      );
    }
    const slots: { optical?: object; rs232?: object; rs485: object[] } = { rs485: [] };
    if (spec.rs485 || spec.modbus) this.openBus(spec.rs485?.adapterEcho ?? false);
    const declared = spec.modbus ? this.modbusDevices(spec.modbus.devices) : [];
    if (spec.optical) slots.optical = this.wireMeter('optical', spec.optical);
    if (spec.rs232) slots.rs232 = this.wireMeter('rs232', spec.rs232);
    if (spec.rs485) slots.rs485 = this.busMeters(spec.rs485.meters);
    main.setMeters(slots);
    if (declared.length) this.cloud.service.setModbusDevices(this.config.modemNo, { devices: declared });
    this.cloud.uplink.onRecord((e) => {
      const body = e.record.body as { meterSerial?: string; name?: string; missing?: { reason: string } };
      this.event('cloud', e.duplicate ? 'record-resent' : 'record-stored', {
        ...(this.terminals.length > 1 ? { modem: e.modemNo } : {}),
        seq: e.record.seq,
        kind: e.record.kind,
        ...(body.meterSerial ? { meter: body.meterSerial } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.missing ? { missing: body.missing.reason } : {}),
      });
    });
  }

  /** The main terminal: the one the site's meters and Modbus devices are wired to. */
  get main(): SiteTerminal {
    return this.terminals[0]!;
  }
  /** The main terminal's running code (a new object after each restart). */
  get terminal(): Terminal {
    return this.main.terminal;
  }
  get config(): TerminalConfig {
    return this.main.config;
  }
  get model(): TerminalModel {
    return this.main.model;
  }
  /** The main terminal's fake cellular module (GSM/4G models). */
  get modem(): GsmModem | undefined {
    return this.main.modem;
  }
  /** The main terminal's IN1/IN2 contacts and C1/C2 loads (GSM/4G models). */
  get io(): IoPanel | undefined {
    return this.main.io;
  }

  /** A terminal of the site by modem number (a bound function, so checks may destructure it). */
  readonly terminalOf = (modemNo: string): SiteTerminal => {
    const t = this.terminals.find((x) => x.modemNo === modemNo);
    if (!t) throw new Error(`no terminal ${modemNo} on this site (have ${this.terminals.map((x) => x.modemNo).join(', ')})`);
    return t;
  };

  /** A meter by serial (a bound function, so checks may destructure it). */
  readonly meter = (serial: string): EmulatedMeter => {
    const m = this.meters.find((x) => x.serial === serial);
    if (!m) throw new Error(`no meter with serial ${serial} on this site (have ${this.meters.map((x) => x.serial).join(', ')})`);
    return m;
  };

  /** A Modbus device by address. */
  readonly device = (address: number): ModbusDevice => {
    const d = this.devices.find((x) => x.address === address);
    if (!d) throw new Error(`no Modbus device at address ${address} on this site (have ${this.devices.map((x) => x.address).join(', ')})`);
    return d;
  };

  /** Writes an event on the trace's time axis. */
  event(source: string, name: string, data?: Record<string, unknown>): void {
    this.trace.add({ kind: 'event', t: this.clock.now(), source, name, ...(data ? { data } : {}) });
  }

  fail(text: string): void {
    this.failure ??= text;
  }

  /** Cuts the network between the main terminal and the cloud (open links drop at once). */
  setNetwork(up: boolean, reason = 'network outage'): void {
    this.main.setNetwork(up, reason);
  }

  async start(): Promise<void> {
    for (const t of this.terminals) await t.start();
  }

  /**
   * Restarts the main terminal. `powerCut`: the supply fails at once, in the middle of whatever
   * it was doing (a write to its storage may be torn); otherwise it shuts down cleanly.
   */
  async restartTerminal(options: { powerCut?: boolean; offForMs?: number } = {}): Promise<void> {
    await this.main.restart(options);
  }

  /** Lets the simulated world finish what is in flight without moving time. */
  async settle(): Promise<void> {
    await this.clock.settle();
  }

  stats(): Record<string, number> {
    const records = this.terminals.reduce((n, t) => n + this.cloud.service.records(t.modemNo).length, 0);
    return {
      meters: this.meters.length,
      ...(this.terminals.length > 1 ? { terminals: this.terminals.length } : {}),
      pollCycles: this.terminal?.cycles ?? 0,
      cloudRecords: records,
      terminalRestarts: this.terminals.reduce((n, t) => n + t.restarts, 0),
      traceRecords: this.trace.records.length,
      pendingRecords: this.terminals.reduce((n, t) => n + t.pendingRecords, 0),
    };
  }

  async dispose(): Promise<void> {
    for (const t of this.terminals) await t.dispose();
    await this.cloud.stop().catch(() => {});
    for (const m of this.meters) m.dispose();
    for (const d of this.devices) d.dispose();
    this.tank?.dispose();
    this.mains.dispose();
    setLogClock(undefined);
  }

  /** A trace note writer for a line. */
  note(line: string): (text: string) => void {
    return (text) => this.trace.add({ kind: 'note', t: this.clock.now(), line, from: 'scenario', text });
  }

  /** The tank's float on one modem's input drives the well pump on another modem's output. */
  private wellTank(spec: NonNullable<NonNullable<ValidSiteSpec['plant']>['wellTank']>, wiring: Map<string, { inputs: DryContact[]; outputs: RelayDrivenLoad[] }>): TankPlant {
    const at = (no: string) => {
      let w = wiring.get(no);
      if (!w) wiring.set(no, (w = { inputs: [], outputs: [] }));
      return w;
    };
    const pump = new RelayDrivenLoad(this.clock, 'well pump', spec.pump.kw);
    const { float: _f, pump: _p, ...tank } = spec;
    const plant = new TankPlant(this.clock, pump, tank);
    at(spec.float.modemNo).inputs[spec.float.input - 1] = plant.float;
    at(spec.pump.modemNo).outputs[spec.pump.output - 1] = pump;
    return plant;
  }

  private profileFor(spec: MeterSpec, where: string): MeterProfile {
    const p = findMeterProfile(spec.brand, spec.model, profiles());
    if (!p) throw new Error(`${where}: no meter profile for brand '${spec.brand}'${spec.model ? ` model '${spec.model}'` : ''}`);
    return p;
  }

  private wireMeter(port: 'optical' | 'rs232', spec: MeterSpec): object {
    const profile = this.profileFor(spec, `site.${port}`);
    const echo = port === 'optical' && profile.opticalEcho;
    const wire = new VirtualWire(this.clock, port, { id: `${port}/terminal`, settings: IEC_OPENING, echo }, { id: `${port}/meter`, settings: IEC_OPENING });
    wire.tap(traceTap(this.trace));
    const serial = spec.serial ?? profile.serialNumber.example;
    this.meters.push(new EmulatedMeter({ clock: this.clock, endpoint: wire.b, profile, serial, port, load: this.meteredLoad, initialKwh: spec.initialKwh, note: this.note(port) }));
    this.terminalPorts[port] = wire.a;
    return spec.registered ? { serial, brand: profile.brand } : {};
  }

  private openBus(adapterEcho: boolean): void {
    this.bus = new Rs485Bus(this.clock, 'rs485');
    this.bus.tap(traceTap(this.trace));
    this.terminalPorts.rs485 = this.bus.attach('terminal', { settings: IEC_OPENING, echo: adapterEcho });
  }

  /**
   * Attaches the Modbus devices, relays first: each relay's capacitor bank acts on the load the
   * later devices and the meters measure. Returns the devices to declare on the cloud.
   */
  private modbusDevices(specs: NonNullable<ValidSiteSpec['modbus']>['devices']): { address: number; type: string; model: string }[] {
    const profiles = modbusProfiles();
    const resolved = specs.map((spec, i) => {
      const p = findModbusProfile(spec.model, profiles);
      if (!p) throw new Error(`site.modbus.devices[${i}].model: no Modbus profile '${spec.model}'`);
      return { spec, profile: p };
    });
    resolved.sort((a, b) => Number(b.profile.class === 'compensation-relay') - Number(a.profile.class === 'compensation-relay'));
    const declared: { address: number; type: string; model: string }[] = [];
    for (const { spec, profile } of resolved) {
      const device = createModbusDevice({
        profile,
        ...(spec.address !== undefined ? { address: spec.address } : {}),
        ...(spec.serial !== undefined ? { serial: spec.serial } : {}),
        endpoint: this.bus!.attach(`modbus-${spec.address ?? spec.serial ?? this.devices.length + 1}-${this.devices.length + 1}`, { settings: lineSettingsOf(profile) }),
        clock: this.clock,
        load: this.meteredLoad,
        note: this.note('rs485'),
      });
      if (profile.class === 'compensation-relay') this.meteredLoad = device.siteLoad;
      this.devices.push(device);
      if (spec.declared) declared.push({ address: device.address, type: terminalType(profile), model: `${profile.vendor} ${profile.model}` });
    }
    return declared;
  }

  private busMeters(specs: MeterSpec[]): object[] {
    const bus = this.bus!;
    return specs.map((spec, i) => {
      const profile = this.profileFor(spec, `site.rs485.meters[${i}]`);
      const serial = spec.serial ?? uniqueSerial(profile.serialNumber.example, i);
      const ep = bus.attach(`meter-${serial}`, { settings: IEC_OPENING });
      const meter = new EmulatedMeter({ clock: this.clock, endpoint: ep, profile, serial, port: 'rs485', load: this.meteredLoad, initialKwh: spec.initialKwh + i * 137.5, note: this.note('rs485') });
      this.meters.push(meter);
      return spec.registered ? { serial, address: meter.engine.address, brand: profile.brand } : {};
    });
  }
}

let modbusProfileCache: ReturnType<typeof loadModbusProfiles> | undefined;
function modbusProfiles(): ReturnType<typeof loadModbusProfiles> {
  return (modbusProfileCache ??= loadModbusProfiles());
}

/** The device type the cloud's settings page uses for a profile's class. */
function terminalType(p: ModbusProfile): string {
  return { 'compensation-relay': 'compensation-relay', 'energy-analyzer': 'analyzer', 'io-module': 'io-module', sensor: 'sensor' }[p.class];
}

/** The profile's example serial with its last digits replaced by the position on the bus. */
function uniqueSerial(example: string, i: number): string {
  const tail = String(i + 1).padStart(2, '0');
  return example.slice(0, Math.max(0, example.length - tail.length)) + tail;
}

export async function buildSite(spec: SiteSpec, options: { title: string }): Promise<Site> {
  const site = new Site(validateSiteSpec(spec), options.title);
  setLogClock(site.clock);
  return site;
}
