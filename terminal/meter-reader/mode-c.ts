/**
 * One IEC 62056-21 mode C readout by the terminal (the master):
 *
 *   300 7E1  →  /?address!CRLF
 *            ←  /FLGZident CRLF          within the reaction time (tr ≤ 1500 ms)
 *   wait tr  →  ACK 0 Z 0 CRLF           Z = the lower of the meter's and the terminal's baud
 *   switch   ←  STX lines ! CRLF ETX BCC at the new baud
 *   back to 300 7E1
 *
 * Echo: an optical probe or an RS-485 adapter may hand back what the terminal sent; the frame
 * rules below skip it (a request echo starts `/?`, the data message starts at STX).
 */
import type { Clock } from '../../core/clock/index.ts';
import { STX, ETX, toHex } from '../../core/bytes.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { LineReader, ReadTimeoutError, type ReadResult } from '../../lines/reader.ts';
import {
  baudForZ,
  decodeIdentification,
  encodeOptionSelect,
  encodeRequest,
  Iec62056Decoder,
  Iec62056Error,
  INTER_CHARACTER_MAX_MS,
  parseDataBlock,
  parseErrorMessage,
  REACTION_TIME_MAX_MS,
  REACTION_TIME_MIN_MS,
  zForBaud,
} from '../../protocols/iec62056-21/index.ts';
import type { Identification, MissingReason, ReadOutcome } from './outcome.ts';

export interface ModeCOptions {
  /** Device address ('' for none: a single meter on the optical port or RS-232). */
  address: string;
  /** Highest baud the terminal uses (default 9600). */
  maxBaud?: number;
  /** How long to wait for the first byte of an answer (default: tr max + 500 ms). */
  answerTimeoutMs?: number;
  /** Pause before the option select (default 300 ms: at least tr min, well below tt). */
  ackDelayMs?: number;
  /** Longest readout (default 120 s). */
  readoutTimeoutMs?: number;
}

class ExchangeFailure extends Error {
  constructor(
    readonly reason: MissingReason,
    message: string,
    readonly bytes?: Uint8Array,
    readonly offset?: number,
    readonly time?: number,
  ) {
    super(message);
  }
}

/** Length of the identification line, skipping a request echo; 0 while incomplete. */
export function identificationFrame(b: Uint8Array): number {
  let i = 0;
  for (;;) {
    const slash = b.indexOf(0x2f, i);
    if (slash < 0 || slash + 1 >= b.length) return 0;
    const lf = b.indexOf(0x0a, slash);
    if (lf < 0) return 0;
    if (b[slash + 1] === 0x3f) {
      i = lf + 1; // our own request, echoed
      continue;
    }
    return lf + 1;
  }
}

/** Length of a data message (STX … ETX BCC) from the first STX; 0 while incomplete. */
export function dataMessageFrame(b: Uint8Array): number {
  const stx = b.indexOf(STX);
  if (stx < 0) return 0;
  const etx = b.indexOf(ETX, stx);
  return etx >= 0 && etx + 1 < b.length ? etx + 2 : 0;
}

function fail(reason: MissingReason, message: string, r?: ReadResult, offset?: number): ExchangeFailure {
  return new ExchangeFailure(reason, message, r?.bytes, offset, r?.start);
}

function lineErrorsOf(r: ReadResult): string {
  return r.errors.length ? ` (UART: ${r.errors.slice(0, 3).map((e) => `${e.kind} at byte ${e.index}`).join(', ')})` : '';
}

/** Runs one readout on an endpoint; never throws for what the meter does. */
export async function readModeC(endpoint: Endpoint, clock: Clock, options: ModeCOptions): Promise<ReadOutcome> {
  const start = clock.now();
  const reader = new LineReader(endpoint, clock);
  const label = `${endpoint.id} ${options.address ? `meter ${options.address}` : 'meter'}`;
  try {
    const ident = await exchange(endpoint, clock, reader, options, label);
    return { ok: true, address: options.address, identification: ident.identification, sets: ident.sets, start, end: clock.now(), attempts: 1 };
  } catch (err) {
    if (!(err instanceof ExchangeFailure)) throw err;
    const out: ReadOutcome = { ok: false, address: options.address, reason: err.reason, detail: err.message, start, end: clock.now(), attempts: 1 };
    if (err.bytes) out.evidence = { hex: toHex(err.bytes, ''), time: err.time ?? start, ...(err.offset !== undefined ? { offset: err.offset } : {}) };
    return out;
  } finally {
    reader.dispose();
    if (endpoint.settings.baudRate !== 300 && !endpoint.closed) await endpoint.update({ baudRate: 300 });
  }
}

async function exchange(endpoint: Endpoint, clock: Clock, reader: LineReader, o: ModeCOptions, label: string): Promise<{ identification: Identification; sets: ReturnType<typeof parseDataBlock>[number] }> {
  if (endpoint.settings.baudRate !== 300 || endpoint.settings.dataBits !== 7 || endpoint.settings.parity !== 'even') {
    await endpoint.update({ baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 });
  }
  reader.clear();
  await endpoint.write(encodeRequest({ address: o.address }));
  const answerTimeout = o.answerTimeoutMs ?? REACTION_TIME_MAX_MS + 500;
  let identBytes: ReadResult;
  try {
    identBytes = await reader.read({ frame: identificationFrame, firstByteTimeoutMs: answerTimeout, interCharTimeoutMs: INTER_CHARACTER_MAX_MS, label: `${label}: identification` });
  } catch (err) {
    if (!(err instanceof ReadTimeoutError)) throw err;
    const got = err.partial.bytes.filter((b) => b !== 0);
    if (got.length === 0 || isOnlyEcho(err.partial.bytes)) throw fail('no-answer', `${label}: no answer to the request within ${answerTimeout} ms`);
    throw fail('bad-identification', `${label}: incomplete identification${lineErrorsOf(err.partial)}`, err.partial);
  }
  const line = identBytes.bytes.slice(identBytes.bytes.lastIndexOf(0x2f));
  let id;
  try {
    id = decodeIdentification(line);
  } catch (err) {
    const offset = err instanceof Iec62056Error ? err.offset : undefined;
    throw fail('bad-identification', `${label}: ${err instanceof Error ? err.message : String(err)}${lineErrorsOf(identBytes)}`, identBytes, offset);
  }
  const offered = baudForZ(id.baudChar, 'C') ?? 300;
  const baud = Math.min(offered, o.maxBaud ?? 9600);
  const identification: Identification = { flag: id.manufacturer, baudChar: id.baudChar, ident: id.ident, baud };
  await clock.sleep(o.ackDelayMs ?? REACTION_TIME_MIN_MS + 100);
  await endpoint.write(encodeOptionSelect({ protocolControl: '0', baudChar: zForBaud(baud, 'C'), modeControl: '0' }));
  // The write resolves once the ACK is on the line (its echo, if any, is in); the meter answers
  // no sooner than its reaction time. Clear now, not after the baud change: reconfiguring a
  // port can take longer than the reaction time, and the readout must not be thrown away.
  reader.clear();
  if (baud !== 300) await endpoint.update({ baudRate: baud });
  let data: ReadResult;
  try {
    data = await reader.read({
      frame: dataMessageFrame,
      firstByteTimeoutMs: answerTimeout,
      interCharTimeoutMs: INTER_CHARACTER_MAX_MS,
      totalTimeoutMs: o.readoutTimeoutMs ?? 120_000,
      label: `${label}: readout`,
    });
  } catch (err) {
    if (!(err instanceof ReadTimeoutError)) throw err;
    const p = err.partial;
    if (p.bytes.length === 0) throw fail('no-data', `${label}: identified as ${id.manufacturer}, but no data message at ${baud} baud`);
    if (p.errors.length > 0 || p.bytes.indexOf(STX) < 0) throw fail('garbled', `${label}: ${p.bytes.length} bytes at ${baud} baud are not a data message${lineErrorsOf(p)}`, p, p.errors[0]?.index);
    throw fail('truncated', `${label}: data message stopped after ${p.bytes.length} bytes (${err.reason === 'total' ? 'too slow' : 'no ETX'})`, p, p.bytes.length);
  }
  const msg = data.bytes.slice(data.bytes.indexOf(STX));
  const decoder = new Iec62056Decoder({ side: 'meter' });
  const events = [...decoder.push(msg), ...decoder.flush()];
  const problem = events.find((e) => e.type === 'error');
  if (problem?.type === 'error') {
    const e = problem.error;
    const reason: MissingReason = e.kind === 'bcc-mismatch' ? 'bcc-mismatch' : 'garbled';
    throw fail(reason, `${label}: ${e.message}${lineErrorsOf(data)}`, { ...data, bytes: msg }, e.offset);
  }
  const frame = events.find((e) => e.type === 'frame');
  if (!frame || frame.type !== 'frame' || (frame.frame.kind !== 'readout' && frame.frame.kind !== 'data')) {
    throw fail('garbled', `${label}: no data message in ${msg.length} bytes`, { ...data, bytes: msg });
  }
  const text = frame.frame.kind === 'readout' ? frame.frame.block : frame.frame.text;
  const err = parseErrorMessage(text);
  if (err !== undefined) throw fail('meter-error', `${label}: the meter answered (${err})`, { ...data, bytes: msg });
  try {
    return { identification, sets: parseDataBlock(text).flat() };
  } catch (e) {
    const offset = e instanceof Iec62056Error ? e.offset + 1 : undefined;
    throw fail('garbled', `${label}: ${e instanceof Error ? e.message : String(e)}`, { ...data, bytes: msg }, offset);
  }
}

function isOnlyEcho(bytes: Uint8Array): boolean {
  return bytes.length > 1 && bytes[0] === 0x2f && bytes[1] === 0x3f && identificationFrame(bytes) === 0 && bytes.lastIndexOf(0x2f) === 0;
}
