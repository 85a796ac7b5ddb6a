import { CancelledError } from '../errors.ts';
import type { Clock, Timer } from './clock.ts';

/**
 * Wall time, for pty and rig runs. `now()` is the epoch time with sub-millisecond resolution
 * from the monotonic performance timer. An optional `scale` runs the clock faster than the wall
 * (scale 10: a 15-minute period lasts 90 wall seconds); it only affects timers and `now()`.
 */
export class RealClock implements Clock {
  readonly virtual = false;
  private readonly origin: number;
  private readonly perfOrigin: number;
  private readonly scale: number;

  /** `start`: the epoch time `now()` reads at construction (default: the wall's). */
  constructor(options: { scale?: number; start?: number } = {}) {
    this.scale = options.scale ?? 1;
    if (!(this.scale > 0)) throw new RangeError(`RealClock scale must be > 0, got ${this.scale}`);
    this.origin = options.start ?? Date.now();
    this.perfOrigin = performance.now();
  }

  now(): number {
    return this.origin + (performance.now() - this.perfOrigin) * this.scale;
  }

  setTimer(delayMs: number, callback: () => void, _label?: string): Timer {
    const due = this.now() + Math.max(0, delayMs);
    let handle: ReturnType<typeof setTimeout>;
    // libuv timers have whole-ms resolution and a cached loop time: re-arm until really due,
    // so a timer never fires early.
    const arm = (ms: number) => {
      handle = setTimeout(() => {
        const left = due - this.now();
        if (left > 0) arm(left);
        else callback();
      }, Math.ceil(ms / this.scale));
    };
    arm(Math.max(0, delayMs));
    return { due, cancel: () => clearTimeout(handle) };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }

  track<T>(work: Promise<T>): Promise<T> {
    return work;
  }

  noteWait(): () => void {
    return () => {};
  }
}

/** `Clock.sleep` in terms of `setTimer`, shared by both clocks. */
export function sleepOn(clock: Clock, delayMs: number, signal?: AbortSignal, label = 'sleep'): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError(reasonOf(signal)));
    const onAbort = () => {
      timer.cancel();
      reject(new CancelledError(reasonOf(signal!)));
    };
    const timer = clock.setTimer(
      delayMs,
      () => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      },
      label,
    );
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function reasonOf(signal: AbortSignal): string {
  const r: unknown = signal.reason;
  return r instanceof Error ? r.message : typeof r === 'string' ? r : 'aborted';
}
