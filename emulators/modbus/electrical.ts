/**
 * Instantaneous electrical quantities from one load sample, as an analyzer's front end computes
 * them: per-phase and total V, I, P, Q, S, power factor, cos φ, line voltages, neutral current,
 * frequency and THD.
 *
 * Harmonics are a plausible function of the load, not a spectrum: each phase's harmonic current
 * is a fixed part (electronic loads that draw it whatever the load) plus a share of the
 * fundamental, Ih = 1.5 A + 6 % · I1, with ±10 % deterministic noise per load step. So THD-I is
 * high at light load and falls towards 6–7 % at full load, and THD-U grows with Ih (a source
 * impedance of 0.02 %/A over a 1 % background).
 *
 * Conventions (quantities.ts): Q > 0 inductive; `pf` = P / S with S = V · I_rms (harmonics
 * included), sign of P; `cosphi` = displacement factor |P| / √(P² + Q²), + inductive, 1 at no load.
 */
import { noise, type LoadSample } from '../site/load.ts';
import { PHASES, type Phase, type QuantityName } from './quantities.ts';

/** Per-phase values of one sample, derived once. */
export interface PhaseReading {
  v: number;
  p: number;
  q: number;
  /** Fundamental current (A). */
  i1: number;
  /** RMS current with harmonics (A). */
  i: number;
  /** Apparent power V · I (VA). */
  s: number;
  thdI: number;
  thdU: number;
}

/** One sample as an analyzer sees it: per phase, and whether phases 2 and 3 are measured. */
export interface Reading {
  phases: Record<Phase, PhaseReading>;
  threePhase: boolean;
  f: number;
}

const PHASE_ANGLE: Record<Phase, number> = { l1: 0, l2: (-2 * Math.PI) / 3, l3: (2 * Math.PI) / 3 };

/** Reads a sample. `phases: 1` measures L1 only (L2 and L3 read as zero). `step` (the minute) seeds the THD noise. */
export function readSample(s: LoadSample, options: { phases?: 1 | 3; step?: number } = {}): Reading {
  const threePhase = (options.phases ?? 3) === 3;
  const step = options.step ?? 0;
  const phase = (ph: Phase, k: number): PhaseReading => {
    if (!threePhase && ph !== 'l1') return { v: 0, p: 0, q: 0, i1: 0, i: 0, s: 0, thdI: 0, thdU: 0 };
    const v = s.v[ph];
    const p = s.p[ph];
    const q = s.q[ph];
    const i1 = v > 0 ? Math.hypot(p, q) / v : 0;
    const ih = i1 > 0.05 ? (1.5 + 0.06 * i1) * (1 + 0.1 * noise(101 + k, step)) : 0;
    const thdI = i1 > 0.05 ? Math.min(100, (100 * ih) / i1) : 0;
    const thdU = v > 0 ? 1 + 0.02 * ih + 0.1 * noise(211 + k, step) : 0;
    const i = i1 * Math.sqrt(1 + (thdI / 100) ** 2);
    return { v, p, q, i1, i, s: v * i, thdI, thdU };
  };
  return { phases: { l1: phase('l1', 1), l2: phase('l2', 2), l3: phase('l3', 3) }, threePhase, f: s.v.l1 > 0 ? s.f : 0 };
}

/** Signed cos φ of P and Q: + inductive, − capacitive, 1 when both are zero. */
export function signedCosPhi(p: number, q: number): number {
  const s = Math.hypot(p, q);
  if (s === 0) return 1;
  const c = Math.abs(p) / s;
  return q < 0 ? -c : c;
}

/** Sum over the measured phases. */
function total(r: Reading, key: 'p' | 'q' | 's'): number {
  return r.phases.l1[key] + r.phases.l2[key] + r.phases.l3[key];
}

/** Line-to-line voltage of two phase voltages 120° apart. */
function lineVoltage(a: number, b: number): number {
  return Math.sqrt(a * a + b * b + a * b);
}

/** Vector sum of the fundamental phase currents (A). */
function neutralCurrent(r: Reading): number {
  let re = 0;
  let im = 0;
  for (const ph of PHASES) {
    const x = r.phases[ph];
    if (x.v <= 0) continue;
    // I = conj(S) / conj(V): magnitude |S|/|V|, angle θ_V − φ.
    const angle = PHASE_ANGLE[ph] - Math.atan2(x.q, x.p);
    re += x.i1 * Math.cos(angle);
    im += x.i1 * Math.sin(angle);
  }
  return Math.hypot(re, im);
}

/** The value of an electrical quantity (canonical unit), or undefined for a non-electrical name. */
export function electricalValue(name: QuantityName, r: Reading): number | undefined {
  const [kind, a, b] = name.split('.') as [string, string | undefined, string | undefined];
  const ph = (x: string | undefined): PhaseReading | undefined => (x === 'l1' || x === 'l2' || x === 'l3' ? r.phases[x] : undefined);
  switch (kind) {
    case 'voltage': {
      const one = ph(a);
      if (one) return one.v;
      const pair = ({ l12: ['l1', 'l2'], l23: ['l2', 'l3'], l31: ['l3', 'l1'] } as const)[a as 'l12' | 'l23' | 'l31'];
      return pair && r.threePhase ? lineVoltage(r.phases[pair[0]].v, r.phases[pair[1]].v) : pair ? 0 : undefined;
    }
    case 'current':
      return a === 'n' ? (r.threePhase ? neutralCurrent(r) : r.phases.l1.i) : ph(a)?.i;
    case 'power': {
      const key = ({ active: 'p', reactive: 'q', apparent: 's' } as const)[a as 'active' | 'reactive' | 'apparent'];
      if (!key) return undefined;
      return b === 'total' ? total(r, key) : ph(b)?.[key];
    }
    case 'pf': {
      const [p, s] = a === 'total' ? [total(r, 'p'), total(r, 's')] : [ph(a)?.p, ph(a)?.s];
      if (p === undefined || s === undefined) return undefined;
      return s > 0 ? p / s : 1;
    }
    case 'cosphi': {
      if (a === 'total') return signedCosPhi(total(r, 'p'), total(r, 'q'));
      const x = ph(a);
      return x ? signedCosPhi(x.p, x.q) : undefined;
    }
    case 'frequency':
      return r.f;
    case 'thd': {
      const x = ph(b);
      if (!x) return undefined;
      return a === 'voltage' ? x.thdU : a === 'current' ? x.thdI : undefined;
    }
    default:
      return undefined;
  }
}

/** Mean phase-to-neutral voltage over the measured phases (V). */
export function meanVoltage(r: Reading): number {
  return r.threePhase ? (r.phases.l1.v + r.phases.l2.v + r.phases.l3.v) / 3 : r.phases.l1.v;
}
