/**
 * The radio coverage of a site: for each access technology, the received signal level at the
 * site as a function of clock time, and the antenna the terminal has.
 *
 * ```
 *   dBm ▲            constant            flapping (upMin / downMin)         steps
 *   −71 ┤ ─────────────────────   ┌──┐  ┌──┐  ┌──     ───┐      ┌────────
 *  −101 ┤  weak                   │  │  │  │  │           └──────┘
 *  none ┤                       ──┘  └──┘  └──┘          (null = no cell)
 *       └───────────────────────────────────────────────────────────────► time from `start`
 * ```
 *
 * A level is the RSSI a module reports through `AT+CSQ` (dBm at the antenna connector), after
 * the antenna: the rod antenna fitted to the terminal counts 0 dB; a cabled antenna, mounted
 * outside the panel where the signal is weak, adds `cabledGainDb` (default 10 dB, an assumed
 * typical gain over a rod inside a metal panel). A module has service on a technology when the
 * level there is at least `minServiceDbm` (default −107 dBm, CSQ 3).
 *
 * Curves are pure functions of time; `nextChange(t)` tells when a level changes next, so a
 * modem can wake exactly then instead of polling.
 */
import { InputError } from '../../core/errors.ts';

/** Access technologies a site can offer. */
export type RadioTechnology = 'gsm' | 'lte';

/** A signal level over time. Times are minutes from the coverage's `start` (fractions allowed). */
export type SignalCurve =
  /** No cell of this technology at all. */
  | { kind: 'none' }
  /** A steady level. */
  | { kind: 'constant'; dbm: number }
  /** A steady weak level (default −101 dBm, CSQ 6: registers, data is marginal). */
  | { kind: 'weak'; dbm?: number }
  /**
   * Coverage comes and goes: `upMin` minutes at `dbm`, then `downMin` minutes at `downDbm`
   * (default: no coverage), repeating; `phaseMin` shifts the pattern (default 0: up first).
   */
  | { kind: 'flapping'; dbm: number; upMin: number; downMin: number; downDbm?: number | null; phaseMin?: number }
  /** Piecewise constant: from `atMin` on, `dbm` (null: no coverage); before the first step, no coverage. */
  | { kind: 'steps'; steps: readonly { atMin: number; dbm: number | null }[] };

/** The antenna fitted to the terminal. */
export type Antenna = 'rod' | 'cabled';

/** What a site offers. A technology without a curve has no coverage. */
export interface RadioCoverageOptions {
  gsm?: SignalCurve;
  lte?: SignalCurve;
  /** Clock time that curve minutes count from (default 0: the epoch; pass `clock.now()`). */
  start?: number;
  antenna?: Antenna;
  /** Gain of the cabled antenna over the rod, dB (default 10). */
  cabledGainDb?: number;
  /** Lowest level at which a module has service (default −107 dBm). */
  minServiceDbm?: number;
}

const MIN = 60_000;
const WEAK_DBM = -101;

function checkCurve(curve: SignalCurve, where: string): void {
  const finite = (v: unknown, name: string) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InputError(where, `${name} must be a finite number`);
  };
  switch (curve.kind) {
    case 'none':
      return;
    case 'constant':
      return finite(curve.dbm, 'dbm');
    case 'weak':
      if (curve.dbm !== undefined) finite(curve.dbm, 'dbm');
      return;
    case 'flapping':
      finite(curve.dbm, 'dbm');
      finite(curve.upMin, 'upMin');
      finite(curve.downMin, 'downMin');
      if (curve.upMin <= 0 || curve.downMin <= 0) throw new InputError(where, 'flapping upMin and downMin must be > 0 minutes');
      if (curve.downDbm != null) finite(curve.downDbm, 'downDbm');
      if (curve.phaseMin !== undefined) finite(curve.phaseMin, 'phaseMin');
      return;
    case 'steps':
      curve.steps.forEach((s, i) => {
        finite(s.atMin, `steps[${i}].atMin`);
        if (s.dbm !== null) finite(s.dbm, `steps[${i}].dbm`);
        if (i > 0 && s.atMin <= curve.steps[i - 1]!.atMin) throw new InputError(where, `steps[${i}].atMin must be after steps[${i - 1}].atMin`);
      });
      return;
    default:
      throw new InputError(where, `unknown curve kind ${JSON.stringify((curve as { kind: unknown }).kind)}; expected none, constant, weak, flapping or steps`);
  }
}

/** Level of a curve at `m` minutes (undefined: no coverage). */
export function curveLevel(curve: SignalCurve, m: number): number | undefined {
  switch (curve.kind) {
    case 'none':
      return undefined;
    case 'constant':
      return curve.dbm;
    case 'weak':
      return curve.dbm ?? WEAK_DBM;
    case 'flapping': {
      const period = curve.upMin + curve.downMin;
      const pos = (((m + (curve.phaseMin ?? 0)) % period) + period) % period;
      return pos < curve.upMin ? curve.dbm : (curve.downDbm ?? undefined);
    }
    case 'steps': {
      let level: number | undefined;
      for (const s of curve.steps) if (s.atMin <= m) level = s.dbm ?? undefined;
      return level;
    }
  }
}

/** The first minute after `m` at which the curve's level changes (Infinity: never). */
export function curveNextChange(curve: SignalCurve, m: number): number {
  switch (curve.kind) {
    case 'none':
    case 'constant':
    case 'weak':
      return Infinity;
    case 'flapping': {
      const period = curve.upMin + curve.downMin;
      const shifted = m + (curve.phaseMin ?? 0);
      const pos = ((shifted % period) + period) % period;
      const base = shifted - pos;
      const next = pos < curve.upMin ? base + curve.upMin : base + period;
      return next - (curve.phaseMin ?? 0);
    }
    case 'steps':
      return curve.steps.find((s) => s.atMin > m)?.atMin ?? Infinity;
  }
}

/** The coverage of one site. */
export class RadioCoverage {
  private readonly curves: Partial<Record<RadioTechnology, SignalCurve>>;
  readonly start: number;
  antenna: Antenna;
  readonly cabledGainDb: number;
  readonly minServiceDbm: number;

  constructor(options: RadioCoverageOptions = {}) {
    this.curves = {};
    for (const tech of ['gsm', 'lte'] as const) {
      const c = options[tech];
      if (c) {
        checkCurve(c, `radio coverage ${tech}`);
        this.curves[tech] = c;
      }
    }
    this.start = options.start ?? 0;
    this.antenna = options.antenna ?? 'rod';
    this.cabledGainDb = options.cabledGainDb ?? 10;
    this.minServiceDbm = options.minServiceDbm ?? -107;
  }

  /** Replaces the curve of a technology from now on (a scenario changing the site). */
  setCurve(tech: RadioTechnology, curve: SignalCurve | undefined): void {
    if (curve) checkCurve(curve, `radio coverage ${tech}`);
    if (curve) this.curves[tech] = curve;
    else delete this.curves[tech];
  }

  /** The curve of a technology (undefined: no cells of it). */
  curve(tech: RadioTechnology): SignalCurve | undefined {
    return this.curves[tech];
  }

  /** Level at the module's antenna connector at clock time `t`, dBm (antenna gain included); undefined: no cell. */
  levelAt(tech: RadioTechnology, t: number): number | undefined {
    const c = this.curves[tech];
    if (!c) return undefined;
    const level = curveLevel(c, (t - this.start) / MIN);
    return level === undefined ? undefined : level + (this.antenna === 'cabled' ? this.cabledGainDb : 0);
  }

  /** True when a module has service on `tech` at `t`, with `extraLossDb` of attenuation (a weak-signal fault). */
  hasService(tech: RadioTechnology, t: number, extraLossDb = 0): boolean {
    const level = this.levelAt(tech, t);
    return level !== undefined && level - extraLossDb >= this.minServiceDbm;
  }

  /** The next clock time after `t` at which any technology's level changes (Infinity: never). */
  nextChange(t: number): number {
    const m = (t - this.start) / MIN;
    let next = Infinity;
    for (const c of Object.values(this.curves)) next = Math.min(next, curveNextChange(c, m));
    return next === Infinity ? Infinity : this.start + next * MIN;
  }
}
