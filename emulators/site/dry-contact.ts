/**
 * A dry contact wired to a terminal input (a float switch, a door contact, a push button): open
 * or closed, with the bounce a mechanical contact makes when it changes. Listeners hear every
 * raw edge, bounces included, at the instant it happens.
 */
import type { Clock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';

export interface ContactEdge {
  closed: boolean;
  at: number;
}

export class DryContact {
  private state: boolean;
  private readonly listeners = new Set<(e: ContactEdge) => void>();
  /** Every raw edge so far, bounces included. */
  readonly edges: ContactEdge[] = [];

  constructor(
    private readonly clock: Clock,
    readonly name: string,
    options: { closed?: boolean } = {},
  ) {
    this.state = options.closed ?? false;
  }

  get closed(): boolean {
    return this.state;
  }

  /** Calls `listener` on every raw edge. Returns the unsubscribe function. */
  onEdge(listener: (e: ContactEdge) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Moves the contact now, cleanly (no bounce). */
  set(closed: boolean): void {
    if (closed === this.state) return;
    this.state = closed;
    const e = { closed, at: this.clock.now() };
    this.edges.push(e);
    for (const l of [...this.listeners]) l(e);
  }

  /**
   * Moves the contact to `closed` with `bounces` short reversals, one every `periodMs`
   * (a 10 ms bounce: `bounces: 3, periodMs: 2`); the contact is in its final state after
   * `2 × bounces × periodMs`.
   */
  bounce(closed: boolean, options: { bounces?: number; periodMs?: number } = {}): void {
    const bounces = options.bounces ?? 3;
    const period = options.periodMs ?? 2;
    if (!(bounces >= 0 && period > 0)) throw new InputError(`contact ${this.name}`, `need bounces ≥ 0 and periodMs > 0, got ${bounces}, ${period}`);
    this.set(closed);
    for (let i = 1; i <= 2 * bounces; i++) {
      const state = i % 2 === 1 ? !closed : closed;
      this.clock.setTimer(i * period, () => this.set(state), `contact ${this.name}: bounce`);
    }
  }
}
