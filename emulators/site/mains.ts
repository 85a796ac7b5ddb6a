/**
 * The mains supply of a site: present, or away during an outage. Outages are set by a scenario
 * (now, or scheduled on the clock); listeners hear every change at the instant it happens. With
 * a `SiteLoad`, a scheduled outage also switches the load off (`override({ off: true })`), so
 * meters and analyzers see zero power and voltage for it.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import type { SiteLoad } from './load.ts';

export interface MainsChange {
  present: boolean;
  at: number;
}

export class MainsSupply {
  private on = true;
  private readonly listeners = new Set<(c: MainsChange) => void>();
  private readonly timers: Timer[] = [];
  /** Every change so far, oldest first. */
  readonly history: MainsChange[] = [];

  constructor(
    private readonly clock: Clock,
    private readonly load?: SiteLoad,
  ) {}

  /** True while mains voltage is present. */
  get present(): boolean {
    return this.on;
  }

  /** Calls `listener` on every change. Returns the unsubscribe function. */
  onChange(listener: (c: MainsChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Mains goes away now (until `restore`). */
  cut(): void {
    this.set(false);
  }

  /** Mains comes back now. */
  restore(): void {
    this.set(true);
  }

  /** An outage from `from` to `to` (clock ms, `from` ≥ now, `to` > `from`). */
  scheduleOutage(from: number, to: number): void {
    const now = this.clock.now();
    if (!(from >= now) || !(to > from)) throw new InputError('mains outage', `need now ≤ from < to, got from ${from}, to ${to} at ${now}`);
    this.load?.override({ from, to, off: true });
    this.timers.push(this.clock.setTimer(from - now, () => this.set(false), 'mains: outage start'));
    this.timers.push(this.clock.setTimer(to - now, () => this.set(true), 'mains: outage end'));
  }

  /** Cancels scheduled outages still to come. */
  dispose(): void {
    for (const t of this.timers.splice(0)) t.cancel();
  }

  private set(present: boolean): void {
    if (present === this.on) return;
    this.on = present;
    const c = { present, at: this.clock.now() };
    this.history.push(c);
    for (const l of [...this.listeners]) l(c);
  }
}
