/**
 * Builds a scenario's site and runs it: a clock, a trace of every line, the site load, the
 * emulated meters on their lines, the terminal (its real code) on the other end, a network path
 * to the fake cloud. The terminal and the emulators meet only on the lines and the network link,
 * as real devices do. The run's mode decides what the clock and the lines are (`line-factory.ts`):
 * virtual time and simulated lines, ptys on wall time, or a rig's ports with its physical devices.
 */
import { DEFAULT_VIRTUAL_START, VirtualClock, type Clock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { TraceRecorder } from '../../core/trace/index.ts';
import { setLogClock } from '../../core/log.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { IEC_OPENING, type LineSettings } from '../../lines/settings.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import type { DryContact } from '../../emulators/site/dry-contact.ts';
import type { IoPanel } from '../../emulators/site/io-panel.ts';
import { MainsSupply } from '../../emulators/site/mains.ts';
import { RelayDrivenLoad } from '../../emulators/site/relay-load.ts';
import { TankPlant } from '../../emulators/site/tank.ts';
import { createModbusDevice, lineSettingsOf, type ModbusDevice } from '../../emulators/modbus/index.ts';
import type { GsmModem } from '../../emulators/gsm-modem/index.ts';
import { FakeCloud } from '../../fake-cloud/index.ts';
import type { TerminalConfig } from '../../terminal/config.ts';
import type { TerminalModel } from '../../terminal/models/schema.ts';
import type { Terminal } from '../../terminal/terminal.ts';
import { SiteTerminal, type PortName, type SiteWorld } from './site-terminal.ts';
import { validateSiteSpec, type MeterSpec, type SiteSpec, type ValidSiteSpec } from './site-spec.ts';
import type { BusLine, DevicePlace, DeviceWant, LineFactory } from './line-factory.ts';
import type { Mode } from './scenario.ts';
import { virtualLines } from './virtual-lines.ts';
import { ptyLines } from './pty-lines.ts';
import { rigLines } from './rig-lines.ts';
import type { RigPlan } from './rig-plan.ts';
import { siteWants, terminalType, wantOf } from './site-wants.ts';

export { siteWants } from './site-wants.ts';

/** A device of the site that is a real one on the rig (rig mode): the terminal reads it, nothing emulates it. */
export interface PhysicalDevice {
  kind: 'meter' | 'modbus';
  /** The site's port (`optical`, `rs485`) and the rig port's id. */
  port: PortName;
  rigPort: string;
  serial?: string | undefined;
  address?: string | number | undefined;
  name?: string | undefined;
}

/** IEC 62056-21 mode C at its usual highest speed: a pty meter bus's timing. */
const IEC_FAST: LineSettings = Object.freeze({ baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 });

export class Site implements SiteWorld {
  readonly clock: Clock;
  readonly mode: Mode;
  /** The plant: what the site draws before any compensation (scenarios change it with overrides). */
  readonly load: SiteLoad;
  /** What meters and analyzers measure: the plant less the capacitor steps a relay switched in. */
  meteredLoad: SiteLoad;
  readonly meters: EmulatedMeter[] = [];
  readonly devices: ModbusDevice[] = [];
  /** Devices the rig has physically (rig mode); empty otherwise. */
  readonly physical: PhysicalDevice[] = [];
  /** The site's mains (peers share it); a scheduled outage also switches the load off. */
  readonly mains: MainsSupply;
  private bus: BusLine | undefined;
  readonly cloud: FakeCloud;
  /** The main terminal (the meters' and devices' one) first, then the peers. */
  readonly terminals: SiteTerminal[] = [];
  /** The well–tank plant, when the spec has one. */
  readonly tank: TankPlant | undefined;
  private readonly wiring = new Map<string, { inputs: DryContact[]; outputs: RelayDrivenLoad[] }>();
  /** Set when a timeline step or component fails; the run turns it into an error verdict. */
  failure: string | undefined;
  private endNow: () => void = () => {};
  private readonly ended = new Promise<void>((resolve) => (this.endNow = resolve));
  private readonly terminalPorts: Partial<Record<PortName, Endpoint>> = {};

  private constructor(
    readonly spec: ValidSiteSpec,
    title: string,
    /** The mode's clock, lines and network paths. */
    readonly lines: LineFactory,
    /** Every line's traffic and the site's events; the lines tap into it. */
    readonly trace: TraceRecorder,
  ) {
    this.clock = lines.clock;
    this.mode = lines.mode;
    this.trace.add({ kind: 'header', version: 1, clock: this.clock.virtual ? 'virtual' : 'real', start: this.clock.now(), title });
    this.load = new SiteLoad({ ...spec.load });
    this.meteredLoad = this.load;
    this.mains = new MainsSupply(this.clock, this.load);
    this.mains.onChange((c) => {
      this.event('mains', c.present ? 'back' : 'outage');
      for (const m of this.meters) m.setPowered(c.present);
      if (c.present) for (const t of this.terminals) t.mainsBack();
    });
    this.cloud = new FakeCloud({ clock: this.clock });
    this.tank = spec.plant?.wellTank ? this.wellTank(spec.plant.wellTank, this.wiring) : undefined;
    // Alarms and the notifications they send, on the same time axis as the lines.
    this.cloud.alarms.onTransition((t) => this.event('cloud', `alarm-${t.transition}`, { modem: t.alarm.modemNo, rule: t.alarm.rule, subject: t.alarm.subject }));
    this.cloud.notifier.onSent((n) => this.event('notify', `${n.channel === 'email' ? 'mail' : 'sms'}-sent`, { to: n.recipient, alarm: n.alarmId, transition: n.transition }));
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

  /** Builds the site on the mode's lines; on failure, whatever was opened is closed again. */
  static async build(spec: ValidSiteSpec, title: string, lines: LineFactory, trace: TraceRecorder): Promise<Site> {
    const site = new Site(spec, title, lines, trace);
    try {
      await site.wire();
    } catch (err) {
      await site.dispose().catch(() => {});
      throw err;
    }
    return site;
  }

  /** The terminals, their lines and the devices on them. */
  private async wire(): Promise<void> {
    const { spec, wiring } = this;
    await this.lines.connectCloud(this.cloud);
    const main = await SiteTerminal.create(this, {
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
        await SiteTerminal.create(this, {
          terminal: peer,
          cellular: peer.cellular ?? spec.cellular,
          network: spec.network,
          label: peer.modemNo,
          ...(wiring.has(peer.modemNo) ? { wiring: wiring.get(peer.modemNo)! } : {}),
        }),
      );
    }
    const slots: { optical?: object; rs232?: object; rs485: object[] } = { rs485: [] };
    const wants = siteWants(spec);
    if (spec.rs485 || spec.modbus) await this.openBus(spec.rs485?.adapterEcho ?? false, wants);
    const declared = spec.modbus ? await this.modbusDevices(spec.modbus.devices, wants) : [];
    if (spec.optical) slots.optical = await this.wireMeter('optical', spec.optical, wants);
    if (spec.rs232) slots.rs232 = await this.wireMeter('rs232', spec.rs232, wants);
    if (spec.rs485) slots.rs485 = await this.busMeters(spec.rs485.meters, wants);
    main.setMeters(slots);
    if (declared.length) this.cloud.service.setModbusDevices(this.config.modemNo, { devices: declared });
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

  /**
   * Lets the world finish what is in flight: virtual time stands still while it does; on a wall
   * clock, a short wait for bytes and records on their way.
   */
  async settle(): Promise<void> {
    if (this.clock instanceof VirtualClock) await this.clock.settle();
    else await this.clock.sleep(50);
  }

  /**
   * Runs the site until clock time `t`: virtual time jumps there; a wall clock waits for it, or
   * until a timeline step calls `endRun()`.
   */
  async runUntil(t: number): Promise<void> {
    if (this.clock instanceof VirtualClock) return this.clock.runUntil(t);
    const left = t - this.clock.now();
    if (left <= 0) return;
    const stop = new AbortController();
    await Promise.race([this.clock.sleep(left, stop.signal).catch(() => {}), this.ended]);
    stop.abort();
  }

  /**
   * Ends a real-time run (pty, rig) now rather than at its `runFor`: a timeline step calls it
   * once what the scenario waits for has happened, and the expectations are checked at once.
   * A virtual run ignores it and runs its whole `runFor`, so its result does not depend on it.
   */
  endRun(): void {
    this.event('scenario', 'end-run');
    this.endNow();
  }

  /**
   * Resolves once `condition` holds, checking it now and every `everyMs` of clock time (default
   * 100); rejects after `withinMs` (default: never), naming `label`.
   */
  async waitFor(condition: () => boolean, options: { everyMs?: number; withinMs?: number; label?: string } = {}): Promise<void> {
    const began = this.clock.now();
    while (!condition()) {
      if (options.withinMs !== undefined && this.clock.now() - began >= options.withinMs) {
        throw new Error(`${options.label ?? 'condition'} did not hold within ${options.withinMs} ms`);
      }
      await this.clock.sleep(options.everyMs ?? 100);
    }
  }

  /** Serial numbers of the meters in the main terminal's configuration, per port. */
  configuredMeters(): { port: PortName; serial: string }[] {
    const m = this.config.meters;
    const out: { port: PortName; serial: string }[] = [];
    if (m.optical?.serial) out.push({ port: 'optical', serial: m.optical.serial });
    if (m.rs232?.serial) out.push({ port: 'rs232', serial: m.rs232.serial });
    for (const x of m.rs485) if (x.serial) out.push({ port: 'rs485', serial: x.serial });
    return out;
  }

  stats(): Record<string, number> {
    const records = this.terminals.reduce((n, t) => n + this.cloud.service.records(t.modemNo).length, 0);
    return {
      meters: this.meters.length,
      ...(this.physical.length ? { physicalDevices: this.physical.length } : {}),
      ...(this.terminals.length > 1 ? { terminals: this.terminals.length } : {}),
      pollCycles: this.terminal?.cycles ?? 0,
      cloudRecords: records,
      terminalRestarts: this.terminals.reduce((n, t) => n + t.restarts, 0),
      traceRecords: this.trace.records.length,
      pendingRecords: this.terminals.reduce((n, t) => n + t.pendingRecords, 0),
    };
  }

  /** Stops the terminals, the cloud and the emulators, then closes the lines (ports, socat, hubs). */
  async dispose(): Promise<void> {
    try {
      for (const t of this.terminals) await t.dispose();
      await this.cloud.stop().catch(() => {});
      for (const m of this.meters) m.dispose();
      for (const d of this.devices) d.dispose();
      this.tank?.dispose();
      this.mains.dispose();
    } finally {
      await this.lines.close();
      setLogClock(undefined);
    }
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

  private async wireMeter(port: 'optical' | 'rs232', spec: MeterSpec, wants: DeviceWant[]): Promise<object> {
    const want = wantOf(wants, (w) => w.kind === 'meter' && w.port === port) as Extract<DeviceWant, { kind: 'meter' }> & { port: typeof port };
    const { profile, serial } = want;
    const echo = port === 'optical' && profile.opticalEcho;
    const line = await this.lines.meterLine(want, { echo, settings: IEC_OPENING });
    this.terminalPorts[port] = line.terminal;
    if (line.device.kind === 'physical') return spec.registered ? { serial: this.physicalAt(port, 'meter', line.device) ?? serial, brand: profile.brand } : {};
    this.meters.push(new EmulatedMeter({ clock: this.clock, endpoint: line.device.endpoint, profile, serial, port, load: this.meteredLoad, initialKwh: spec.initialKwh, note: this.note(port) }));
    return spec.registered ? { serial, brand: profile.brand } : {};
  }

  private async openBus(adapterEcho: boolean, wants: DeviceWant[]): Promise<void> {
    const modbus = wants.find((w): w is Extract<DeviceWant, { kind: 'modbus' }> => w.kind === 'modbus');
    const busSettings = modbus ? lineSettingsOf(modbus.profile) : IEC_FAST;
    this.bus = await this.lines.bus({ line: 'rs485', terminalSettings: IEC_OPENING, busSettings, adapterEcho });
    this.terminalPorts.rs485 = this.bus.terminal;
  }

  /** Notes a device the rig has physically; returns its serial. */
  private physicalAt(port: PortName, kind: PhysicalDevice['kind'], place: Extract<DevicePlace, { kind: 'physical' }>): string | undefined {
    this.physical.push({ kind, port, rigPort: place.port, serial: place.serial, address: place.address, name: place.name });
    this.event('rig', 'physical-device', { kind, port, rigPort: place.port, ...(place.serial ? { serial: place.serial } : {}), ...(place.address !== undefined ? { address: place.address } : {}) });
    return place.serial;
  }

  /**
   * Attaches the Modbus devices, relays first: each relay's capacitor bank acts on the load the
   * later devices and the meters measure. Returns the devices to declare on the cloud.
   */
  private async modbusDevices(specs: NonNullable<ValidSiteSpec['modbus']>['devices'], wants: DeviceWant[]): Promise<{ address: number; type: string; model: string }[]> {
    const resolved = specs.map((spec, i) => ({ spec, want: wantOf(wants, (w) => w.kind === 'modbus' && w.index === i) as Extract<DeviceWant, { kind: 'modbus' }> }));
    resolved.sort((a, b) => Number(b.want.profile.class === 'compensation-relay') - Number(a.want.profile.class === 'compensation-relay'));
    const declared: { address: number; type: string; model: string }[] = [];
    for (const { spec, want } of resolved) {
      const profile = want.profile;
      const place = await this.bus!.place(want, `modbus-${spec.address ?? spec.serial ?? this.devices.length + 1}-${this.devices.length + 1}`, lineSettingsOf(profile));
      const model = `${profile.vendor} ${profile.model}`;
      if (place.kind === 'physical') {
        this.physicalAt('rs485', 'modbus', place);
        if (spec.declared && typeof place.address === 'number') declared.push({ address: place.address, type: terminalType(profile), model });
        continue;
      }
      const device = createModbusDevice({
        profile,
        ...(spec.address !== undefined ? { address: spec.address } : {}),
        ...(spec.serial !== undefined ? { serial: spec.serial } : {}),
        endpoint: place.endpoint,
        clock: this.clock,
        load: this.meteredLoad,
        note: this.note('rs485'),
      });
      if (profile.class === 'compensation-relay') this.meteredLoad = device.siteLoad;
      this.devices.push(device);
      if (spec.declared) declared.push({ address: device.address, type: terminalType(profile), model });
    }
    return declared;
  }

  private async busMeters(specs: MeterSpec[], wants: DeviceWant[]): Promise<object[]> {
    const bus = this.bus!;
    const slots: object[] = [];
    for (const [i, spec] of specs.entries()) {
      const want = wantOf(wants, (w) => w.kind === 'meter' && w.port === 'rs485' && w.index === i) as Extract<DeviceWant, { kind: 'meter' }>;
      const { profile, serial } = want;
      const place = await bus.place(want, `meter-${serial}`, IEC_OPENING);
      if (place.kind === 'physical') {
        const s = this.physicalAt('rs485', 'meter', place) ?? serial;
        slots.push(spec.registered ? { serial: s, ...(typeof place.address === 'string' ? { address: place.address } : {}), brand: profile.brand } : {});
        continue;
      }
      const meter = new EmulatedMeter({ clock: this.clock, endpoint: place.endpoint, profile, serial, port: 'rs485', load: this.meteredLoad, initialKwh: spec.initialKwh + i * 137.5, note: this.note('rs485') });
      this.meters.push(meter);
      slots.push(spec.registered ? { serial, address: meter.engine.address, brand: profile.brand } : {});
    }
    return slots;
  }
}

export interface BuildSiteOptions {
  title: string;
  /** Default virtual. */
  mode?: Mode;
  /** Pty and rig modes: run the clock this many times faster than the wall (see `run-clock.ts`). */
  clockScale?: number;
  /** Rig mode: where the site's devices are on the rig (`planRig`). */
  rigPlan?: RigPlan;
}

/** A site on virtual time: its clock can be driven (`runFor`, `runUntil`, `run`). */
export type VirtualSite = Site & { readonly clock: VirtualClock };

/** Validates the spec and builds the site on the lines of the mode. */
export function buildSite(spec: SiteSpec, options: BuildSiteOptions & { mode?: 'virtual' }): Promise<VirtualSite>;
export function buildSite(spec: SiteSpec, options: BuildSiteOptions): Promise<Site>;
export async function buildSite(spec: SiteSpec, options: BuildSiteOptions): Promise<Site> {
  const valid = validateSiteSpec(spec);
  const start = valid.start ? Date.parse(valid.start) : DEFAULT_VIRTUAL_START;
  const trace = new TraceRecorder();
  const mode = options.mode ?? 'virtual';
  let lines: LineFactory;
  if (mode === 'virtual') lines = virtualLines({ start, trace });
  else if (mode === 'pty') lines = ptyLines({ start, scale: options.clockScale, trace });
  else {
    if (!options.rigPlan) throw new InputError('--rig', 'rig mode needs a rig file');
    lines = rigLines({ start, scale: options.clockScale, trace, plan: options.rigPlan });
  }
  const site = await Site.build(valid, options.title, lines, trace);
  setLogClock(site.clock);
  return site;
}
