/**
 * The capacitor bank of a site's reactive power compensation: steps of rated kvar, three-phase,
 * each behind a contactor that a compensation relay switches. A switched-in, healthy step
 * delivers its rated power scaled by the square of the voltage, C·(V/Vn)², split equally over the
 * three phases.
 *
 * Switching is recorded, not applied on the spot: a contactor command (or a step failure) given
 * at time t takes effect at the start of the next quantum after t (default: the next whole
 * second, about the closing time of a contactor). What the bank delivered up to now is therefore
 * fixed and never rewritten, which keeps the energy sums of every meter on the site exact.
 */
import { InputError } from '../../core/errors.ts';
import type { PhaseValues } from './load.ts';

export interface CapacitorBankOptions {
  /** Rated three-phase power of each step at the rated voltage, step 1 first (kvar). */
  stepKvar: readonly number[];
  /** Phase-to-neutral voltage the steps are rated at (V, default 230: a 400 V bank). */
  ratedPhaseVoltage?: number;
  /** Switching time grain (ms, default 1000); a command takes effect at the next multiple. */
  quantumMs?: number;
}

/** One change of the bank, at the time it takes effect. */
export interface BankEvent {
  at: number;
  /** Step number, 1-based. */
  step: number;
  kind: 'in' | 'out' | 'fail' | 'repair';
}

/** Rated kvar delivering from `at` on. */
interface Snapshot {
  at: number;
  kvar: number;
}

export class CapacitorBank {
  readonly stepKvar: readonly number[];
  readonly ratedPhaseVoltage: number;
  readonly quantumMs: number;
  /** Every change, in the order it takes effect. */
  readonly history: BankEvent[] = [];
  private readonly closed: boolean[];
  private readonly healthy: boolean[];
  private readonly ops: number[];
  private readonly snapshots: Snapshot[] = [{ at: -Infinity, kvar: 0 }];

  constructor(o: CapacitorBankOptions) {
    if (o.stepKvar.length === 0 || o.stepKvar.some((k) => !(k > 0) || !Number.isFinite(k))) {
      throw new InputError('capacitor bank', `stepKvar must list at least one positive power; got [${o.stepKvar.join(', ')}]`);
    }
    this.stepKvar = Object.freeze([...o.stepKvar]);
    this.ratedPhaseVoltage = o.ratedPhaseVoltage ?? 230;
    this.quantumMs = o.quantumMs ?? 1000;
    if (!(this.ratedPhaseVoltage > 0)) throw new InputError('capacitor bank', `ratedPhaseVoltage must be positive; got ${this.ratedPhaseVoltage}`);
    if (!(this.quantumMs > 0) || !Number.isInteger(this.quantumMs)) throw new InputError('capacitor bank', `quantumMs must be a positive integer; got ${this.quantumMs}`);
    this.closed = this.stepKvar.map(() => false);
    this.healthy = this.stepKvar.map(() => true);
    this.ops = this.stepKvar.map(() => 0);
  }

  /** Number of steps the bank has. */
  get steps(): number {
    return this.stepKvar.length;
  }

  /** When a command given at `now` takes effect: the start of the next quantum. */
  effectiveAt(now: number): number {
    return Math.floor(now / this.quantumMs) * this.quantumMs + this.quantumMs;
  }

  /**
   * Closes (`on`) or opens a step's contactor. Returns the time the change takes effect, or
   * undefined when the step is already in that state or the bank has no such step (a relay output
   * with nothing connected).
   */
  switchStep(step: number, on: boolean, now: number): number | undefined {
    const i = step - 1;
    if (i < 0 || i >= this.closed.length || this.closed[i] === on) return undefined;
    this.closed[i] = on;
    this.ops[i]!++;
    return this.record(step, on ? 'in' : 'out', now);
  }

  /** The step stops delivering (blown fuses, a contactor that no longer closes) from the next quantum. */
  fail(step: number, now: number): number | undefined {
    return this.setHealth(step, false, now);
  }

  /** The step delivers again when switched in. */
  repair(step: number, now: number): number | undefined {
    return this.setHealth(step, true, now);
  }

  /** True when the step's contactor is commanded closed (in effect now or from the next quantum). */
  isIn(step: number): boolean {
    return this.closed[step - 1] ?? false;
  }

  /** False for a failed step. */
  isHealthy(step: number): boolean {
    return this.healthy[step - 1] ?? false;
  }

  /** Switching operations of a step so far (in and out each count one). */
  operations(step: number): number {
    return this.ops[step - 1] ?? 0;
  }

  /** Rated kvar switched in and delivering during the quantum containing `t`. */
  deliveredKvar(t: number): number {
    const s = this.snapshots;
    let lo = 0;
    let hi = s.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s[mid]!.at <= t) lo = mid;
      else hi = mid - 1;
    }
    return s[lo]!.kvar;
  }

  /** Capacitive reactive power per phase (var, positive) during the quantum containing `t`, at voltages `v`. */
  reactiveAt(t: number, v: PhaseValues): PhaseValues {
    const perPhase = (this.deliveredKvar(t) * 1000) / 3;
    const vn = this.ratedPhaseVoltage;
    const q = (u: number): number => perPhase * (u / vn) ** 2;
    return { l1: q(v.l1), l2: q(v.l2), l3: q(v.l3) };
  }

  private setHealth(step: number, healthy: boolean, now: number): number | undefined {
    const i = step - 1;
    if (i < 0 || i >= this.healthy.length || this.healthy[i] === healthy) return undefined;
    this.healthy[i] = healthy;
    return this.record(step, healthy ? 'repair' : 'fail', now);
  }

  private record(step: number, kind: BankEvent['kind'], now: number): number {
    const last = this.snapshots[this.snapshots.length - 1]!;
    // Never before a change already recorded: history stays ordered even for a stale `now`.
    const at = Math.max(this.effectiveAt(now), last.at);
    this.history.push({ at, step, kind });
    let kvar = 0;
    this.closed.forEach((c, i) => {
      if (c && this.healthy[i]) kvar += this.stepKvar[i]!;
    });
    if (last.at === at) last.kvar = kvar;
    else this.snapshots.push({ at, kvar });
    return at;
  }
}
