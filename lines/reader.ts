import type { Clock, Timer } from '../core/clock/index.ts';
import { CancelledError, TimeoutError } from '../core/errors.ts';
import type { ByteError, Endpoint, RxChunk } from './endpoint.ts';

/** Bytes taken from a reader, with when the first began and the last ended, and UART errors. */
export interface ReadResult {
  bytes: Uint8Array;
  start: number;
  end: number;
  errors: ByteError[];
}

export interface ReadOptions {
  /**
   * Given the bytes buffered so far, the length of the first complete frame, or 0 when more
   * bytes are needed. Bytes past the frame stay buffered for the next read.
   */
  frame: (buffered: Uint8Array) => number;
  /** Time allowed for the first byte to arrive (ms of clock time). */
  firstByteTimeoutMs: number;
  /** Longest allowed silence between two bytes once the frame has started (ms). */
  interCharTimeoutMs?: number;
  /** Longest time for the whole frame from the start of the read. */
  totalTimeoutMs?: number;
  signal?: AbortSignal;
  /** Names the read in timeouts and deadlock reports. */
  label?: string;
}

/** A read that timed out; `partial` holds what had arrived, so a report can show it. */
export class ReadTimeoutError extends TimeoutError {
  constructor(
    message: string,
    readonly partial: ReadResult,
    readonly reason: 'first-byte' | 'inter-char' | 'total',
  ) {
    super(message);
  }
}

/**
 * Buffers what an endpoint receives and hands it out as frames, with the timeouts protocols
 * define (reaction time, inter-character time). All waiting is on the given clock.
 */
export class LineReader {
  private buf = new Uint8Array(0);
  private starts: number[] = []; // start time of each buffered byte
  private times: number[] = []; // end time of each buffered byte
  private errs: ByteError[] = [];
  private wake: (() => void) | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly clock: Clock,
  ) {
    this.unsubscribe = endpoint.onData((c) => this.push(c));
  }

  /** Bytes buffered and not yet read. */
  get buffered(): number {
    return this.buf.length;
  }

  /** Drops everything buffered (e.g. before sending a new request). */
  clear(): void {
    this.buf = new Uint8Array(0);
    this.starts = [];
    this.times = [];
    this.errs = [];
  }

  dispose(): void {
    this.unsubscribe();
    this.wake?.();
  }

  async read(options: ReadOptions): Promise<ReadResult> {
    const label = options.label ?? `read on ${this.endpoint.id}`;
    const began = this.clock.now();
    const endWait = this.clock.noteWait(label);
    try {
      for (;;) {
        if (options.signal?.aborted) throw new CancelledError(`${label}: aborted`);
        const n = this.buf.length ? options.frame(this.buf) : 0;
        if (n > 0) return this.take(n);
        const deadline = this.nextDeadline(options, began);
        const woke = await this.waitForData(deadline.at, options.signal);
        if (!woke) {
          // Bytes already on their way count as arriving in time.
          // Bytes already on their way count as arriving in time: wait for their end. (Bytes
          // due at this very instant were delivered before this timer fired.)
          const incoming = this.endpoint.incomingUntil();
          if (incoming > this.clock.now() && deadline.reason !== 'total') {
            await this.waitForData(incoming, options.signal);
            continue;
          }
          const partial = this.take(this.buf.length);
          throw new ReadTimeoutError(
            `${label}: ${describe(deadline.reason)} after ${(this.clock.now() - began).toFixed(1)} ms` +
              (partial.bytes.length ? ` (${partial.bytes.length} bytes received)` : ' (nothing received)'),
            partial,
            deadline.reason,
          );
        }
      }
    } finally {
      endWait();
    }
  }

  private nextDeadline(o: ReadOptions, began: number): { at: number; reason: ReadTimeoutError['reason'] } {
    let at: number;
    let reason: ReadTimeoutError['reason'];
    if (this.buf.length === 0) {
      at = began + o.firstByteTimeoutMs;
      reason = 'first-byte';
    } else if (o.interCharTimeoutMs !== undefined) {
      at = this.times[this.times.length - 1]! + o.interCharTimeoutMs;
      reason = 'inter-char';
    } else {
      at = Infinity;
      reason = 'total';
    }
    if (o.totalTimeoutMs !== undefined && began + o.totalTimeoutMs < at) {
      at = began + o.totalTimeoutMs;
      reason = 'total';
    }
    if (at === Infinity) {
      at = began + o.firstByteTimeoutMs;
      reason = 'total';
    }
    return { at, reason };
  }

  /** Resolves true when data arrives, false at `deadline`. */
  private waitForData(deadline: number, signal?: AbortSignal): Promise<boolean> {
    return new Promise<boolean>((resolve, reject) => {
      let timer: Timer | undefined;
      const onAbort = () => finish(() => reject(new CancelledError('read aborted')));
      const finish = (f: () => void) => {
        timer?.cancel();
        this.wake = undefined;
        signal?.removeEventListener('abort', onAbort);
        f();
      };
      this.wake = () => finish(() => resolve(true));
      timer = this.clock.setTimer(deadline - this.clock.now(), () => finish(() => resolve(false)), `${this.endpoint.id}: read timeout`);
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }

  private push(c: RxChunk): void {
    const n = c.bytes.length;
    if (n === 0) return;
    const merged = new Uint8Array(this.buf.length + n);
    merged.set(this.buf);
    merged.set(c.bytes, this.buf.length);
    const base = this.buf.length;
    this.buf = merged;
    const per = (c.end - c.start) / n;
    for (let i = 0; i < n; i++) {
      this.starts.push(c.start + per * i);
      this.times.push(c.start + per * (i + 1));
    }
    for (const e of c.errors ?? []) this.errs.push({ index: base + e.index, kind: e.kind });
    this.wake?.();
  }

  private take(n: number): ReadResult {
    const now = this.clock.now();
    const result: ReadResult = {
      bytes: this.buf.slice(0, n),
      start: n > 0 ? this.starts[0]! : now,
      end: n > 0 ? this.times[n - 1]! : now,
      errors: this.errs.filter((e) => e.index < n),
    };
    this.buf = this.buf.slice(n);
    this.starts = this.starts.slice(n);
    this.times = this.times.slice(n);
    this.errs = this.errs.filter((e) => e.index >= n).map((e) => ({ index: e.index - n, kind: e.kind }));
    return result;
  }
}

function describe(reason: ReadTimeoutError['reason']): string {
  return reason === 'first-byte' ? 'no answer' : reason === 'inter-char' ? 'inter-character timeout' : 'frame not complete in time';
}
