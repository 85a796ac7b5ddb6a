/**
 * The reactive ratio: inductive (`5.8.0`, Q1) and capacitive (`8.8.0`, Q4) reactive energy as a
 * percentage of the active energy drawn (`1.8.0`) over an interval, each taken from the meter's
 * cumulative registers (see registers.ts), against the Turkish limits; and the month-end
 * forecast.
 *
 * Limits: EPDK, "Dağıtım Lisansı Sahibi Tüzel Kişiler ve Görevli Tedarik Şirketlerinin Tarife
 * Uygulamalarına İlişkin Usul ve Esaslar" (Board decision 5999/3 of 30.12.2015), article 13
 * "Reaktif enerji tarifesi uygulamasının kapsamı", paragraph (3): a customer with an installed
 * power of 50 kVA or more pays the reactive energy charge when inductive reactive energy drawn
 * exceeds 20 % of the active energy drawn, or capacitive reactive energy given to the system
 * exceeds 15 % of it; below 50 kVA the figures are 33 % and 20 %. Paragraph (1): residential,
 * lighting and single-phase customers and those with a connection power up to 9 kW are outside
 * the reactive tariff. The same figures were earlier in article 16(4) of the "Elektrik Piyasası
 * Müşteri Hizmetleri Yönetmeliği" (as amended, Resmî Gazete 26398 of 9.1.2007).
 * Texts read: hasanyucelmuhendislik.com/reaktif-enerji-tarifesi (article 13 reproduced),
 * vedas.com.tr "Reaktif enerji bedelini kimler öder, hangi durumda öder" (VEDAŞ, a distribution
 * company, citing article 13).
 */
import { ChannelSeries, ACTIVE_IMPORT, DEFAULT_GRACE_MS, REACTIVE_CAPACITIVE, REACTIVE_INDUCTIVE, round, type EnergyFigure } from './registers.ts';
import type { Store } from '../store/store.ts';

/** Percentages of the active energy drawn above which the reactive energy charge applies. */
export interface ReactiveLimits {
  inductivePct: number;
  capacitivePct: number;
}

/**
 * The Turkish limits for customers with an installed power of 50 kVA or more (the usual case for
 * a site with a compensation panel), with the lower-power figures and the source.
 */
export const TURKISH_REACTIVE_LIMITS: ReactiveLimits & {
  source: string;
  article: string;
  appliesTo: string;
  belowFiftyKva: ReactiveLimits & { appliesTo: string };
  exempt: string;
} = Object.freeze({
  inductivePct: 20,
  capacitivePct: 15,
  source:
    'EPDK, Dağıtım Lisansı Sahibi Tüzel Kişiler ve Görevli Tedarik Şirketlerinin Tarife Uygulamalarına İlişkin Usul ve Esaslar (Board decision 5999/3, 30.12.2015)',
  article: 'article 13(3), Reaktif enerji tarifesi uygulamasının kapsamı',
  appliesTo: 'installed power 50 kVA or more',
  belowFiftyKva: Object.freeze({ inductivePct: 33, capacitivePct: 20, appliesTo: 'installed power below 50 kVA' }),
  exempt: 'residential, lighting, single-phase customers and connection power up to 9 kW (article 13(1))',
});

/**
 * A reactive ratio over `[from, to]`: energies in kWh/kvarh from register differences, the
 * percentages (null when no active energy was drawn or a figure is unknown), whether a limit is
 * exceeded (any reactive energy with no active energy exceeds), `samples` (active-register
 * readings used) and `incomplete` (why a figure may not be the interval's; empty when complete).
 */
export interface ReactiveRatio {
  modemNo: string;
  meterSerial: string;
  from: number;
  to: number;
  activeKwh: number | null;
  inductiveKvarh: number | null;
  capacitiveKvarh: number | null;
  inductivePct: number | null;
  capacitivePct: number | null;
  overInductive: boolean;
  overCapacitive: boolean;
  limits: ReactiveLimits;
  samples: number;
  /** Registers used per channel (a channel without its total register uses its tariff registers). */
  registers: { active: string[]; inductive: string[]; capacitive: string[] };
  incomplete: string[];
}

export interface RatioOptions {
  limits?: ReactiveLimits | undefined;
  /** A reading older than this at either end of the interval makes a figure incomplete (default 60 min). */
  maxAgeMs?: number | undefined;
  /** A reading stamped up to this long after an interval end stands for that end (default 60 s; see registers.ts). */
  graceMs?: number | undefined;
}

export const DEFAULT_MAX_AGE_MS = 60 * 60_000;

/** The three channels of one meter over a span, read once; answers ratios of intervals inside it. */
export class ReactiveSeries {
  readonly active: ChannelSeries;
  readonly inductive: ChannelSeries;
  readonly capacitive: ChannelSeries;

  constructor(
    store: Store,
    readonly modemNo: string,
    readonly meterSerial: string,
    from: number,
    to: number,
    graceMs = DEFAULT_GRACE_MS,
  ) {
    this.active = new ChannelSeries(store, modemNo, meterSerial, ACTIVE_IMPORT, from, to, graceMs);
    this.inductive = new ChannelSeries(store, modemNo, meterSerial, REACTIVE_INDUCTIVE, from, to, graceMs);
    this.capacitive = new ChannelSeries(store, modemNo, meterSerial, REACTIVE_CAPACITIVE, from, to, graceMs);
  }

  ratio(from: number, to: number, opts: RatioOptions = {}): ReactiveRatio {
    const maxAge = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
    const limits = pickLimits(opts.limits);
    const a = this.active.energy(from, to, maxAge);
    const i = this.inductive.energy(from, to, maxAge);
    const c = this.capacitive.energy(from, to, maxAge);
    return {
      modemNo: this.modemNo,
      meterSerial: this.meterSerial,
      from,
      to,
      activeKwh: a.value,
      inductiveKvarh: i.value,
      capacitiveKvarh: c.value,
      inductivePct: pct(i.value, a.value),
      capacitivePct: pct(c.value, a.value),
      overInductive: over(i.value, a.value, limits.inductivePct),
      overCapacitive: over(c.value, a.value, limits.capacitivePct),
      limits,
      samples: a.samples,
      registers: { active: this.active.addresses, inductive: this.inductive.addresses, capacitive: this.capacitive.addresses },
      incomplete: [...new Set([...a.incomplete, ...i.incomplete, ...c.incomplete])],
    };
  }

  /** The three raw figures (for forecasts and reports that need the anchors). */
  figures(from: number, to: number, maxAgeMs = DEFAULT_MAX_AGE_MS): { active: EnergyFigure; inductive: EnergyFigure; capacitive: EnergyFigure } {
    return { active: this.active.energy(from, to, maxAgeMs), inductive: this.inductive.energy(from, to, maxAgeMs), capacitive: this.capacitive.energy(from, to, maxAgeMs) };
  }
}

/**
 * The reactive ratio of one meter over `[from, to]` (clock ms): each energy is the difference of
 * the register readings at or before `to` and at or before `from` (a reading stamped within
 * `graceMs` after an end stands for it). Register rollovers are
 * bridged; resets, missing or stale readings are named in `incomplete`.
 */
export function reactiveRatio(store: Store, modemNo: string, meterSerial: string, from: number, to: number, opts: RatioOptions = {}): ReactiveRatio {
  return new ReactiveSeries(store, modemNo, meterSerial, from, to, opts.graceMs).ratio(from, to, opts);
}

/**
 * The month-end projection. The rest of the month is assumed to run at the rates of the recent
 * window (`recentMs` before `now`, default 7 days, within the month); with no usable recent
 * figure, at the month-to-date rates. `headroomInductiveKvarh`/`headroomCapacitiveKvarh`: how
 * much more reactive energy the projected month can take before reaching the limit (negative:
 * already past it).
 */
export interface ReactiveForecast {
  monthToDate: ReactiveRatio;
  monthStart: number;
  now: number;
  monthEnd: number;
  basis: 'recent' | 'month-to-date' | 'none';
  basisFrom: number | null;
  projectedActiveKwh: number | null;
  projectedInductiveKvarh: number | null;
  projectedCapacitiveKvarh: number | null;
  inductivePct: number | null;
  capacitivePct: number | null;
  willExceedInductive: boolean;
  willExceedCapacitive: boolean;
  headroomInductiveKvarh: number | null;
  headroomCapacitiveKvarh: number | null;
  limits: ReactiveLimits;
  incomplete: string[];
}

/** Month-to-date ratio of one meter and its projection to `monthEnd` (see `ReactiveForecast`). */
export function reactiveForecast(
  store: Store,
  modemNo: string,
  meterSerial: string,
  monthStart: number,
  now: number,
  monthEnd: number,
  opts: RatioOptions & { recentMs?: number | undefined } = {},
): ReactiveForecast {
  const limits = pickLimits(opts.limits);
  const maxAge = opts.maxAgeMs ?? DEFAULT_MAX_AGE_MS;
  const series = new ReactiveSeries(store, modemNo, meterSerial, monthStart, now, opts.graceMs);
  const mtd = series.ratio(monthStart, now, opts);
  const remaining = Math.max(0, monthEnd - now);
  const recentFrom = Math.max(monthStart, now - (opts.recentMs ?? 7 * 86_400_000));
  const recent = series.figures(recentFrom, now, maxAge);
  let basis: ReactiveForecast['basis'] = 'none';
  let basisFrom: number | null = null;
  let rates: { a: number; i: number; c: number } | undefined;
  const usable = (f: EnergyFigure) => f.value !== null && f.startAt !== null && f.endAt !== null && f.endAt > f.startAt;
  if (usable(recent.active) && recent.inductive.value !== null && recent.capacitive.value !== null && recentFrom > monthStart) {
    const span = recent.active.endAt! - recent.active.startAt!;
    rates = { a: recent.active.value! / span, i: recent.inductive.value / span, c: recent.capacitive.value / span };
    basis = 'recent';
    basisFrom = recent.active.startAt;
  } else {
    const all = series.figures(monthStart, now, maxAge);
    if (usable(all.active) && all.inductive.value !== null && all.capacitive.value !== null) {
      const span = all.active.endAt! - all.active.startAt!;
      rates = { a: all.active.value! / span, i: all.inductive.value / span, c: all.capacitive.value / span };
      basis = 'month-to-date';
      basisFrom = all.active.startAt;
    }
  }
  const project = (v: number | null, rate: number | undefined) => (v === null || rate === undefined ? null : round(v + rate * remaining));
  const pa = project(mtd.activeKwh, rates?.a);
  const pi = project(mtd.inductiveKvarh, rates?.i);
  const pc = project(mtd.capacitiveKvarh, rates?.c);
  const incomplete = [...mtd.incomplete];
  if (basis === 'none' && remaining > 0) incomplete.push('no two readings to take a consumption rate from: no projection');
  return {
    monthToDate: mtd,
    monthStart,
    now,
    monthEnd,
    basis,
    basisFrom,
    projectedActiveKwh: pa,
    projectedInductiveKvarh: pi,
    projectedCapacitiveKvarh: pc,
    inductivePct: pct(pi, pa),
    capacitivePct: pct(pc, pa),
    willExceedInductive: over(pi, pa, limits.inductivePct),
    willExceedCapacitive: over(pc, pa, limits.capacitivePct),
    headroomInductiveKvarh: pa === null || pi === null ? null : round((pa * limits.inductivePct) / 100 - pi),
    headroomCapacitiveKvarh: pa === null || pc === null ? null : round((pa * limits.capacitivePct) / 100 - pc),
    limits,
    incomplete,
  };
}

/**
 * The calendar month holding `at` in local time (`utcOffsetMin`, default 180: Turkey, UTC+3, no
 * daylight saving since 2016): `from` its first instant, `to` the first instant of the next
 * month (exclusive), both clock ms.
 */
export function billingMonth(at: number, utcOffsetMin = 180): { from: number; to: number } {
  const off = utcOffsetMin * 60_000;
  const local = new Date(at + off);
  const y = local.getUTCFullYear();
  const m = local.getUTCMonth();
  return { from: Date.UTC(y, m, 1) - off, to: Date.UTC(y, m + 1, 1) - off };
}

function pickLimits(l: ReactiveLimits | undefined): ReactiveLimits {
  const src = l ?? TURKISH_REACTIVE_LIMITS;
  return { inductivePct: src.inductivePct, capacitivePct: src.capacitivePct };
}

function pct(reactive: number | null, active: number | null): number | null {
  if (reactive === null || active === null || active <= 0) return null;
  return Math.round((reactive / active) * 100 * 100) / 100;
}

function over(reactive: number | null, active: number | null, limitPct: number): boolean {
  if (reactive === null || active === null) return false;
  if (active <= 0) return reactive > 0;
  return (reactive / active) * 100 > limitPct;
}
