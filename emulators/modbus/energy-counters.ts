/**
 * Energy counters of an analyzer or relay, integrated from the site load with `integrate()`, piece
 * by piece, by the same quadrant rules as the emulated meters: a meter and an analyzer on one load
 * show the same energy.
 *
 *   import / export                  active energy, P > 0 / P < 0
 *   reactive import / export         Q > 0 / Q < 0, whatever the sign of P
 *   reactive inductive / capacitive  Q > 0 / Q < 0 while importing (quadrants I and IV)
 *
 * Besides the running totals it keeps month-to-date sums (the local calendar month), from which a
 * compensation relay computes its inductive and capacitive ratios.
 */
import { integrate, type LoadSample, type SiteLoad } from '../site/load.ts';
import type { QuantityName } from './quantities.ts';

/** kWh (active) and kvarh (reactive). */
export interface EnergyTotals {
  import: number;
  export: number;
  reactiveImport: number;
  reactiveExport: number;
  inductive: number;
  capacitive: number;
}

/** The counter each energy quantity reads. */
export const COUNTER_OF: Partial<Record<QuantityName, keyof EnergyTotals>> = {
  'energy.import': 'import',
  'energy.export': 'export',
  'energy.reactive.import': 'reactiveImport',
  'energy.reactive.export': 'reactiveExport',
  'energy.reactive.inductive': 'inductive',
  'energy.reactive.capacitive': 'capacitive',
};

export interface EnergyCounterOptions {
  /** Counter values at `start` (kWh / kvarh); zero by default. */
  initial?: Partial<EnergyTotals>;
  /** 1: only L1 is measured. Default 3. */
  phases?: 1 | 3;
  /** Minutes east of UTC of the device's calendar (Turkey: 180), for the month-to-date sums. */
  utcOffsetMin?: number;
}

function zero(): EnergyTotals {
  return { import: 0, export: 0, reactiveImport: 0, reactiveExport: 0, inductive: 0, capacitive: 0 };
}

export class EnergyCounters {
  private readonly totals: EnergyTotals;
  private month: EnergyTotals = zero();
  private monthKey: number;
  private updatedTo: number;
  private readonly singlePhase: boolean;
  private readonly offsetMs: number;

  constructor(
    private readonly load: SiteLoad,
    /** When counting starts (clock ms). */
    readonly start: number,
    options: EnergyCounterOptions = {},
  ) {
    this.totals = { ...zero(), ...options.initial };
    this.singlePhase = options.phases === 1;
    this.offsetMs = (options.utcOffsetMin ?? 180) * 60_000;
    this.updatedTo = start;
    this.monthKey = this.localMonth(start);
  }

  /** Integrates the load up to `t` (a no-op for times already counted). */
  advanceTo(t: number): void {
    if (t <= this.updatedTo) return;
    integrate(this.load, this.updatedTo, t, (from, ms, s) => this.add(from, ms, s));
    this.updatedTo = t;
  }

  /** Running totals at `t`. */
  at(t: number): Readonly<EnergyTotals> {
    this.advanceTo(t);
    return this.totals;
  }

  /** Sums since the start of the local calendar month (or since counting began, if later). */
  monthToDate(t: number): Readonly<EnergyTotals> {
    this.advanceTo(t);
    if (this.localMonth(t) !== this.monthKey) return zero();
    return this.month;
  }

  private add(from: number, ms: number, s: LoadSample): void {
    const key = this.localMonth(from);
    if (key !== this.monthKey) {
      this.monthKey = key;
      this.month = zero();
    }
    const hours = ms / 3_600_000;
    const p = this.singlePhase ? s.p.l1 : s.p.l1 + s.p.l2 + s.p.l3;
    const q = this.singlePhase ? s.q.l1 : s.q.l1 + s.q.l2 + s.q.l3;
    const inc: EnergyTotals = {
      import: (Math.max(0, p) * hours) / 1000,
      export: (Math.max(0, -p) * hours) / 1000,
      reactiveImport: (Math.max(0, q) * hours) / 1000,
      reactiveExport: (Math.max(0, -q) * hours) / 1000,
      inductive: p >= 0 ? (Math.max(0, q) * hours) / 1000 : 0,
      capacitive: p >= 0 ? (Math.max(0, -q) * hours) / 1000 : 0,
    };
    for (const k of Object.keys(inc) as (keyof EnergyTotals)[]) {
      if (inc[k] <= 0) continue;
      this.totals[k] += inc[k];
      this.month[k] += inc[k];
    }
  }

  private localMonth(t: number): number {
    const d = new Date(t + this.offsetMs);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  }
}
