/**
 * The decision rule of a compensation relay, without time or I/O: given the measured P and Q and
 * the steps, is the site inside the target band, and which one step to switch next.
 *
 * Band. Signed cos φ is mapped to its distance from unity, u = 1 − cos φ when inductive and
 * −(1 − |cos φ|) when capacitive, so the scale runs continuously through cos φ = 1. The band is
 * u(target) ± band: target 0.99 ind with band 0.02 accepts 0.97 ind … 0.99 cap. Each edge is
 * turned into a reactive power at the present active power, Q = |P| · tan φ.
 *
 * Choice ("best fit, then least used"): too inductive → among steps that are out, usable and
 * discharged, the one whose switching brings Q nearest the target without passing the capacitive
 * edge; too capacitive → among steps that are in, the one that brings Q nearest the target, even
 * if that lands on the inductive side (capacitive running is what the tariff punishes hardest;
 * smaller steps go back in afterwards). Steps that fit equally well (equal powers, within 2 % of a
 * step) are rotated: fewest switching operations first, then the one at rest longest, then the
 * lowest number.
 *
 * No hunting: a step only switches in when the result stays inside the capacitive edge, so
 * switching in never makes the site too capacitive; switching out happens only when it is. Under
 * a constant load the relay therefore settles after at most one run of switch-outs followed by
 * switch-ins.
 */

/** What the controller knows about one step. */
export interface StepView {
  /** 1-based step number. */
  step: number;
  in: boolean;
  /** Power the relay believes the step has at rated voltage (kvar). */
  kvar: number;
  /** False while the step is marked faulty. */
  usable: boolean;
  /** Earliest time it may switch in again (end of its discharge time). */
  readyAt: number;
  operations: number;
  /** Last time it switched (−Infinity if never). */
  lastSwitchAt: number;
}

/** Reactive powers (var) of the band at the present active power. */
export interface Band {
  target: number;
  /** Above this the site is too inductive. */
  inductiveEdge: number;
  /** Below this the site is too capacitive. */
  capacitiveEdge: number;
}

export type BandState = 'in-band' | 'inductive' | 'capacitive';

export type Decision =
  | { action: 'in' | 'out'; step: number; expectedQ: number }
  | { action: 'none'; reason: 'in-band' | 'no-step-fits' | 'discharging'; waitUntil?: number };

/** Distance of a signed cos φ from unity: + inductive, − capacitive. */
export function unityDistance(cosPhi: number): number {
  return cosPhi >= 0 ? 1 - cosPhi : -(1 + cosPhi);
}

/** tan φ of a unity distance (signed like it); |cos φ| is kept at 0.05 or more. */
function tanOf(u: number): number {
  const c = Math.max(0.05, 1 - Math.abs(u));
  const t = Math.sqrt(1 / (c * c) - 1);
  return u < 0 ? -t : t;
}

/** The band of a target cos φ (signed) and half-width `band`, at active power `p` (W). */
export function bandAt(p: number, targetCosPhi: number, band: number): Band {
  const u = unityDistance(targetCosPhi);
  const a = Math.abs(p);
  return { target: a * tanOf(u), inductiveEdge: a * tanOf(u + band), capacitiveEdge: a * tanOf(u - band) };
}

/** Where the measured reactive power `q` (var) lies against the band. */
export function bandState(q: number, b: Band): BandState {
  if (q > b.inductiveEdge) return 'inductive';
  if (q < b.capacitiveEdge) return 'capacitive';
  return 'in-band';
}

/**
 * The next switching for a site at reactive power `q` (var, + inductive) with band `b`.
 * `vScale` is (V / Vn)², by which a step's rated power is scaled. `now` decides discharge.
 */
export function decide(q: number, b: Band, steps: readonly StepView[], vScale: number, now: number): Decision {
  const state = bandState(q, b);
  if (state === 'in-band') return { action: 'none', reason: 'in-band' };
  const power = (s: StepView): number => s.kvar * 1000 * vScale;
  if (state === 'inductive') {
    const fits = steps.filter((s) => !s.in && s.usable && s.kvar > 0 && q - power(s) >= b.capacitiveEdge);
    const ready = fits.filter((s) => now >= s.readyAt);
    const pick = best(ready, (s) => Math.abs(q - power(s) - b.target), power);
    if (pick) return { action: 'in', step: pick.step, expectedQ: q - power(pick) };
    if (fits.length > 0) return { action: 'none', reason: 'discharging', waitUntil: Math.min(...fits.map((s) => s.readyAt)) };
    return { action: 'none', reason: 'no-step-fits' };
  }
  const candidates = steps.filter((s) => s.in && s.kvar > 0);
  const pick = best(candidates, (s) => Math.abs(q + power(s) - b.target), power);
  if (pick) return { action: 'out', step: pick.step, expectedQ: q + power(pick) };
  return { action: 'none', reason: 'no-step-fits' };
}

/** Lowest score; near-equal scores (within 2 % of the best step's power) rotate by use. */
function best(steps: readonly StepView[], score: (s: StepView) => number, power: (s: StepView) => number): StepView | undefined {
  if (steps.length === 0) return undefined;
  const scored = steps.map((s) => ({ s, score: score(s) }));
  const top = scored.reduce((a, c) => (c.score < a.score ? c : a));
  const tolerance = 0.02 * power(top.s);
  const ties = scored.filter((c) => c.score <= top.score + tolerance).map((c) => c.s);
  ties.sort((a, c) => a.operations - c.operations || a.lastSwitchAt - c.lastSwitchAt || a.step - c.step);
  return ties[0];
}
