import { HtHilError } from '../errors.ts';
import { isoTime, type Clock, type Timer } from './clock.ts';
import { sleepOn } from './real-clock.ts';
import { TimerQueue, type QueuedTimer } from './timer-queue.ts';

/** 2026-01-05T00:00:00Z, a Monday: the default start of virtual time, so runs repeat exactly. */
export const DEFAULT_VIRTUAL_START = Date.UTC(2026, 0, 5);

/** The virtual world waits for something, and nothing scheduled or in flight can bring it. */
export class ClockDeadlockError extends HtHilError {
  constructor(message: string) {
    super('E_DEADLOCK', message);
  }
}

/**
 * A discrete-event clock. Time stands still while any task can still run; once every task waits
 * (the microtask queue is empty and no tracked I/O is in flight), time jumps to the next due timer
 * and fires it. Timers due at the same instant fire in the order they were set.
 *
 * Driving it: `run(task)` moves time until the task settles (or throws `ClockDeadlockError` when
 * the task still waits and nothing is scheduled); `runUntil(t)` and `runFor(ms)` move time to a
 * point, firing every timer due up to it.
 *
 * Contract for code on this clock: asynchronous work other than promise continuations (real file
 * or socket I/O, `setImmediate`) must be registered with `track()`, or time may move past it.
 */
export class VirtualClock implements Clock {
  readonly virtual = true;
  private current: number;
  private seq = 0;
  private readonly timers = new TimerQueue();
  private readonly inflight = new Map<number, { label: string; done: Promise<unknown> }>();
  private readonly waits = new Map<number, string>();
  private nextId = 0;
  private running = false;
  /** Timers fired so far; a measure of simulated work for benchmarks. */
  firedCount = 0;

  constructor(options: { start?: number } = {}) {
    this.current = options.start ?? DEFAULT_VIRTUAL_START;
  }

  now(): number {
    return this.current;
  }

  setTimer(delayMs: number, callback: () => void, label = 'timer'): Timer {
    const t: QueuedTimer = {
      due: this.current + Math.max(0, Number.isFinite(delayMs) ? delayMs : 0),
      seq: this.seq++,
      label,
      callback,
      cancelled: false,
    };
    this.timers.push(t);
    return { due: t.due, cancel: () => this.timers.cancel(t) };
  }

  sleep(delayMs: number, signal?: AbortSignal): Promise<void> {
    return sleepOn(this, delayMs, signal);
  }

  track<T>(work: Promise<T>, label: string): Promise<T> {
    const id = this.nextId++;
    const done = work.then(
      () => this.inflight.delete(id),
      () => this.inflight.delete(id),
    );
    this.inflight.set(id, { label, done });
    return work;
  }

  noteWait(label: string): () => void {
    const id = this.nextId++;
    this.waits.set(id, label);
    return () => this.waits.delete(id);
  }

  /** Number of live timers. */
  get pendingTimers(): number {
    return this.timers.size;
  }

  /** Lets every runnable task run and every tracked I/O finish, without moving time. */
  async settle(): Promise<void> {
    for (;;) {
      await new Promise<void>((resolve) => setImmediate(resolve));
      if (this.inflight.size === 0) return;
      await Promise.race([...this.inflight.values()].map((w) => w.done));
    }
  }

  /** Moves time to `target` (clock ms), firing every timer due up to and including it. */
  async runUntil(target: number): Promise<void> {
    await this.drive(() => false, target, 'runUntil');
  }

  /** Moves time forward by `ms`. */
  async runFor(ms: number): Promise<void> {
    await this.runUntil(this.current + ms);
  }

  /**
   * Moves time until `task` settles and returns its result (or throws its error).
   * `limitMs` bounds the virtual time it may take (default: one year), as a guard against a task
   * that waits forever on a periodic timer.
   */
  async run<T>(task: Promise<T> | (() => Promise<T>), options: { label?: string; limitMs?: number } = {}): Promise<T> {
    const label = options.label ?? 'task';
    const promise = typeof task === 'function' ? task() : task;
    const state = { done: false };
    promise.then(
      () => (state.done = true),
      () => (state.done = true),
    );
    const limit = this.current + (options.limitMs ?? 366 * 24 * 3600 * 1000);
    await this.drive(() => state.done, limit, label);
    if (!state.done) {
      throw new ClockDeadlockError(`virtual time limit reached at ${isoTime(this.current)}: '${label}' still running`);
    }
    return promise;
  }

  private async drive(finished: () => boolean, target: number, label: string): Promise<void> {
    if (this.running) throw new HtHilError('E_CLOCK', 'VirtualClock is already being driven (nested run/runUntil)');
    this.running = true;
    try {
      for (;;) {
        await this.settle();
        if (finished()) return;
        const next = this.timers.peek();
        if (!next || next.due > target) {
          if (label !== 'runUntil' && !next) throw this.deadlock(label);
          if (target > this.current) this.current = target;
          await this.settle();
          return;
        }
        this.timers.pop();
        if (next.due > this.current) this.current = next.due;
        this.firedCount++;
        next.callback();
      }
    } finally {
      this.running = false;
    }
  }

  private deadlock(label: string): ClockDeadlockError {
    const waits = [...this.waits.values()];
    return new ClockDeadlockError(
      `virtual clock deadlock at ${isoTime(this.current)}: '${label}' is still waiting, and nothing is ` +
        `scheduled (no timer, no I/O in flight)` +
        (waits.length ? `; waiting: ${waits.slice(0, 10).join('; ')}` : ''),
    );
  }
}
