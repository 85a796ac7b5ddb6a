/**
 * `createModbusDevice`: one emulated Modbus device from a profile (or a model name), on an
 * endpoint, on the clock, measuring a site load. It joins the slave engine, the class model
 * (analyzer, compensation relay, or a settable model for I/O modules and sensors), the faults and
 * the test surface.
 */
import type { Clock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { LineSettings } from '../../lines/settings.ts';
import { CompensatedLoad, compensate } from '../site/compensated-load.ts';
import type { SiteLoad } from '../site/load.ts';
import { AnalyzerModel } from './analyzer.ts';
import type { DeviceModel } from './device-model.ts';
import type { EnergyTotals } from './energy-counters.ts';
import { ModbusFaultSet, type ActiveFault, type FaultOptions, type ModbusFault } from './faults.ts';
import { IdentityModel, SettableModel } from './identity.ts';
import { findModbusProfile, loadModbusProfiles, type LoadedModbusProfile } from './profile-loader.ts';
import { resolveModbusAddress, type ModbusProfile } from './profile-schema.ts';
import { RelayModel, type RelayModelOptions } from './relay.ts';
import type { QuantityName } from './quantities.ts';
import type { ReceivedRequest, RequestPredicate } from './request-log.ts';
import { ModbusSlave, type ModbusBehavior } from './slave.ts';

export interface CreateModbusDeviceOptions {
  /** The device model: a profile, or a name `findModbusProfile` knows ('Klemsan RAPIDUS', 'eastron/sdm630'). */
  profile: ModbusProfile | string;
  /** Profiles to look a name up in (default: the shipped ones, read once per process). */
  profiles?: readonly LoadedModbusProfile[];
  /** Modbus address; default from the profile's address rule (the serial number for `serial-last-two-plus-100`). */
  address?: number;
  /** Serial number; needed for the `serial-last-two-plus-100` rule unless an address is given. */
  serial?: string;
  endpoint: Endpoint;
  clock: Clock;
  /**
   * The load the device measures. A relay needs the view upstream of its capacitor bank: pass a
   * `CompensatedLoad`, or a bare `SiteLoad` and the relay builds one with a bank of its profile's
   * steps (`device.siteLoad`: hand that to the site's meters and analyzers).
   */
  load: SiteLoad;
  /** When the energy counters start (default: now). */
  start?: number;
  initialEnergy?: Partial<EnergyTotals>;
  utcOffsetMin?: number;
  firmware?: number;
  modelCode?: number;
  /** Relay thresholds and delays beyond the profile (voltage limits, alarm delay, …). */
  relay?: Omit<RelayModelOptions, 'clock' | 'load' | 'behaviour' | 'start' | 'initialEnergy' | 'utcOffsetMin' | 'note'>;
  /** Half-width of the latency jitter (ms, default 0.2). */
  jitterMs?: number;
  /** Markers for the line's time axis (faults, switchings, alarms). */
  note?: (text: string) => void;
}

/** Line settings of a profile's factory defaults (for `bus.attach`). */
export function lineSettingsOf(profile: ModbusProfile): LineSettings {
  return { baudRate: profile.serial.baud, dataBits: 8, parity: profile.serial.parity, stopBits: profile.serial.stopBits };
}

/** An emulated Modbus device with its test surface. */
export class ModbusDevice {
  readonly faults: ModbusFaultSet;
  readonly slave: ModbusSlave;
  /** The model the engine reads (identity layered over the class model). */
  readonly model: DeviceModel;
  /** The analyzer behaviour, for an energy analyzer. */
  readonly analyzer: AnalyzerModel | undefined;
  /** The relay behaviour, for a compensation relay. */
  readonly relay: RelayModel | undefined;
  /** The settable values of an I/O module or sensor. */
  readonly settable: SettableModel | undefined;
  /** The load the device measures; for a relay, the compensated view meters should share. */
  readonly siteLoad: SiteLoad;

  constructor(
    readonly profile: ModbusProfile,
    readonly serial: string,
    private readonly clock: Clock,
    parts: { slave: (faults: ModbusFaultSet, model: DeviceModel) => ModbusSlave; model: DeviceModel; analyzer?: AnalyzerModel; relay?: RelayModel; settable?: SettableModel; siteLoad: SiteLoad; seed: number },
    private readonly note: ((text: string) => void) | undefined,
  ) {
    this.faults = new ModbusFaultSet(parts.seed);
    this.model = parts.model;
    this.analyzer = parts.analyzer;
    this.relay = parts.relay;
    this.settable = parts.settable;
    this.siteLoad = parts.siteLoad;
    this.slave = parts.slave(this.faults, parts.model);
  }

  /** The address the device answers on now. */
  get address(): number {
    return this.slave.address;
  }

  /** What a register of quantity `name` shows at `t` (canonical unit; undefined reads as zero). */
  read(name: QuantityName, t: number): number | undefined {
    return this.slave.valueOf(name, t);
  }

  /** Requests received since the last `clearReceived()`, oldest first. */
  get received(): readonly ReceivedRequest[] {
    return this.slave.log.received;
  }

  /** Resolves on the next matching request within `withinMs` of clock time; rejects with a TimeoutError otherwise. */
  expectRequest(withinMs: number, predicate?: RequestPredicate): Promise<ReceivedRequest> {
    return this.slave.log.expectRequest(withinMs, predicate);
  }

  /** The first received request that matches; throws when none did. */
  assertReceived(predicate: RequestPredicate, what?: string): ReceivedRequest {
    return this.slave.log.assertReceived(predicate, what);
  }

  clearReceived(): void {
    this.slave.log.clearReceived();
  }

  /** Puts a one-off behavior in front of the others; returns the function that removes it. */
  defineBehavior(b: ModbusBehavior): () => void {
    return this.slave.defineBehavior(b);
  }

  /** Switches a fault on (see `ModbusFault`); it wears off by `count` or `until`. */
  addFault(fault: ModbusFault, options: FaultOptions = {}): ActiveFault {
    this.note?.(`fault on: device ${this.address} ${fault.kind}`);
    return this.faults.add(fault, options);
  }

  /** The device goes off the line for `durationMs` of clock time, then answers again. */
  goSilent(durationMs: number): ActiveFault {
    return this.addFault({ kind: 'silent' }, { until: this.clock.now() + durationMs });
  }

  /** A "firmware update" that sends every multi-word value word-swapped from now on. */
  updateFirmwareSwappingWords(): ActiveFault {
    return this.addFault({ kind: 'swapped-words' });
  }

  /** Stops the device (line listener, relay timers). */
  dispose(): void {
    this.slave.dispose();
    this.relay?.dispose();
  }
}

/** Builds an emulated Modbus device. Throws an InputError for an unknown model or an address that breaks the profile's rule. */
export function createModbusDevice(o: CreateModbusDeviceOptions): ModbusDevice {
  const profile = typeof o.profile === 'string' ? findModbusProfile(o.profile, o.profiles ?? shippedProfiles()) : o.profile;
  if (!profile) throw new InputError('modbus device', `no profile is named '${String(o.profile)}'`);
  const rule = profile.serial.address;
  let serial = o.serial;
  if (serial === undefined && rule.rule === 'serial-last-two-plus-100' && o.address !== undefined) {
    serial = `00000${String(o.address - 100).padStart(2, '0')}`;
  }
  const address = o.address ?? resolveModbusAddress(rule, serial);
  serial ??= `${10_000_000 + address}`;
  if (!Number.isInteger(address) || address < 1 || address > 247) throw new InputError('modbus device', `address ${address} is outside 1..247`);
  if (rule.rule === 'serial-last-two-plus-100' && resolveModbusAddress(rule, serial) !== address) {
    throw new InputError('modbus device', `${profile.vendor} ${profile.model} answers on its serial's last two digits + 100 (${resolveModbusAddress(rule, serial)} for serial ${serial}), not ${address}`);
  }
  const now = o.clock.now();
  const common = {
    start: o.start ?? now,
    ...(o.initialEnergy ? { initialEnergy: o.initialEnergy } : {}),
    ...(o.utcOffsetMin !== undefined ? { utcOffsetMin: o.utcOffsetMin } : {}),
  };
  let inner: DeviceModel;
  let analyzer: AnalyzerModel | undefined;
  let relay: RelayModel | undefined;
  let settable: SettableModel | undefined;
  let siteLoad = o.load;
  if (profile.class === 'energy-analyzer') {
    inner = analyzer = new AnalyzerModel({ load: o.load, behaviour: profile.analyzer, ...common });
  } else if (profile.class === 'compensation-relay') {
    const view = o.load instanceof CompensatedLoad ? o.load : compensate(o.load, { stepKvar: profile.relay.stepKvar });
    siteLoad = view;
    inner = relay = new RelayModel({ ...o.relay, clock: o.clock, load: view, behaviour: profile.relay, ...common, ...(o.note ? { note: o.note } : {}) });
  } else {
    inner = settable = new SettableModel();
  }
  const model = new IdentityModel(inner, {
    serial,
    baud: o.endpoint.settings.baudRate,
    ...(o.firmware !== undefined ? { firmware: o.firmware } : {}),
    ...(o.modelCode !== undefined ? { modelCode: o.modelCode } : {}),
  });
  const seed = hash(serial);
  return new ModbusDevice(profile, serial, o.clock, {
    model, siteLoad, seed,
    ...(analyzer ? { analyzer } : {}),
    ...(relay ? { relay } : {}),
    ...(settable ? { settable } : {}),
    slave: (faults, m) => new ModbusSlave({
      clock: o.clock, endpoint: o.endpoint, profile, model: m, address, faults, seed,
      ...(o.jitterMs !== undefined ? { jitterMs: o.jitterMs } : {}),
      ...(o.note ? { note: o.note } : {}),
    }),
  }, o.note);
}

let shipped: LoadedModbusProfile[] | undefined;

/** The shipped profiles, read from disk once per process. */
function shippedProfiles(): LoadedModbusProfile[] {
  shipped ??= loadModbusProfiles();
  return shipped;
}

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}
