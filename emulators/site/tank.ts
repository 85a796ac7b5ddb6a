/**
 * A water tank fed by a well pump, for the well–tank automation: the tank's level falls with
 * the site's consumption and rises while the pump runs; a level switch (a float with two marks)
 * closes its contact when the level falls to the low mark and opens it when the level rises to
 * the high mark. The level moves linearly between events, so every crossing is found exactly on
 * the clock (no sampling step).
 *
 * ```
 *   level ─┐                 ┌─ high mark: contact opens (pump should stop)
 *          └─ low mark: contact closes (pump should start)
 * ```
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { DryContact } from './dry-contact.ts';
import type { RelayDrivenLoad } from './relay-load.ts';

export interface TankOptions {
  /** Tank volume, m³. */
  capacityM3: number;
  /** Level at the start, m³. */
  levelM3: number;
  /** Drawn by the site, m³/h (constant). */
  consumptionM3h: number;
  /** Delivered by the pump while it runs, m³/h. */
  pumpM3h: number;
  /** The float closes at or below this level, m³. */
  lowM3: number;
  /** The float opens at or above this level, m³. */
  highM3: number;
}

export class TankPlant {
  /** The level switch, to be wired to a terminal input. */
  readonly float: DryContact;
  private level: number;
  private at: number;
  /** Net flow since `at`, m³ per ms (the pump state of that interval, not the new one). */
  private flow = 0;
  private timer: Timer | undefined;
  /** Lowest and highest level seen, m³. */
  min: number;
  max: number;
  private overflowAcc = 0;
  private dryAcc = 0;

  constructor(
    private readonly clock: Clock,
    readonly pump: RelayDrivenLoad,
    readonly o: TankOptions,
  ) {
    if (!(0 <= o.lowM3 && o.lowM3 < o.highM3 && o.highM3 <= o.capacityM3)) throw new InputError('tank', `need 0 ≤ low < high ≤ capacity, got ${o.lowM3}, ${o.highM3}, ${o.capacityM3}`);
    if (!(o.levelM3 >= 0 && o.levelM3 <= o.capacityM3)) throw new InputError('tank.levelM3', `must be within 0..${o.capacityM3}`);
    if (!(o.consumptionM3h >= 0 && o.pumpM3h >= 0)) throw new InputError('tank', 'flows must be ≥ 0');
    this.level = o.levelM3;
    this.min = this.max = o.levelM3;
    this.at = clock.now();
    this.float = new DryContact(clock, 'tank float', { closed: o.levelM3 <= o.lowM3 });
    pump.onChange(() => this.advance());
    this.advance();
  }

  /** The level now, m³. */
  get levelM3(): number {
    return this.levelAt(this.clock.now());
  }

  /** Time the tank overflowed (level held at capacity with more coming in), ms, up to now. */
  get overflowMs(): number {
    return this.overflowAcc + this.heldMs(this.o.capacityM3, this.flow > 0);
  }

  /** Time the tank was dry (level held at 0 with more drawn), ms, up to now. */
  get dryMs(): number {
    return this.dryAcc + this.heldMs(0, this.flow < 0);
  }

  /** Of the time since the last event: how long the level has been held at `mark`. */
  private heldMs(mark: number, pushing: boolean): number {
    if (!pushing || this.flow === 0) return 0;
    const reachedAt = this.at + (mark - this.level) / this.flow;
    return Math.max(0, this.clock.now() - reachedAt);
  }

  /** Stops watching the marks. */
  dispose(): void {
    this.timer?.cancel();
  }

  /** Net flow with the pump as it is now, m³ per ms. */
  private rate(): number {
    return ((this.pump.running ? this.o.pumpM3h : 0) - this.o.consumptionM3h) / 3_600_000;
  }

  private levelAt(t: number): number {
    return Math.min(this.o.capacityM3, Math.max(0, this.level + this.flow * (t - this.at)));
  }

  /** Brings the level to now, moves the float, and sets the timer of the next crossing. */
  private advance(): void {
    const now = this.clock.now();
    this.overflowAcc = this.overflowMs;
    this.dryAcc = this.dryMs;
    this.level = this.levelAt(now);
    this.at = now;
    this.flow = this.rate();
    this.min = Math.min(this.min, this.level);
    this.max = Math.max(this.max, this.level);
    if (this.level <= this.o.lowM3 + 1e-9) this.float.set(true);
    else if (this.level >= this.o.highM3 - 1e-9) this.float.set(false);
    this.timer?.cancel();
    this.timer = undefined;
    const r = this.flow;
    let target: number | undefined;
    if (r < 0) target = this.level > this.o.lowM3 ? this.o.lowM3 : 0;
    else if (r > 0) target = this.level < this.o.highM3 ? this.o.highM3 : this.o.capacityM3;
    if (target === undefined || Math.abs(target - this.level) < 1e-9) return;
    const dt = Math.ceil((target - this.level) / r);
    this.timer = this.clock.setTimer(dt, () => this.advance(), 'tank: level mark');
  }
}
