/**
 * The site load as seen upstream of a capacitor bank: the uncompensated load minus the capacitive
 * reactive power the bank delivers. Every device on the supply side of the bank (the main meter,
 * an analyzer, the compensation relay's own current transformer) takes this view instead of the
 * bare `SiteLoad`, so they all see the same compensated Q and their energy sums agree.
 *
 *   SiteLoad (what the plant draws) ──► CompensatedLoad = load − bank ──► meters, analyzers, relay
 *                                                  ▲
 *                         CapacitorBank (steps switched by the relay)
 *
 * It is a `SiteLoad` (a subclass that delegates), so `integrate()` and every meter accept it
 * unchanged. Its step is the bank's switching quantum (1 s by default) instead of the load's
 * minute: a switching takes effect within a second, and each piece of the integral is still
 * constant, so sums stay exact.
 */
import { CapacitorBank, type CapacitorBankOptions } from './capacitor-bank.ts';
import { SiteLoad, type LoadOverride, type LoadSample } from './load.ts';
import { InputError } from '../../core/errors.ts';

export class CompensatedLoad extends SiteLoad {
  private cachedStart = Number.NaN;
  private cached: LoadSample | undefined;

  constructor(
    /** The uncompensated load: what the plant draws. */
    readonly base: SiteLoad,
    /** The capacitors between the plant and the supply-side devices. */
    readonly bank: CapacitorBank,
  ) {
    super({ baseKw: 0, peakKw: 0, powerFactor: 1 }, { stepMs: bank.quantumMs });
    if (base.stepMs % bank.quantumMs !== 0) {
      throw new InputError('compensated load', `the load's step (${base.stepMs} ms) must be a multiple of the bank's quantum (${bank.quantumMs} ms)`);
    }
  }

  /** Adds the override to the uncompensated load (add overrides here, not on `base`, once the view exists). */
  override override(o: LoadOverride): void {
    this.base.override(o);
    this.cachedStart = Number.NaN;
  }

  /** The compensated sample during the quantum containing `t`. */
  override at(t: number): LoadSample {
    const s = this.uncompensated(t);
    const c = this.bank.reactiveAt(this.stepStart(t), s.v);
    return {
      p: s.p,
      q: { l1: round1(s.q.l1 - c.l1), l2: round1(s.q.l2 - c.l2), l3: round1(s.q.l3 - c.l3) },
      v: s.v,
      f: s.f,
    };
  }

  /** The bare load's sample at `t` (what the plant draws). */
  uncompensated(t: number): LoadSample {
    const start = this.base.stepStart(t);
    if (start !== this.cachedStart || !this.cached) {
      this.cached = this.base.at(t);
      this.cachedStart = start;
    }
    return this.cached;
  }

  /** Total capacitive power the bank delivers at `t` (var, positive), at the load's voltages. */
  capacitorVar(t: number): number {
    const c = this.bank.reactiveAt(this.stepStart(t), this.uncompensated(t).v);
    return c.l1 + c.l2 + c.l3;
  }

  /** When the uncompensated load may next change after `t` (start of its next step). */
  nextLoadChange(t: number): number {
    return this.base.stepStart(t) + this.base.stepMs;
  }
}

/** A compensated view of `load` with a new bank of `stepKvar` steps (see `CapacitorBankOptions`). */
export function compensate(load: SiteLoad, bank: CapacitorBank | CapacitorBankOptions): CompensatedLoad {
  return new CompensatedLoad(load, bank instanceof CapacitorBank ? bank : new CapacitorBank(bank));
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}
