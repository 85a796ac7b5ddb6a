/**
 * Emulated Modbus RTU devices served on one serial device — a USB–RS485 adapter, a UART, or one
 * end of a socat pty pair — in real time, for masters outside the process: a real HT terminal,
 * a vendor tool, mbpoll, another Modbus library.
 *
 *   master ── device ── SerialPortEndpoint ──┬── view ── ModbusSlave 1     answers slave 1
 *                       (9600 8N1)           ├── view ── ModbusSlave 147   answers slave 147
 *                                            └── tap: frames cut at t3.5, one line each, trace records
 *
 * Several devices on one device model an RS-485 bus: every engine hears every frame and answers
 * only its own address (addresses are unique per bus). The devices measure one site load; relays
 * are attached first and the devices after them measure the compensated load, as on a real site.
 *
 * A pty has no baud rate: with `pace` each answer is held for its line time before it is handed
 * to the device (in slices of about 20 ms of line time), so its last byte reaches the master when
 * it would on a real line and the device is listening again by then.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.ts';
import { modbusFrameGapMs, QuietDetector } from '../../lines/quiet.ts';
import type { LineSettings } from '../../lines/settings.ts';
import { decodeRequest, describe, isException, decodeResponse, type ModbusRequest } from '../../protocols/modbus-rtu/index.ts';
import { createPortTap, createPortWriter, openServedPort, parseBusFile, PortView, type AttachOptions, type EngineSet, type Served } from '../serve-port.ts';
import { SiteLoad } from '../site/load.ts';
import { createModbusDevice, lineSettingsOf, type ModbusDevice } from './device.ts';
import { findModbusProfile, loadModbusProfiles, type LoadedModbusProfile } from './profile-loader.ts';
import { registerWords, resolveModbusAddress, type ModbusProfile, type RegisterTable } from './profile-schema.ts';
import { quantityInfo } from './quantities.ts';
import { decodeValue } from './register-map.ts';

/** One device to serve, as a user names it. */
export interface ModbusDeviceSpec {
  /** Model as the profiles name it: `Eastron SDM630`, `klemsan/rapidus`, `SDM630`. */
  model: string;
  /** Modbus address 1..247; default the profile's (from the serial for Grup Arge screenless devices). */
  address?: number;
  /** Serial number (digits); Grup Arge screenless devices answer on its last two digits + 100. */
  serial?: string;
}

/** A spec bound to its profile, with the address it answers on. */
export interface ResolvedModbusDevice {
  profile: ModbusProfile;
  address: number;
  serial?: string;
}

/**
 * Binds specs to profiles and addresses. Throws an `InputError` naming the field through
 * `where(index, field)` for an unknown or ambiguous model, an address outside 1..247 or the
 * profile's rule, a rule that needs a serial number, or an address used twice.
 */
export function resolveModbusSpecs(
  specs: readonly ModbusDeviceSpec[],
  where: (i: number, field: keyof ModbusDeviceSpec) => string,
  profiles: readonly LoadedModbusProfile[] = shippedProfiles(),
): ResolvedModbusDevice[] {
  const seen = new Map<number, number>();
  return specs.map((s, i) => {
    let profile: ModbusProfile | undefined;
    try {
      profile = findModbusProfile(s.model, profiles);
    } catch (err) {
      throw new InputError(where(i, 'model'), err instanceof InputError ? err.message.slice(err.where.length + 2) : String(err));
    }
    if (!profile) throw new InputError(where(i, 'model'), `no Modbus profile "${s.model}" (known: ${profiles.map((p) => `${p.vendor} ${p.model}`).join(', ')})`);
    if (s.serial !== undefined && !/^\d{2,16}$/.test(s.serial)) throw new InputError(where(i, 'serial'), `expected 2 to 16 digits, got "${s.serial}"`);
    const rule = profile.serial.address;
    const name = `${profile.vendor} ${profile.model}`;
    let address: number;
    if (rule.rule === 'serial-last-two-plus-100') {
      if (s.serial !== undefined) {
        address = resolveModbusAddress(rule, s.serial);
        if (s.address !== undefined && s.address !== address) throw new InputError(where(i, 'address'), `${name} answers on its serial's last two digits + 100: ${address} for serial ${s.serial}, not ${s.address}`);
      } else if (s.address !== undefined) {
        address = s.address;
        if (address < 100 || address > 199) throw new InputError(where(i, 'address'), `${name} answers on its serial's last two digits + 100 (100..199), not ${address}`);
      } else {
        throw new InputError(where(i, 'serial'), `${name} answers on its serial's last two digits + 100: give a serial (e.g. "2024010347" → 147) or an address 100..199`);
      }
    } else {
      address = s.address ?? rule.default;
      const [min, max] = rule.rule === 'menu' ? [rule.min, rule.max] : [1, 247];
      if (!Number.isInteger(address) || address < min || address > max) throw new InputError(where(i, 'address'), `${name} takes addresses ${min}..${max}, not ${address}`);
    }
    const first = seen.get(address);
    if (first !== undefined) throw new InputError(where(i, 'address'), `address ${address} is already used by device [${first}]; each device on a line needs its own`);
    seen.set(address, i);
    return { profile, address, ...(s.serial !== undefined ? { serial: s.serial } : {}) };
  });
}

const FIELDS = 'model, address, serial';
const busSchema = z
  .array(
    z.strictObject({
      model: z.string().min(1),
      address: z.number().int().min(1).max(247).optional(),
      serial: z.string().regex(/^\d{2,16}$/, 'expected 2 to 16 digits').optional(),
    }),
  )
  .min(1, 'expected a list of at least one device');

/**
 * Parses a bus file: a YAML list of devices `{model, address?, serial?}` sharing one line. Every
 * problem is an `InputError` naming `file`, the field (`[1].address`) and what was expected.
 */
export function parseModbusBus(text: string, file: string, profiles?: readonly LoadedModbusProfile[]): ResolvedModbusDevice[] {
  return resolveModbusSpecs(parseBusFile(text, file, busSchema, FIELDS), (i, field) => `${file}: [${i}].${field}`, profiles);
}

/** What `defaultModbusLoad()` draws, in words (for banners). */
export const DEFAULT_MODBUS_LOAD_TEXT = 'a working site: 8 kW at night to 45 kW at the evening peak (Turkish time), power factor 0.82 inductive, ±5 % a minute';

/** The site load served devices measure by default: see `DEFAULT_MODBUS_LOAD_TEXT`. */
export function defaultModbusLoad(): SiteLoad {
  return new SiteLoad({ baseKw: 8, peakKw: 45, powerFactor: 0.82, utcOffsetMin: 180, noise: 0.05 });
}

export interface AttachModbusOptions extends AttachOptions {
  devices: readonly ResolvedModbusDevice[];
  /** The site load; default `defaultModbusLoad()`. */
  load?: SiteLoad;
  /** Hold each slice for its line time before handing it over (a pty has no baud rate). */
  holdLineTime?: boolean;
}

/** Devices attached to one endpoint. `trace` holds every frame both ways and the devices' notes. */
export interface ModbusDeviceSet extends EngineSet {
  readonly devices: readonly ModbusDevice[];
  /** What a meter on this site would measure: the load after every relay's bank. */
  readonly load: SiteLoad;
}

/**
 * Attaches one slave engine per device to `endpoint` through a fan-out and taps the traffic:
 * frames from the master are cut at the line's t3.5, as the devices cut them, and each device
 * answer is one record. Lines show the decoded frame (slave, function, registers, exception) and,
 * for registers of a served device, the quantities and values.
 */
export function attachModbusDevices(o: AttachModbusOptions): ModbusDeviceSet {
  const { endpoint: port, clock } = o;
  if (o.devices.length === 0) throw new InputError('devices', 'expected at least one device');
  const tap = createPortTap({ port, clock, ...(o.title ? { title: o.title } : {}), ...(o.onTraffic ? { onTraffic: o.onTraffic } : {}) });
  const master = `${port.line}/master`;
  tap.name(master, 'master');
  let disposed = false;

  // Looked up by the address each answers on now (a write of `device.address` moves a device).
  const built = new Map<ResolvedModbusDevice, ModbusDevice>();
  const deviceAt = (slave: number): ModbusDevice | undefined => [...built.values()].find((d) => d.address === slave);
  const lastRequest = new Map<number, ModbusRequest>();
  const send = createPortWriter({
    port, clock, sliceMs: o.sliceMs ?? 0, holdLineTime: o.holdLineTime ?? false,
    onSent: (from, t, end, bytes, settings, collision) => {
      const slave = bytes[0] ?? 0;
      const request = lastRequest.get(slave);
      let text = describe(bytes, request ? { request: { slave, request } } : { direction: 'response' });
      const device = deviceAt(slave);
      if (device && request && bytes.length >= 5) {
        try {
          const { response } = decodeResponse(bytes, { slave, request });
          if (!isException(response) && (response.fn === 1 || response.fn === 2 || response.fn === 3 || response.fn === 4) && 'quantity' in request) {
            text += valuesText(device.profile, TABLE_OF_FN[response.fn], request.address, response.values);
          }
        } catch {
          // described as a bad frame already
        }
      }
      tap.frame(from, t, end, bytes, settings, text, collision);
    },
  });

  // Frames from the master, cut at t3.5 as the devices cut them.
  const detector = new QuietDetector(port, clock, () => modbusFrameGapMs(port.settings) - 1e-3, (f) => {
    let text = describe(f.bytes, { direction: 'request' });
    try {
      const { slave, request } = decodeRequest(f.bytes);
      lastRequest.set(slave, request);
      const device = deviceAt(slave);
      if (device && (request.fn === 1 || request.fn === 2 || request.fn === 3 || request.fn === 4)) {
        text += namesText(device.profile, TABLE_OF_FN[request.fn], request.address, request.quantity);
      }
    } catch {
      // shown as a bad frame
    }
    if (f.errors.length > 0) text += ` [UART errors at ${f.errors.map((e) => `${e.kind}@${e.index}`).join(', ')}]`;
    tap.frame(master, f.start, f.end, f.bytes, port.settings, text, f.collision);
  });

  // Relays first: each relay's bank acts on the load the later devices measure.
  let load = o.load ?? defaultModbusLoad();
  const order = [...o.devices].sort((a, b) => Number(b.profile.class === 'compensation-relay') - Number(a.profile.class === 'compensation-relay'));
  try {
    for (const d of order) {
      const id = `${port.line}/modbus-${d.address}`;
      tap.name(id, `${d.profile.model} #${d.address}`);
      const device = createModbusDevice({
        profile: d.profile,
        address: d.address,
        ...(d.serial !== undefined ? { serial: d.serial } : {}),
        endpoint: new PortView(id, port, send),
        clock,
        load,
        note: (text) => {
          if (!disposed) tap.note(id, text); // else a device cut off by the close
        },
      });
      if (d.profile.class === 'compensation-relay') load = device.siteLoad;
      built.set(d, device);
    }
  } catch (err) {
    detector.dispose();
    for (const device of built.values()) device.dispose();
    throw err;
  }
  const devices = o.devices.map((d) => built.get(d)!);

  return {
    devices,
    load,
    trace: tap.trace,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      detector.dispose();
      for (const d of devices) d.dispose();
    },
  };
}

export interface ServeModbusOptions extends Omit<AttachModbusOptions, 'endpoint' | 'devices' | 'holdLineTime'> {
  /** The serial device: `/dev/ttyUSB0`, or one end of a pty pair. */
  path: string;
  devices: readonly (ModbusDeviceSpec | ResolvedModbusDevice)[];
  /** The device is a pty (no baud rate): hold each answer for its line time. Leave off for a real port. */
  pace: boolean;
  /** With `pace`: line time per slice (default 20 ms); 0 hands each answer over whole. */
  sliceMs?: number;
  /** Line settings; default the first device's factory settings. */
  settings?: LineSettings;
  /** Line id in traces; default the path. */
  line?: string;
}

/** Devices served on an open device. `close()` detaches them and closes the device. */
export type ServedModbus = Served<ModbusDeviceSet>;

/**
 * Opens `path` and serves the devices on it until `close()`. Rejects with an `InputError` for a
 * bad device spec (before the device is opened) and with the endpoint's `EnvironmentError` when
 * the device is missing or not permitted.
 */
export async function serveModbusDevices(o: ServeModbusOptions): Promise<ServedModbus> {
  const specs = o.devices.filter((d): d is ModbusDeviceSpec => !('profile' in d));
  const bound = resolveModbusSpecs(specs, (i, field) => `devices[${o.devices.indexOf(specs[i]!)}].${field}`);
  const devices = o.devices.map((d) => ('profile' in d ? d : bound[specs.indexOf(d)]!));
  const clash = devices.findIndex((d, i) => devices.findIndex((e) => e.address === d.address) !== i);
  if (clash >= 0) throw new InputError(`devices[${clash}].address`, `address ${devices[clash]!.address} is already used by another device on the line`);
  const settings = o.settings ?? lineSettingsOf(devices[0]!.profile);
  return openServedPort({ path: o.path, settings, clock: o.clock, pace: false, ...(o.line ? { line: o.line } : {}) }, (endpoint) =>
    attachModbusDevices({ ...o, endpoint, devices, holdLineTime: o.pace, sliceMs: o.pace ? (o.sliceMs ?? 20) : 0 }),
  );
}

const TABLE_OF_FN: Record<1 | 2 | 3 | 4, RegisterTable> = { 1: 'coil', 2: 'discrete', 3: 'holding', 4: 'input' };
const MAX_NAMED = 6;

/** ` = voltage.l1, voltage.l2, … (+3)`: the quantities a read covers. */
function namesText(profile: ModbusProfile, table: RegisterTable, address: number, quantity: number): string {
  const names = registersIn(profile, table, address, quantity).map((r) => r.quantity);
  if (names.length === 0) return ' = nothing mapped';
  return ` = ${names.slice(0, MAX_NAMED).join(', ')}${names.length > MAX_NAMED ? `, … (+${names.length - MAX_NAMED})` : ''}`;
}

/** ` = voltage.l1 230.1 V, …`: the values an answer carries, in canonical units. */
function valuesText(profile: ModbusProfile, table: RegisterTable, address: number, values: readonly (number | boolean)[]): string {
  const shown = registersIn(profile, table, address, values.length).map((r) => {
    const at = r.address - address;
    const unit = quantityInfo(r.quantity).unit;
    let v: number | string;
    if (typeof values[0] === 'boolean') v = values[at] ? 1 : 0;
    else if (r.bit !== undefined) v = ((values[at] as number) >> r.bit) & 1;
    else {
      const decoded = decodeValue({ ...r, range: undefined }, values.slice(at, at + registerWords(r.type)) as number[]);
      v = typeof decoded !== 'number' ? 'invalid' : r.type === 'f32' ? Number(decoded.toPrecision(7)) : decoded;
    }
    return `${r.quantity} ${v}${unit !== 'none' ? ` ${unit}` : ''}`;
  });
  if (shown.length === 0) return '';
  return ` = ${shown.slice(0, MAX_NAMED).join(', ')}${shown.length > MAX_NAMED ? `, … (+${shown.length - MAX_NAMED})` : ''}`;
}

/** The profile's registers of `table` wholly inside `address … address + quantity - 1`, by address. */
function registersIn(profile: ModbusProfile, table: RegisterTable, address: number, quantity: number) {
  const end = address + quantity;
  return profile.registers
    .filter((r) => r.table === table && r.address >= address && r.address + (r.table === 'coil' || r.table === 'discrete' ? 1 : registerWords(r.type)) <= end)
    .sort((a, b) => a.address - b.address || (a.bit ?? 0) - (b.bit ?? 0));
}

let shipped: LoadedModbusProfile[] | undefined;

function shippedProfiles(): LoadedModbusProfile[] {
  shipped ??= loadModbusProfiles();
  return shipped;
}
