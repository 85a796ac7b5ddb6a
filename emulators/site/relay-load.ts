/**
 * A load switched by a terminal's relay output (a pump, a light circuit, a contactor coil): it
 * runs while its relay contact is closed and the mains is present. Keeps the history of the
 * contact and of the load running, and the energy it drew.
 */
import type { Clock } from '../../core/clock/index.ts';
import type { MainsSupply } from './mains.ts';

export interface RelayLoadChange {
  running: boolean;
  at: number;
}

export class RelayDrivenLoad {
  private contact = false;
  private runningNow = false;
  private since: number;
  private energyWh = 0;
  private readonly listeners = new Set<(c: RelayLoadChange) => void>();
  /** Contact changes (what the relay did), oldest first. */
  readonly relayHistory: { closed: boolean; at: number }[] = [];
  /** Running changes (contact and mains together), oldest first. */
  readonly history: RelayLoadChange[] = [];

  constructor(
    private readonly clock: Clock,
    readonly name: string,
    readonly kw: number,
    private readonly mains?: MainsSupply,
  ) {
    this.since = clock.now();
    mains?.onChange(() => this.update());
  }

  /** The relay contact driving the load (wire a terminal output here). */
  setContact(closed: boolean): void {
    if (closed === this.contact) return;
    this.contact = closed;
    this.relayHistory.push({ closed, at: this.clock.now() });
    this.update();
  }

  get contactClosed(): boolean {
    return this.contact;
  }

  get running(): boolean {
    return this.runningNow;
  }

  /** Energy drawn so far, Wh. */
  get wh(): number {
    return this.energyWh + (this.runningNow ? (this.kw * 1000 * (this.clock.now() - this.since)) / 3_600_000 : 0);
  }

  onChange(listener: (c: RelayLoadChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private update(): void {
    const running = this.contact && (this.mains?.present ?? true);
    if (running === this.runningNow) return;
    const now = this.clock.now();
    this.energyWh = this.wh;
    this.since = now;
    this.runningNow = running;
    const c = { running, at: now };
    this.history.push(c);
    for (const l of [...this.listeners]) l(c);
  }
}
