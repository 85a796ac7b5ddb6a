/**
 * The electrical load of a site, as meters and analyzers see it. Power is piecewise constant over
 * steps of `stepMs` (default one minute) aligned to the epoch, so energy is an exact sum and two
 * devices measuring the same load agree to the last digit.
 *
 * A load has a daily shape in local time (a working site: night base, day plateau, evening peak),
 * deterministic noise per step from a seed, a power factor, and timed overrides a scenario sets
 * ("at 10:00 the load doubles", "from 14:00 the site draws capacitive reactive power").
 */
import { InputError } from '../../core/errors.ts';

export interface PhaseValues {
  l1: number;
  l2: number;
  l3: number;
}

/** What the load draws during one step. Reactive > 0 is inductive, < 0 capacitive. */
export interface LoadSample {
  /** Active power per phase, W (negative: export). */
  p: PhaseValues;
  /** Reactive power per phase, var. */
  q: PhaseValues;
  /** Phase-to-neutral voltage, V. */
  v: PhaseValues;
  /** Frequency, Hz. */
  f: number;
}

export interface LoadShape {
  /** Active power at the quietest hour (kW, all phases). */
  baseKw: number;
  /** Active power at the busiest hour (kW, all phases). */
  peakKw: number;
  /** Inductive power factor (0 < pf ≤ 1); with `capacitive` the reactive sign flips. */
  powerFactor: number;
  capacitive?: boolean;
  /** Share of the load on L1, L2, L3 (normalised). */
  phaseShare?: [number, number, number];
  /** Relative noise per step (0.05 = ±5 %). */
  noise?: number;
  /** Seed of the noise; two loads with one seed are identical. */
  seed?: number;
  /** Nominal phase voltage (V) and its noise. */
  voltage?: number;
  /** Minutes east of UTC for the daily shape (Turkey: 180). */
  utcOffsetMin?: number;
}

export interface LoadOverride {
  from: number;
  to?: number;
  /** Multiplies active power. */
  scale?: number;
  /** Replaces the power factor (and its sign with `capacitive`). */
  powerFactor?: number;
  capacitive?: boolean;
  /** Replaces the phase voltage (V), for over/under-voltage faults. */
  voltage?: number;
  /** Power off: nothing drawn, voltage 0 (mains outage). */
  off?: boolean;
}

/** Hour-of-day weights of a commercial site, 0 = base, 1 = peak. */
const DAY_SHAPE = [0.05, 0.03, 0.02, 0.02, 0.03, 0.08, 0.25, 0.55, 0.8, 0.9, 0.95, 0.95, 0.85, 0.9, 0.95, 0.95, 0.9, 0.85, 1.0, 0.95, 0.7, 0.45, 0.25, 0.1];

export class SiteLoad {
  readonly stepMs: number;
  private readonly shape: Required<LoadShape>;
  private readonly overrides: LoadOverride[] = [];

  constructor(shape: LoadShape, options: { stepMs?: number } = {}) {
    this.stepMs = options.stepMs ?? 60_000;
    if (!(shape.powerFactor > 0 && shape.powerFactor <= 1)) throw new InputError('load.powerFactor', `must be in (0, 1], got ${shape.powerFactor}`);
    if (!(shape.baseKw >= 0) || !(shape.peakKw >= shape.baseKw)) throw new InputError('load', `need 0 ≤ baseKw ≤ peakKw, got ${shape.baseKw}…${shape.peakKw}`);
    this.shape = {
      capacitive: false,
      phaseShare: [1 / 3, 1 / 3, 1 / 3],
      noise: 0.05,
      seed: 1,
      voltage: 230,
      utcOffsetMin: 180,
      ...shape,
    };
  }

  /** Adds a timed change; later overrides win over earlier ones where they overlap. */
  override(o: LoadOverride): void {
    this.overrides.push(o);
  }

  /** Start of the step containing `t`. */
  stepStart(t: number): number {
    return Math.floor(t / this.stepMs) * this.stepMs;
  }

  /** The load during the step containing `t`. */
  at(t: number): LoadSample {
    const start = this.stepStart(t);
    let scale = 1;
    let pf = this.shape.powerFactor;
    let capacitive = this.shape.capacitive;
    let voltage = this.shape.voltage;
    for (const o of this.overrides) {
      if (start < o.from || (o.to !== undefined && start >= o.to)) continue;
      if (o.off) return { p: zero(), q: zero(), v: zero(), f: 0 };
      if (o.scale !== undefined) scale = o.scale;
      if (o.powerFactor !== undefined) pf = o.powerFactor;
      if (o.capacitive !== undefined) capacitive = o.capacitive;
      if (o.voltage !== undefined) voltage = o.voltage;
    }
    const local = new Date(start + this.shape.utcOffsetMin * 60_000);
    const hour = local.getUTCHours();
    const minute = local.getUTCMinutes();
    const w0 = DAY_SHAPE[hour]!;
    const w1 = DAY_SHAPE[(hour + 1) % 24]!;
    const weight = w0 + ((w1 - w0) * minute) / 60;
    const step = Math.floor(start / this.stepMs);
    const n = noise(this.shape.seed, step);
    const totalW = (this.shape.baseKw + (this.shape.peakKw - this.shape.baseKw) * weight) * 1000 * scale * (1 + this.shape.noise * n);
    const tanPhi = Math.sqrt(1 / (pf * pf) - 1) * (capacitive ? -1 : 1);
    const share = normalise(this.shape.phaseShare);
    const p = { l1: round1(totalW * share[0]), l2: round1(totalW * share[1]), l3: round1(totalW * share[2]) };
    const q = { l1: round1(p.l1 * tanPhi), l2: round1(p.l2 * tanPhi), l3: round1(p.l3 * tanPhi) };
    const vn = noise(this.shape.seed + 7, step);
    const v = { l1: round1(voltage * (1 + 0.01 * vn)), l2: round1(voltage * (1 - 0.008 * vn)), l3: round1(voltage * (1 + 0.005 * vn)) };
    return { p, q, v, f: Math.round((50 + 0.03 * noise(this.shape.seed + 13, step)) * 1000) / 1000 };
  }
}

function zero(): PhaseValues {
  return { l1: 0, l2: 0, l3: 0 };
}

function round1(x: number): number {
  return Math.round(x * 10) / 10;
}

function normalise(s: [number, number, number]): [number, number, number] {
  const sum = s[0] + s[1] + s[2];
  return [s[0] / sum, s[1] / sum, s[2] / sum];
}

/** Deterministic noise in [-1, 1) for (seed, step): a 32-bit integer hash, no state. */
export function noise(seed: number, step: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) ^ Math.imul(step | 0, 0x85ebca6b) ^ Math.floor(step / 4294967296)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x7feb352d) >>> 0;
  h = Math.imul(h ^ (h >>> 15), 0x846ca68b) >>> 0;
  h = (h ^ (h >>> 16)) >>> 0;
  return h / 2147483648 - 1;
}

/** Sums of a load over [from, to): active and reactive energy per sign, in Wh and varh. */
export interface EnergySums {
  importWh: number;
  exportWh: number;
  inductiveVarh: number;
  capacitiveVarh: number;
}

/**
 * Integrates the load over [from, to), calling `each` for every piece (a step or part of one)
 * with its start, length and sample, so callers can split by tariff or demand period.
 */
export function integrate(load: SiteLoad, from: number, to: number, each?: (start: number, ms: number, s: LoadSample) => void): EnergySums {
  const sums: EnergySums = { importWh: 0, exportWh: 0, inductiveVarh: 0, capacitiveVarh: 0 };
  let t = from;
  while (t < to) {
    const next = Math.min(load.stepStart(t) + load.stepMs, to);
    const s = load.at(t);
    const hours = (next - t) / 3_600_000;
    const p = s.p.l1 + s.p.l2 + s.p.l3;
    const q = s.q.l1 + s.q.l2 + s.q.l3;
    if (p >= 0) sums.importWh += p * hours;
    else sums.exportWh -= p * hours;
    if (q >= 0) sums.inductiveVarh += q * hours;
    else sums.capacitiveVarh -= q * hours;
    each?.(t, next - t, s);
    t = next;
  }
  return sums;
}
