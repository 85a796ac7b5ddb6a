/**
 * Reads a rig file (YAML, `rig-schema.ts`), checks it and binds every device to its profile.
 * Every problem names the file, the line and column of the offending node, and the field:
 *
 *   bench.yaml:12:17: ports[0].meters[1].brand: no meter profile for brand "Landys" (known: …)
 *
 * A rig file is input from outside: nothing in it crashes the loader; all problems of the schema
 * are listed at once, then the cross-field checks (unique ids and paths, devices on a port whose
 * role carries them, unique Modbus addresses and meter serials per port, bus limits).
 */
import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { formatPath } from '../core/profile-yaml.ts';
import { InputError } from '../core/errors.ts';
import { IEC_OPENING, MODBUS_DEFAULT, parseSettings, type LineSettings } from '../lines/settings.ts';
import { findMeterProfile } from '../emulators/meters/profile-loader.ts';
import type { MeterProfile } from '../emulators/meters/profile-schema.ts';
import { resolveMeterSpecs, type ResolvedMeter } from '../emulators/meters/serve.ts';
import { findModbusProfile } from '../emulators/modbus/profile-loader.ts';
import type { ModbusProfile } from '../emulators/modbus/profile-schema.ts';
import { lineSettingsOf } from '../emulators/modbus/device.ts';
import { resolveModbusSpecs, type ResolvedModbusDevice } from '../emulators/modbus/serve.ts';
import { checkModuleName, DEFAULT_CLOUD, MODEM_LINE, parseCloudAddress, type CloudAddress } from '../emulators/gsm-modem/serve.ts';
import { shippedMeterProfiles, shippedModbusProfiles } from './profiles.ts';
import { crossCheck, type Report } from './rig-checks.ts';
import { keyPositionOf, knownFields, positionOf } from './rig-yaml.ts';
import { RigFileSchema, type EmulatedModemData, type RigPortData, type RigPortRole, type RigTerminal } from './rig-schema.ts';

export { PORT_ROLES, type RigPortRole, type RigTerminal } from './rig-schema.ts';

/** One problem in a rig file. */
export interface RigIssue {
  /** `ports[0].meters[1].serial`, `(root)` for the whole file. */
  readonly path: string;
  readonly message: string;
  /** 1-based line and column of the node, when the file has one for the path. */
  readonly line?: number | undefined;
  readonly col?: number | undefined;
}

/** A rig file that could not be read, parsed or checked; `issues` lists every problem found. */
export class RigFileError extends InputError {
  readonly file: string;
  readonly issues: readonly RigIssue[];
  constructor(file: string, issues: readonly RigIssue[]) {
    const at = (i: RigIssue) => `${file}${i.line !== undefined ? `:${i.line}:${i.col ?? 1}` : ''}`;
    const [first, ...rest] = issues;
    if (!first) throw new RangeError('RigFileError needs at least one issue');
    super(at(first), `${first.path}: ${first.message}${rest.map((i) => `\n${at(i)}: ${i.path}: ${i.message}`).join('')}`);
    this.file = file;
    this.issues = issues;
  }
}

/** A physical meter on a port, bound to its profile. */
export interface RigMeter {
  readonly brand: string;
  readonly model?: string | undefined;
  readonly name?: string | undefined;
  readonly serial: string;
  /** The IEC device address to request (`/?ADDR!`). */
  readonly address: string;
  readonly profile: MeterProfile;
}

/** A physical Modbus device on a port, bound to its profile. */
export interface RigModbusDevice {
  readonly model: string;
  readonly name?: string | undefined;
  readonly address: number;
  readonly serial?: string | undefined;
  readonly profile: ModbusProfile;
}

/** A physical cellular module on a port. */
export interface RigModem {
  readonly module: string;
  readonly name?: string | undefined;
}

/** An emulated module on a port, cloud address resolved. */
export type RigEmulatedModem = Omit<EmulatedModemData, 'cloud'> & { readonly cloud: CloudAddress };

/** What an emulator serves on a port (empty lists when nothing). */
export interface RigEmulated {
  readonly meters: readonly ResolvedMeter[];
  readonly modbus: readonly ResolvedModbusDevice[];
  readonly modem?: RigEmulatedModem | undefined;
}

/** One port of the rig, resolved. */
export interface RigPort {
  /** Line name in traces. */
  readonly id: string;
  readonly path: string;
  readonly role: RigPortRole;
  /** The settings the port opens with (given, or the role's default). */
  readonly settings: LineSettings;
  readonly echo: boolean;
  readonly listenOnly: boolean;
  /** Physical devices present on the port. */
  readonly meters: readonly RigMeter[];
  readonly modbus: readonly RigModbusDevice[];
  readonly modem?: RigModem | undefined;
  /** Roles an emulator serves on the port. */
  readonly emulated: RigEmulated;
  readonly note?: string | undefined;
}

/** A checked rig file. */
export interface Rig {
  readonly name: string;
  readonly description?: string | undefined;
  /** The file it came from, as given. */
  readonly file: string;
  readonly ports: readonly RigPort[];
  /** The real terminal on the bench, if any. */
  readonly terminal?: RigTerminal | undefined;
  /** Advice that is not an error (e.g. a `/dev/ttyUSB0` path that may change on replug). */
  readonly hints: readonly string[];
}

/** Reads and checks a rig file. Throws `RigFileError` (an `InputError`) naming file, line, column and field. */
export async function loadRigFile(path: string): Promise<Rig> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new RigFileError(path, [{ path: '(root)', message: `cannot read the rig file (${(err as NodeJS.ErrnoException).code ?? String(err)})` }]);
  }
  return parseRigFile(text, path);
}

/** Parses and checks rig file text; `file` names it in messages. */
export function parseRigFile(text: string, file: string): Rig {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, uniqueKeys: true, prettyErrors: false });
  if (doc.errors.length > 0) {
    throw new RigFileError(file, doc.errors.map((e) => {
      const p = counter.linePos(e.pos[0]);
      return { path: '(root)', line: p.line, col: p.col, message: `YAML syntax error: ${e.message.split('\n')[0]}` };
    }));
  }
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new RigFileError(file, [{ path: '(root)', message: `YAML: ${(err as Error).message}` }]);
  }
  const at = (path: readonly PropertyKey[], message: string): RigIssue => ({ path: formatPath(path), message, ...positionOf(doc, counter, path) });
  const parsed = RigFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new RigFileError(file, parsed.error.issues.flatMap((iss) => {
      if (iss.code === 'unrecognized_keys') {
        return iss.keys.map((k) => ({ ...at([...iss.path, k], `unknown field (expected ${knownFields(iss.path)})`), ...keyPositionOf(doc, counter, iss.path, k) }));
      }
      return [at(iss.path, iss.message)];
    }));
  }
  const data = parsed.data;
  const issues: RigIssue[] = [];
  const hints: string[] = [];
  const ports = data.ports.map((p, i) => resolvePort(p, i, (path, message) => issues.push(at(path, message)), hints));
  crossCheck(data.ports, data.terminal, (path, message) => issues.push(at(path, message)));
  if (issues.length > 0) throw new RigFileError(file, issues);
  return { name: data.rig, ...(data.description ? { description: data.description } : {}), file, ports, ...(data.terminal ? { terminal: data.terminal } : {}), hints };
}

/** Runs `f`, turning an `InputError` whose `where` is a JSON path into a reported issue. */
function guarded<T>(report: Report, fallback: readonly PropertyKey[], f: (where: (...path: PropertyKey[]) => string) => T): T | undefined {
  try {
    return f((...path) => JSON.stringify(path));
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    let path: PropertyKey[] = [...fallback];
    try {
      const p: unknown = JSON.parse(err.where);
      if (Array.isArray(p)) path = p as PropertyKey[];
    } catch {
      // `where` was not ours: keep the fallback path
    }
    report(path, err.message.slice(err.where.length + 2));
    return undefined;
  }
}

function resolvePort(p: RigPortData, i: number, report: Report, hints: string[]): RigPort {
  const base = ['ports', i] as const;
  if (/^\/dev\/tty(USB|ACM)\d+$/.test(p.path)) hints.push(`port ${p.id}: ${p.path} may name another adapter after a replug; prefer its /dev/serial/by-id/… link (ls -l /dev/serial/by-id/)`);
  const meters: RigMeter[] = [];
  p.meters.forEach((m, j) => {
    let profile: MeterProfile | undefined;
    try {
      profile = findMeterProfile(m.brand, m.model, shippedMeterProfiles());
    } catch (err) {
      report([...base, 'meters', j, 'model'], err instanceof InputError ? err.message.replace(/^[^:]*: [^:]*: /, '') : String(err));
      return;
    }
    if (!profile) {
      report([...base, 'meters', j, m.model ? 'model' : 'brand'], `no meter profile for ${JSON.stringify(m.brand)}${m.model ? ` model ${JSON.stringify(m.model)}` : ''}`);
      return;
    }
    if (!new RegExp(`^(?:${profile.serialNumber.pattern})$`).test(m.serial)) {
      hints.push(`port ${p.id}: meter ${m.serial} does not look like a ${profile.brand} ${profile.model} serial (pattern ${profile.serialNumber.pattern})`);
    }
    meters.push({ brand: m.brand, model: m.model, name: m.name, serial: m.serial, address: m.address ?? `${profile.address.prefix ?? ''}${m.serial}`, profile });
  });
  const modbus: RigModbusDevice[] = [];
  p.modbus.forEach((d, j) => {
    const found = guarded(report, [...base, 'modbus', j, 'model'], () => ({ profile: findModbusProfile(d.model, shippedModbusProfiles()) }));
    if (found === undefined) return;
    const profile = found.profile;
    if (profile === undefined) {
      report([...base, 'modbus', j, 'model'], `no Modbus profile ${JSON.stringify(d.model)}`);
      return;
    }
    modbus.push({ model: d.model, name: d.name, address: d.address, serial: d.serial, profile });
  });
  if (p.modem) guarded(report, [...base, 'modem', 'module'], (w) => checkModuleName(p.modem!.module, w(...base, 'modem', 'module')));
  const e = p.emulate ?? {};
  const emMeters = guarded(report, [...base, 'emulate', 'meters'], (w) => resolveMeterSpecs(e.meters ?? [], (j, f) => w(...base, 'emulate', 'meters', j, f), shippedMeterProfiles())) ?? [];
  const emModbus = guarded(report, [...base, 'emulate', 'modbus'], (w) => resolveModbusSpecs(e.modbus ?? [], (j, f) => w(...base, 'emulate', 'modbus', j, f), shippedModbusProfiles())) ?? [];
  let emModem: RigEmulatedModem | undefined;
  if (e.modem) {
    const m = e.modem;
    guarded(report, [...base, 'emulate', 'modem', 'module'], (w) => checkModuleName(m.module, w(...base, 'emulate', 'modem', 'module')));
    const cloud = guarded(report, [...base, 'emulate', 'modem', 'cloud'], (w) => parseCloudAddress(m.cloud ?? DEFAULT_CLOUD, w(...base, 'emulate', 'modem', 'cloud')));
    if (cloud) emModem = { module: m.module, ...(m.sim ? { sim: m.sim } : {}), ...(m.signalDbm !== undefined ? { signalDbm: m.signalDbm } : {}), cloud };
  }
  let settings = defaultSettings(p.role, [...modbus.map((d) => d.profile), ...emModbus.map((d) => d.profile)], meters.length + emMeters.length > 0);
  if (p.settings !== undefined) settings = guarded(report, [...base, 'settings'], (w) => parseSettings(p.settings!, w(...base, 'settings'))) ?? settings;
  return {
    id: p.id, path: p.path, role: p.role, settings, echo: p.echo, listenOnly: p.listenOnly, meters, modbus,
    ...(p.modem ? { modem: { module: p.modem.module, name: p.modem.name } } : {}),
    emulated: { meters: emMeters, modbus: emModbus, ...(emModem ? { modem: emModem } : {}) },
    ...(p.note ? { note: p.note } : {}),
  };
}

/** Settings a port of `role` opens with when the file gives none. */
export function defaultSettings(role: RigPortRole, modbusProfiles: readonly ModbusProfile[], hasMeters: boolean): LineSettings {
  if (role === 'modem' || role === 'terminal-usb') return { ...MODEM_LINE };
  if (role === 'rs485-modbus' || (role === 'rs232' && !hasMeters && modbusProfiles.length > 0)) {
    return modbusProfiles[0] ? lineSettingsOf(modbusProfiles[0]) : { ...MODBUS_DEFAULT };
  }
  return { ...IEC_OPENING };
}

/** The port with this id, or undefined. */
export function rigPort(rig: Rig, id: string): RigPort | undefined {
  return rig.ports.find((p) => p.id === id);
}

/** Ports of one role, in file order. */
export function rigPortsOf(rig: Rig, role: RigPortRole): RigPort[] {
  return rig.ports.filter((p) => p.role === role);
}
