/**
 * `rig probe`: opens every port of a rig and checks that each declared device answers. Meters
 * are asked for their identification by address (`/?ADDR!`, 300 7E1), Modbus devices for one
 * register their profile maps, modems for `ATI`. With `scanAll`, meter lines are also asked
 * `/?!` and Modbus lines are scanned over every address, so that undeclared devices show up.
 * Ports are probed side by side; devices on one port one after another.
 */
import type { Clock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { openRigPortForQuestions } from '../open-port.ts';
import type { Rig, RigMeter, RigPort } from '../rig-file.ts';
import type { RigPortRole } from '../rig-schema.ts';
import { METER_ROLES, MODBUS_ROLES } from '../rig-schema.ts';
import { probeAtModule } from './at-probe.ts';
import { probeIecMeter } from './iec-probe.ts';
import { probeModbus, probeRegister, readRequestFor, SCAN_REQUEST } from './modbus-probe.ts';

/** One line of the probe table. */
export interface ProbeRow {
  port: string;
  path: string;
  role: RigPortRole;
  /** `Landis ZMD310 95316176`, `Eastron SDM630 @1`, `Modbus @17`, `(adapter)`. */
  device: string;
  /** The rig file names this device. */
  declared: boolean;
  /** Whether it answered; absent when it was not asked (emulated here, listen-only port). */
  answered?: boolean;
  identification?: string;
  /** From the last request byte sent to the first answer byte. */
  reactionMs?: number;
  /** What is missing, unexpected or wrong. */
  problem?: string;
}

export interface ProbeReport {
  rig: string;
  rows: ProbeRow[];
  /** Declared devices that did not answer. */
  missing: number;
  /** Devices that answered but are not in the rig file. */
  unexpected: number;
  /** Ports that could not be opened. */
  unopened: number;
  hints: readonly string[];
  /** Every declared device answered and every port opened. */
  ok: boolean;
}

export interface ProbeOptions {
  clock: Clock;
  /** Also ask `/?!` on meter lines and scan Modbus lines for undeclared devices. */
  scanAll?: boolean;
  /** Modbus addresses a scan covers (default 1..247). */
  scanRange?: readonly [number, number];
  /** Wait per scanned Modbus address (default 150 ms). */
  scanTimeoutMs?: number;
  /** Wait for an identification (default 2000 ms). */
  iecTimeoutMs?: number;
  /** Wait for a Modbus answer (default: the profile's latency max × 2 + 200 ms). */
  modbusTimeoutMs?: number;
  /** How to open a port (default: the serial device at its path; a pty is held to line time before each write). */
  open?: (port: RigPort) => Promise<Endpoint>;
  /** Called with each row as soon as it is known. */
  onRow?: (row: ProbeRow) => void;
}

/** Probes every port of `rig`. Never throws for what devices do or for a port that does not open. */
export async function probeRig(rig: Rig, o: ProbeOptions): Promise<ProbeReport> {
  const perPort = await Promise.all(rig.ports.map((p) => probePort(p, o)));
  const rows = perPort.flat();
  const missing = rows.filter((r) => r.declared && r.answered === false && r.device !== '(adapter)').length;
  const unexpected = rows.filter((r) => !r.declared && r.answered === true && r.problem?.startsWith('unexpected')).length;
  const unopened = rows.filter((r) => r.device === '(adapter)' && r.answered === false).length;
  return { rig: rig.name, rows, missing, unexpected, unopened, hints: rig.hints, ok: missing === 0 && unopened === 0 };
}

function meterName(m: RigMeter): string {
  return m.name ?? `${m.profile.brand} ${m.profile.model} ${m.serial}`;
}

async function probePort(port: RigPort, o: ProbeOptions): Promise<ProbeRow[]> {
  const rows: ProbeRow[] = [];
  const base = { port: port.id, path: port.path, role: port.role };
  const add = (row: ProbeRow) => {
    rows.push(row);
    o.onRow?.(row);
  };
  let ep: Endpoint;
  try {
    ep = await (o.open ?? ((p: RigPort) => openRigPortForQuestions(p, o.clock)))(port);
  } catch (err) {
    add({ ...base, device: '(adapter)', declared: true, answered: false, problem: `cannot open: ${errorMessage(err)}` });
    for (const m of port.meters) add({ ...base, device: meterName(m), declared: true, answered: false, problem: 'missing: its port does not open' });
    for (const d of port.modbus) add({ ...base, device: d.name ?? `${d.profile.vendor} ${d.profile.model} @${d.address}`, declared: true, answered: false, problem: 'missing: its port does not open' });
    return rows;
  }
  try {
    const emulated = [...port.emulated.meters.map((m) => `${m.profile.brand} ${m.profile.model} ${m.serial}`), ...port.emulated.modbus.map((d) => `${d.profile.vendor} ${d.profile.model} @${d.address}`), ...(port.emulated.modem ? [port.emulated.modem.module] : [])];
    const opened = port.listenOnly ? 'opens; listen-only, not probed' : port.role === 'terminal-usb' ? "opens (the terminal's configuration port)" : 'opens';
    add({ ...base, device: '(adapter)', declared: true, answered: true, identification: opened });
    for (const e of emulated) add({ ...base, device: e, declared: true, identification: 'emulated here (ht-hil rig serve)' });
    if (port.listenOnly) return rows;
    for (const m of port.meters) {
      const r = await probeIecMeter(ep, o.clock, m.address, o.iecTimeoutMs !== undefined ? { timeoutMs: o.iecTimeoutMs } : {});
      const flag = r.identification?.manufacturer;
      const wrong = flag !== undefined && flag !== m.profile.flag ? `unexpected identification: FLAG ${flag}, the rig file says ${m.profile.brand} (FLAG ${m.profile.flag})` : undefined;
      add({ ...base, device: meterName(m), declared: true, answered: r.answered, ...shown(r), ...problem(r.answered ? (wrong ?? r.problem) : `missing: ${r.problem ?? 'no answer'}`) });
    }
    if (o.scanAll && METER_ROLES.includes(port.role) && port.modbus.length === 0) {
      const r = await probeIecMeter(ep, o.clock, '', o.iecTimeoutMs !== undefined ? { timeoutMs: o.iecTimeoutMs } : {});
      if (r.answered) {
        const known = port.meters.some((m) => m.profile.flag === r.identification?.manufacturer);
        const note = known ? r.problem : `unexpected: a meter answered /?! that the rig file does not name${r.problem ? ` (${r.problem})` : ''}`;
        add({ ...base, device: '(any meter: /?!)', declared: known, answered: true, ...shown(r), ...problem(note) });
      }
    }
    for (const d of port.modbus) {
      const register = probeRegister(d.profile);
      const name = d.name ?? `${d.profile.vendor} ${d.profile.model} @${d.address}`;
      if (!register) {
        add({ ...base, device: name, declared: true, problem: 'not probed: its profile maps no register' });
        continue;
      }
      const timeoutMs = o.modbusTimeoutMs ?? d.profile.latencyMs.max * 2 + 200;
      const r = await probeModbus(ep, o.clock, d.address, readRequestFor(register), { timeoutMs, register });
      const exception = r.response && 'exception' in r.response ? `answers with an exception for a register its profile maps: another model or firmware?` : undefined;
      add({ ...base, device: name, declared: true, answered: r.answered, ...shown(r), ...problem(r.answered ? (r.problem ?? exception) : `missing: ${r.problem ?? 'no answer'}`) });
    }
    if (o.scanAll && MODBUS_ROLES.includes(port.role) && port.meters.length === 0) {
      const [lo, hi] = o.scanRange ?? [1, 247];
      const declared = new Set([...port.modbus.map((d) => d.address), ...port.emulated.modbus.map((d) => d.address)]);
      for (let a = lo; a <= hi; a++) {
        if (declared.has(a)) continue;
        const r = await probeModbus(ep, o.clock, a, SCAN_REQUEST, { timeoutMs: o.scanTimeoutMs ?? 150 });
        if (r.answered) add({ ...base, device: `Modbus @${a}`, declared: false, answered: true, ...shown(r), problem: `unexpected: address ${a} answers and the rig file does not name it${r.problem ? ` (${r.problem})` : ''}` });
      }
    }
    if (port.modem) {
      const r = await probeAtModule(ep, o.clock);
      add({ ...base, device: port.modem.name ?? port.modem.module, declared: true, answered: r.answered, ...shown(r), ...problem(r.answered ? r.problem : `missing: ${r.problem ?? 'no answer'}`) });
    }
  } finally {
    await ep.close().catch(() => {});
  }
  return rows;
}

function shown(r: { text?: string; reactionMs?: number }): Pick<ProbeRow, 'identification' | 'reactionMs'> {
  return { ...(r.text !== undefined ? { identification: r.text } : {}), ...(r.reactionMs !== undefined ? { reactionMs: Math.round(r.reactionMs * 10) / 10 } : {}) };
}

function problem(p: string | undefined): Pick<ProbeRow, 'problem'> {
  return p ? { problem: p } : {};
}

/** The report as a table, one line per row, then a summary line and the rig file's hints. */
export function formatProbeTable(report: ProbeReport): string[] {
  const head = ['PORT', 'ROLE', 'DEVICE', 'ANSWERED', 'IDENTIFICATION', 'REACTION', 'NOTE'];
  const cells = report.rows.map((r) => [
    r.port,
    r.role,
    r.device,
    r.answered === undefined ? '-' : r.answered ? 'yes' : 'NO',
    r.identification ?? '',
    r.reactionMs !== undefined ? `${r.reactionMs.toFixed(0)} ms` : '',
    r.problem ?? '',
  ]);
  const widths = head.map((h, i) => Math.min(48, Math.max(h.length, ...cells.map((c) => c[i]!.length))));
  const fmt = (c: string[]) => c.map((x, i) => (i === c.length - 1 ? x : x.padEnd(widths[i]!))).join('  ').trimEnd();
  const summary = report.ok
    ? `rig ${report.rig}: every declared device answered${report.unexpected ? `; ${report.unexpected} unexpected` : ''}`
    : `rig ${report.rig}: ${report.missing} declared device${report.missing === 1 ? '' : 's'} missing${report.unopened ? `, ${report.unopened} port${report.unopened === 1 ? '' : 's'} not opened` : ''}${report.unexpected ? `, ${report.unexpected} unexpected` : ''}`;
  return [fmt(head), ...cells.map(fmt), '', summary, ...report.hints.map((h) => `hint: ${h}`)];
}
