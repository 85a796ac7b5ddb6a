/**
 * One question and its answer on a port, with the times a probe reports: when the last byte of
 * the question left (the endpoint's write resolves after drain) and when any byte of the answer
 * arrived (estimated back from its chunk at the line's character time, as the endpoint reports).
 */
import type { Clock } from '../../core/clock/index.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { LineReader, ReadTimeoutError } from '../../lines/reader.ts';

/** What came back for one question. */
export interface ExchangeResult {
  /** Clock time the last byte of the question had left. */
  sentAt: number;
  /** The frame the `frame` rule accepted (leading echo or garbage included), or undefined on time-out. */
  bytes?: Uint8Array;
  /** What had arrived when the wait ended without a frame. */
  partial?: Uint8Array;
  /** Arrival time (start of the character) of byte `i` of `bytes` or `partial`. */
  timeOf(i: number): number | undefined;
}

/** Options of `exchange`. */
export interface ExchangeOptions {
  /** Length of the first complete answer in the buffered bytes, 0 while incomplete (see `LineReader`). */
  frame: (buffered: Uint8Array) => number;
  /** Time allowed for the first answer byte. */
  timeoutMs: number;
  /** Longest silence inside the answer (default: as long as `timeoutMs`). */
  interCharMs?: number;
  label: string;
}

/** Sends `question` and reads one answer; never throws for what the device does. */
export async function exchange(endpoint: Endpoint, clock: Clock, question: Uint8Array, o: ExchangeOptions): Promise<ExchangeResult> {
  const arrivals: { start: number; per: number; n: number }[] = [];
  const off = endpoint.onData((c) => {
    if (c.bytes.length > 0) arrivals.push({ start: c.start, per: (c.end - c.start) / c.bytes.length, n: c.bytes.length });
  });
  // Subscribed together: byte i of the reader's buffer is byte i of `arrivals`.
  const reader = new LineReader(endpoint, clock);
  let sentAt = clock.now();
  const timeOf = (i: number): number | undefined => {
    let k = i;
    for (const a of arrivals) {
      if (k < a.n) return a.start + a.per * k;
      k -= a.n;
    }
    return undefined;
  };
  try {
    reader.clear();
    await endpoint.write(question);
    sentAt = clock.now();
    try {
      const r = await reader.read({ frame: o.frame, firstByteTimeoutMs: o.timeoutMs, interCharTimeoutMs: o.interCharMs ?? o.timeoutMs, totalTimeoutMs: o.timeoutMs * 4, label: o.label });
      return { sentAt, bytes: r.bytes, timeOf };
    } catch (err) {
      if (!(err instanceof ReadTimeoutError)) throw err;
      return { sentAt, partial: err.partial.bytes, timeOf };
    }
  } finally {
    off();
    reader.dispose();
  }
}
