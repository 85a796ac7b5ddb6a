/**
 * Debounced dry-contact inputs. A raw edge starts (or restarts) a `debounceMs` timer; when it
 * runs out with the contact in a state other than the last reported one, the change is
 * reported with the time of the last raw edge (the moment the contact settled). A bounce that
 * ends back in the reported state within the debounce time is not a change.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import type { IoPins } from './pins.ts';

export interface InputChange {
  n: number;
  closed: boolean;
  /** Clock ms the contact settled in its new state. */
  at: number;
}

export class DebouncedInputs {
  private readonly stable: boolean[];
  private readonly lastEdge: number[];
  private readonly timers: (Timer | undefined)[];
  private off: (() => void) | undefined;

  constructor(
    private readonly o: { clock: Clock; pins: IoPins; count: number; debounceMs: number; onChange: (c: InputChange) => void },
  ) {
    this.stable = Array.from({ length: o.count }, (_, i) => o.pins.input(i + 1));
    this.lastEdge = Array.from({ length: o.count }, () => o.clock.now());
    this.timers = Array.from({ length: o.count }, () => undefined);
  }

  /** Starts watching the pins (reads their current state as the stable one). */
  start(): void {
    for (let i = 0; i < this.stable.length; i++) this.stable[i] = this.o.pins.input(i + 1);
    this.off ??= this.o.pins.onInput((n, _closed) => this.edge(n));
  }

  /** The debounced state of input `n`. */
  state(n: number): boolean {
    return this.stable[n - 1] ?? false;
  }

  dispose(): void {
    this.off?.();
    this.off = undefined;
    for (const t of this.timers) t?.cancel();
  }

  private edge(n: number): void {
    const i = n - 1;
    if (i < 0 || i >= this.stable.length) return;
    this.lastEdge[i] = this.o.clock.now();
    this.timers[i]?.cancel();
    this.timers[i] = this.o.clock.setTimer(this.o.debounceMs, () => this.confirm(i), `io: debounce IN${n}`);
  }

  private confirm(i: number): void {
    this.timers[i] = undefined;
    const raw = this.o.pins.input(i + 1);
    if (raw === this.stable[i]) return;
    this.stable[i] = raw;
    this.o.onChange({ n: i + 1, closed: raw, at: this.lastEdge[i]! });
  }
}
