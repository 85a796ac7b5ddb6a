/**
 * Builds a scenario's site in virtual mode and runs it: one VirtualClock, a trace of every line,
 * the site load, the emulated meters on their lines, the terminal (its real code) on the other
 * end, a network path with modelled latency, and the fake cloud. The terminal and the emulators
 * meet only on the lines and the network link, as real devices do.
 */
import { VirtualClock } from '../../core/clock/index.ts';
import { TraceRecorder } from '../../core/trace/index.ts';
import { setLogClock } from '../../core/log.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { traceTap } from '../../lines/trace-tap.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { findMeterProfile, loadMeterProfiles } from '../../emulators/meters/profile-loader.ts';
import type { MeterProfile } from '../../emulators/meters/profile-schema.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { IoPanel } from '../../emulators/site/io-panel.ts';
import { MainsSupply } from '../../emulators/site/mains.ts';
import { createModbusDevice, lineSettingsOf, type ModbusDevice } from '../../emulators/modbus/index.ts';
import { findModbusProfile, loadModbusProfiles } from '../../emulators/modbus/profile-loader.ts';
import { cellularDialers, createModem, type GsmModem } from '../../emulators/gsm-modem/index.ts';
import { CellularDialer, cellularSettingsFor, gsmLedState } from '../../terminal/cellular/index.ts';
import type { LinkDialer } from '../../lines/net/link.ts';
import type { SimEndpoint } from '../../lines/sim-endpoint.ts';
import type { ModbusProfile } from '../../emulators/modbus/profile-schema.ts';
import { FakeCloud } from '../../fake-cloud/index.ts';
import { parseTerminalConfig, type TerminalConfig } from '../../terminal/config.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import type { TerminalModel } from '../../terminal/models/schema.ts';
import { Terminal } from '../../terminal/terminal.ts';
import { powerCutFs, type PowerCutFs } from '../../terminal/uplink/index.ts';
import { memoryOutboxFs } from '../../terminal/uplink/outbox-memfs.ts';
import { validateSiteSpec, type MeterSpec, type SiteSpec, type ValidSiteSpec } from './site-spec.ts';

let profileCache: MeterProfile[] | undefined;
function profiles(): MeterProfile[] {
  return (profileCache ??= loadMeterProfiles().map((l) => l.profile));
}

type PortName = 'optical' | 'rs232' | 'rs485';

export class Site {
  readonly clock: VirtualClock;
  readonly trace = new TraceRecorder();
  /** The plant: what the site draws before any compensation (scenarios change it with overrides). */
  readonly load: SiteLoad;
  /** What meters and analyzers measure: the plant less the capacitor steps a relay switched in. */
  meteredLoad: SiteLoad;
  readonly meters: EmulatedMeter[] = [];
  readonly devices: ModbusDevice[] = [];
  /** The site's mains; a scheduled outage also switches the load off. */
  readonly mains: MainsSupply;
  /** IN1/IN2 contacts and C1/C2 loads of a GSM/4G terminal. */
  readonly io: IoPanel | undefined;
  private poweredOff = false;
  private bus: Rs485Bus | undefined;
  readonly cloud: FakeCloud;
  readonly model: TerminalModel;
  readonly config: TerminalConfig;
  terminal!: Terminal;
  /** Set when a timeline step or component fails; the run turns it into an error verdict. */
  failure: string | undefined;
  private readonly terminalPorts: Partial<Record<PortName, Endpoint>> = {};
  private networkDown: string | undefined;
  /** The terminal's flash: kept across restarts and power cuts of the terminal. */
  private readonly flash = memoryOutboxFs();
  private readonly storageDir = '/flash/outbox';
  private storageFs: PowerCutFs | undefined;
  private restarts = 0;
  /** The Ethernet path, or the modem's sockets (GSM/4G models). */
  private readonly network: MemoryDialer | undefined;
  /** The fake module of a GSM/4G model, and the terminal's end of its serial line. */
  modem: GsmModem | undefined;
  private modemPort: SimEndpoint | undefined;
  private cellular: CellularDialer | undefined;

  constructor(readonly spec: ValidSiteSpec, title: string) {
    this.clock = new VirtualClock(spec.start ? { start: Date.parse(spec.start) } : {});
    this.trace.add({ kind: 'header', version: 1, clock: 'virtual', start: this.clock.now(), title });
    this.load = new SiteLoad({ ...spec.load });
    this.meteredLoad = this.load;
    this.mains = new MainsSupply(this.clock, this.load);
    this.model = findTerminalModel(spec.terminal.model);
    this.io = this.model.io.inputs + this.model.io.outputs > 0 ? new IoPanel(this.clock, this.model.supply.kind === 'ac' ? { mains: this.mains } : {}) : undefined;
    this.mains.onChange((c) => {
      this.event('mains', c.present ? 'back' : 'outage');
      for (const m of this.meters) m.setPowered(c.present);
      if (c.present && this.poweredOff) this.clock.setTimer(2000, () => void this.clock.track(this.powerBack(), 'terminal boot'), 'terminal boot');
    });
    this.cloud = new FakeCloud({ clock: this.clock });
    if (this.model.uplink === 'ethernet') {
      this.network = new MemoryDialer(this.clock, this.cloud.uplink, `uplink/${spec.terminal.modemNo}`, { latencyMs: spec.network.latencyMs }, () => this.networkDown);
    } else {
      const c = spec.cellular;
      const settings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;
      const wire = new VirtualWire(this.clock, 'gsm', { id: 'gsm/terminal', settings }, { id: 'gsm/modem', settings });
      wire.tap(traceTap(this.trace));
      const curve = (dbm: number | null) => (dbm === null ? ({ kind: 'none' } as const) : ({ kind: 'constant', dbm } as const));
      this.modem = createModem({
        profile: c.module ?? (this.model.uplink === '4g' ? 'EC25' : 'SIM800C'),
        endpoint: wire.b,
        clock: this.clock,
        dialer: cellularDialers(this.clock, this.cloud.uplink, `uplink/${spec.terminal.modemNo}`, {}, () => this.networkDown),
        sim: { state: c.sim },
        radio: {
          gsm: c.flapping && c.gsmDbm !== null ? { kind: 'flapping', dbm: c.gsmDbm, upMin: c.flapping.upMin, downMin: c.flapping.downMin } : curve(c.gsmDbm),
          lte: curve(c.lteDbm),
          start: this.clock.now(),
        },
        note: this.note('gsm'),
      });
      this.modemPort = wire.a;
    }
    const slots: { optical?: object; rs232?: object; rs485: object[] } = { rs485: [] };
    if (spec.rs485 || spec.modbus) this.openBus(spec.rs485?.adapterEcho ?? false);
    const declared = spec.modbus ? this.modbusDevices(spec.modbus.devices) : [];
    if (spec.optical) slots.optical = this.wireMeter('optical', spec.optical);
    if (spec.rs232) slots.rs232 = this.wireMeter('rs232', spec.rs232);
    if (spec.rs485) slots.rs485 = this.busMeters(spec.rs485.meters);
    const secret = Array.from({ length: 32 }, (_, i) => ((i * 7 + Number(spec.terminal.modemNo)) % 16).toString(16)).join('');
    this.config = parseTerminalConfig(
      { modemNo: spec.terminal.modemNo, secret, sendPeriodMin: spec.terminal.sendPeriodMin, meters: slots, ...(spec.terminal.retries !== undefined ? { retries: spec.terminal.retries } : {}) },
      this.model,
      'site.terminal',
    );
    this.cloud.provisionModem({ modemNo: this.config.modemNo, secret, model: this.model.model });
    if (declared.length) this.cloud.service.setModbusDevices(this.config.modemNo, { devices: declared });
    this.cloud.uplink.onRecord((e) => {
      const body = e.record.body as { meterSerial?: string; name?: string; missing?: { reason: string } };
      this.event('cloud', e.duplicate ? 'record-resent' : 'record-stored', {
        seq: e.record.seq,
        kind: e.record.kind,
        ...(body.meterSerial ? { meter: body.meterSerial } : {}),
        ...(body.name ? { name: body.name } : {}),
        ...(body.missing ? { missing: body.missing.reason } : {}),
      });
    });
  }

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

  /** Cuts the network between the terminal and the cloud (open links drop at once). */
  setNetwork(up: boolean, reason = 'network outage'): void {
    this.networkDown = up ? undefined : reason;
    this.event('network', up ? 'up' : 'down', up ? undefined : { reason });
    if (!up) this.cloud.uplink.dropModem(this.config.modemNo, reason);
  }

  async start(): Promise<void> {
    await this.startTerminal();
  }

  /**
   * Restarts the terminal. `powerCut`: the supply fails at once, in the middle of whatever it
   * was doing (a write to its storage may be torn); otherwise it shuts down cleanly.
   */
  async restartTerminal(options: { powerCut?: boolean; offForMs?: number } = {}): Promise<void> {
    this.event('terminal', options.powerCut ? 'power-cut' : 'restart');
    if (options.powerCut) this.storageFs?.cutNow();
    await this.terminal.stop({ powerCut: options.powerCut ?? false });
    if (options.offForMs) await this.clock.sleep(options.offForMs);
    this.restarts++;
    await this.startTerminal();
  }

  /** The backup supply ran out in a mains outage: the terminal goes down until mains returns. */
  private async powerFail(): Promise<void> {
    this.poweredOff = true;
    this.event('terminal', 'power-fail');
    this.storageFs?.cutNow();
    await this.terminal.stop({ powerCut: true });
  }

  private async powerBack(): Promise<void> {
    if (!this.poweredOff) return;
    this.poweredOff = false;
    this.restarts++;
    await this.startTerminal();
  }

  /** Lets the simulated world finish what is in flight without moving time. */
  async settle(): Promise<void> {
    await this.clock.settle();
  }

  stats(): Record<string, number> {
    const readings = this.cloud.service.records(this.config.modemNo).length;
    return {
      meters: this.meters.length,
      pollCycles: this.terminal?.cycles ?? 0,
      cloudRecords: readings,
      terminalRestarts: this.restarts,
      traceRecords: this.trace.records.length,
      pendingRecords: this.terminal?.pendingRecords ?? 0,
    };
  }

  async dispose(): Promise<void> {
    await this.terminal?.stop({ powerCut: true }).catch(() => {});
    await this.cloud.stop().catch(() => {});
    for (const m of this.meters) m.dispose();
    for (const d of this.devices) d.dispose();
    this.modem?.dispose();
    this.mains.dispose();
    setLogClock(undefined);
  }

  /** The terminal's way to the cloud: Ethernet, or (GSM/4G) a new dialer on its modem. */
  private dialer(): LinkDialer {
    if (this.network) return this.network;
    const modem = this.modem!;
    this.cellular = new CellularDialer({
      endpoint: this.modemPort!,
      clock: this.clock,
      apn: { apn: 'm2m.example' },
      host: 'cloud.smartpower.example',
      port: 7001,
      ...cellularSettingsFor(this.model),
      powerCycle: () => modem.powerCycle(),
    });
    return this.cellular;
  }

  private async startTerminal(): Promise<void> {
    this.storageFs = powerCutFs(this.flash);
    this.terminal = new Terminal({
      clock: this.clock,
      model: this.model,
      config: this.config,
      ports: this.terminalPorts,
      dialer: this.dialer(),
      storageDir: this.storageDir,
      storageFs: this.storageFs,
      ...(this.io ? { io: this.io.pins } : {}),
      onPowerFail: () => void this.clock.track(this.powerFail(), 'power fail'),
    });
    const terminal = this.terminal;
    const cellular = this.cellular;
    cellular?.onStatus((st) => {
      terminal.leds.set('gsm', gsmLedState(st));
      this.event('modem', 'status', { state: st.state, sim: st.sim, registration: st.registration, technology: st.technology, dbm: st.signal?.dbm });
    });
    await this.clock.track(terminal.start(), 'terminal start');
    let last = '';
    const status = () => {
      const st = terminal.uplinkStatus()?.state ?? 'disconnected';
      if (st !== last && this.terminal === terminal) this.event('terminal', 'uplink', { state: st });
      last = st;
    };
    status();
    terminal.leds.onChange((c) => c.led === "internet" && status());
  }

  private profileFor(spec: MeterSpec, where: string): MeterProfile {
    const p = findMeterProfile(spec.brand, spec.model, profiles());
    if (!p) throw new Error(`${where}: no meter profile for brand '${spec.brand}'${spec.model ? ` model '${spec.model}'` : ''}`);
    return p;
  }

  private note(line: string): (text: string) => void {
    return (text) => this.trace.add({ kind: 'note', t: this.clock.now(), line, from: 'scenario', text });
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
