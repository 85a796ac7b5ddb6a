/**
 * A captured exchange, as a replay device plays it: the trace's `tx` records of one line, in time
 * order, grouped into exchanges of what the master sent and what the device answered:
 *
 *   exchange 0   request  /?!CRLF                      300 7E1   (master records, concatenated)
 *                answer   /LGZ5ZMR120AC.K75 CRLF       300 7E1   after 0.214 s (captured reaction time)
 *   exchange 1   request  ACK 0 5 0 CRLF               300 7E1
 *                answer   STX … ETX BCC                9600 7E1  after 0.231 s
 *
 * The master is the sender of the first message that opens an exchange in the line's protocol
 * (IEC `/?…!`, a Modbus request, an `AT` line), unless named; every other sender is the device
 * side (several meters on one bus replay from one port).
 */
import { concatBytes, fromAscii, fromHex } from '../../core/bytes.ts';
import { InputError } from '../../core/errors.ts';
import type { TraceBytesRecord, TraceRecord } from '../../core/trace/index.ts';
import { parseSettings, type LineSettings } from '../../lines/settings.ts';
import { decodeRequest } from '../../protocols/modbus-rtu/index.ts';
import { detectProtocol, type SniffProtocol } from '../sniff/classify.ts';

/** One captured transmission. */
export interface ReplayMessage {
  from: string;
  bytes: Uint8Array;
  /** Capture times of the first character's start and the last one's end. */
  t: number;
  end: number;
  settings: LineSettings;
}

/** What the master sent, and what the device answered to it. */
export interface ReplayExchange {
  /** Master messages (empty when the device spoke first). */
  request: ReplayMessage[];
  /** Device messages, in order (empty when the device did not answer). */
  answer: ReplayMessage[];
}

export interface ReplayScript {
  line: string;
  protocol: SniffProtocol | undefined;
  /** Trace id of the master side. */
  master: string;
  /** Trace ids of the device side. */
  devices: string[];
  exchanges: ReplayExchange[];
}

export interface ScriptOptions {
  /** The line to replay; needed when the trace has several. */
  line?: string;
  /** Trace id of the master (default: found by protocol, see above). */
  master?: string;
  /** Names the trace in messages. */
  file?: string;
}

/** Lines of a trace that carry bytes, with their record counts. */
export function traceLines(records: readonly TraceRecord[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of records) if (r.kind === 'tx') out.set(r.line, (out.get(r.line) ?? 0) + 1);
  return out;
}

function opensExchange(protocol: SniffProtocol | undefined, bytes: Uint8Array): boolean {
  if (protocol === 'iec') {
    const i = bytes.indexOf(0x2f);
    return i >= 0 && bytes[i + 1] === 0x3f;
  }
  if (protocol === 'modbus') {
    try {
      decodeRequest(bytes);
      return true;
    } catch {
      return false;
    }
  }
  if (protocol === 'at') return /^\s*(AT|at|A\/)/.test(fromAscii(bytes.subarray(0, 16)));
  return false;
}

/** Builds the script of one line. Throws an `InputError` when the line is missing or ambiguous. */
export function buildReplayScript(records: readonly TraceRecord[], o: ScriptOptions = {}): ReplayScript {
  const where = o.file ?? 'trace';
  const lines = traceLines(records);
  if (lines.size === 0) throw new InputError(where, 'the trace has no transmissions (tx records) to replay');
  const line = o.line ?? (lines.size === 1 ? [...lines.keys()][0]! : undefined);
  if (line === undefined) throw new InputError(where, `the trace has several lines; name one with --line (${[...lines].map(([l, n]) => `${l}: ${n} records`).join(', ')})`);
  if (!lines.has(line)) throw new InputError(where, `no transmissions on line "${line}" (lines: ${[...lines.keys()].join(', ')})`);
  const txs = records.filter((r): r is Extract<TraceBytesRecord, { kind: 'tx' }> => r.kind === 'tx' && r.line === line).sort((a, b) => a.t - b.t);
  const messages: ReplayMessage[] = txs.map((r) => ({ from: r.from, bytes: fromHex(r.hex), t: r.t, end: r.end, settings: parseSettings(r.settings, `${where}: ${r.from} settings`) }));
  const senders = [...new Set(messages.map((m) => m.from))];
  const protocol = detectLineProtocol(messages);
  let master = o.master;
  if (master !== undefined && !senders.includes(master)) throw new InputError(where, `no sender "${master}" on line ${line} (senders: ${senders.join(', ')})`);
  master ??= messages.find((m) => opensExchange(protocol, m.bytes))?.from ?? messages[0]!.from;
  const exchanges: ReplayExchange[] = [];
  let current: ReplayExchange | undefined;
  for (const m of messages) {
    if (m.from === master) {
      if (!current || current.answer.length > 0) exchanges.push((current = { request: [], answer: [] }));
      current.request.push(m);
    } else {
      if (!current) exchanges.push((current = { request: [], answer: [] }));
      current.answer.push(m);
    }
  }
  return { line, protocol, master, devices: senders.filter((s) => s !== master), exchanges };
}

function detectLineProtocol(messages: readonly ReplayMessage[]): SniffProtocol | undefined {
  for (const m of messages) {
    const p = detectProtocol(m.bytes, m.settings);
    if (p) return p;
  }
  return undefined;
}

/** The bytes a request of an exchange is made of. */
export function requestBytes(e: ReplayExchange): Uint8Array {
  return concatBytes(e.request.map((m) => m.bytes));
}
