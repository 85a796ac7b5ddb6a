/**
 * The one source of time. Nothing outside `core/clock` reads wall time or sets timers; every
 * component takes a `Clock`. Times are milliseconds since the Unix epoch, fractional where the
 * physics needs it (a character at 9600 baud lasts 1.0417 ms).
 */
export interface Clock {
  /** Current time in ms since the epoch (may be fractional). */
  now(): number;
  /**
   * Calls `callback` once, `delayMs` from now (0 or negative: as soon as possible, after the
   * currently running task). `label` names the timer in deadlock and debug reports.
   */
  setTimer(delayMs: number, callback: () => void, label?: string): Timer;
  /**
   * Resolves `delayMs` from now. With `signal`, rejects with a `CancelledError` when the signal
   * aborts, and the timer is removed.
   */
  sleep(delayMs: number, signal?: AbortSignal): Promise<void>;
  /**
   * Registers real asynchronous I/O (a file write, a socket to a real process) that the
   * simulated world waits on. A virtual clock does not move while a tracked promise is pending.
   * Returns the same promise.
   */
  track<T>(work: Promise<T>, label: string): Promise<T>;
  /**
   * Marks that something is waiting for an event that only another task can cause (for the
   * deadlock report). Returns the function that ends the wait.
   */
  noteWait(label: string): () => void;
  /** True for a discrete-event clock: time only moves when every task waits. */
  readonly virtual: boolean;
}

export interface Timer {
  /** Removes the timer; calling it after it fired does nothing. */
  cancel(): void;
  /** When the timer is (or was) due, in clock ms. */
  readonly due: number;
}

/** ISO 8601 with milliseconds, and microseconds where the time has them; for reports. */
export function isoTime(ms: number): string {
  const whole = Math.floor(ms);
  const micros = Math.min(999, Math.round((ms - whole) * 1000));
  const iso = new Date(whole).toISOString();
  return micros === 0 ? iso : `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** Date from clock ms: the way code outside core/clock turns a clock reading into a Date. */
export function dateAt(ms: number): Date {
  return new Date(Math.floor(ms));
}
