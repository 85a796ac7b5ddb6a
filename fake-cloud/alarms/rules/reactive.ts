/**
 * Reactive ratio of a meter against the limits (default: the Turkish 20 % inductive, 15 %
 * capacitive of the active energy drawn), over the billing month to the reading's time, from the
 * meter's cumulative registers (`reports/reactive-ratio.ts`). Judged at each meter reading that
 * carries a reactive register (`5.8.x`, `8.8.x`), once the month holds `minActiveKwh`.
 *
 * - `reactive-ratio` (`meter:<serial>/inductive`, `…/capacitive`): raised when the month-to-date
 *   ratio is over its limit; cleared when it is `clearMarginPct` under it — including at the
 *   start of a new billing month, when the ratio starts again from that month's readings.
 * - `reactive-forecast` (same subjects): raised when the month-end projection (recent consumption
 *   rates carried to the end of the month) is over the limit; cleared when it is back under it
 *   by the margin. Independent of `reactive-ratio`: a site over the limit usually has both.
 *   Judged at most every `everyMin` minutes per meter, and at the first reading of a month.
 *
 * Cost: the month-to-date figures are kept running (subject `meter:<serial>`: the last reading's
 * registers and the month's sums), so a reading costs a few register differences. The full
 * computation of the reports (every reading of the month) is used for the first reading, after a
 * register reset, and for meters without the total registers (`1.8.0`, `5.8.0`, `8.8.0`); both
 * give the same figures (same anchor rule: the last reading at or before the month's start,
 * rollovers bridged, energies rounded to 1 mWh).
 */
import { dateAt } from '../../../core/clock/index.ts';
import type { MeterReadingBody } from '../../../protocols/uplink/records.ts';
import { billingMonth, reactiveForecast, reactiveRatio } from '../../reports/reactive-ratio.ts';
import { parseRegister, round } from '../../reports/registers.ts';
import type { Finding, RecordRule, RuleContext } from '../finding.ts';
import { num } from './words.ts';

const DIRECTIONS = [
  { dir: 'inductive', register: /^5\.8\.\d$/ },
  { dir: 'capacitive', register: /^8\.8\.\d$/ },
] as const;

/** A decrease counts as a rollover when the wrapped increase is at most this share of the range (as the reports count). */
const ROLLOVER_SHARE = 0.05;

type Reg = { value: number; modulus: number };
/** Active kWh; inductive and capacitive kvarh (null: the meter sends no such register). */
type Sums = { a: number; i: number | null; c: number | null };

/** What the rule keeps per meter between readings. */
export interface RunningMonth {
  /** Start of the billing month the sums are for (clock ms). */
  month: number;
  /** Time of the last reading taken in. */
  at: number;
  /** Its total registers (kWh, kvarh). */
  reg: { a: Reg; i: Reg; c: Reg } | null;
  /** Energy of the month up to `at`: active kWh, inductive and capacitive kvarh. */
  sum: Sums | null;
  /** When the forecast was last judged, and for which month. */
  forecastAt?: number | undefined;
  forecastMonth?: number | undefined;
}

export const reactiveRule: RecordRule = (ctx, r) => {
  const ratioOn = ctx.settings['reactive-ratio'].enabled;
  const forecastOn = ctx.settings['reactive-forecast'].enabled;
  if (r.kind !== 'meter-reading' || (!ratioOn && !forecastOn)) return [];
  const b = r.body as MeterReadingBody;
  if (!b.values?.some((v) => DIRECTIONS.some((d) => d.register.test(v.address)))) return [];
  const memSubject = `meter:${b.meterSerial}`;
  const prev = ctx.alarms.memory<RunningMonth>(ctx.modemNo, 'reactive-ratio', memSubject);
  if (prev && r.at <= prev.lastAt) return []; // a late resend: the newer reading was judged
  const month = billingMonth(r.at, ctx.settings.utcOffsetMin);
  const since = dateAt(month.from + ctx.settings.utcOffsetMin * 60_000).toISOString().slice(0, 10);
  const running: RunningMonth = { month: month.from, at: r.at, reg: totals(b), sum: null, forecastAt: prev?.data.forecastAt, forecastMonth: prev?.data.forecastMonth };
  const out: Finding[] = [];

  if (ratioOn) {
    const s = ctx.settings['reactive-ratio'];
    running.sum = runningSums(prev?.data, running, month.from) ?? fullSums(ctx, b.meterSerial, month.from, r.at);
    const sum = running.sum;
    if (sum && sum.a >= s.minActiveKwh) {
      for (const { dir } of DIRECTIONS) {
        const kvarh = dir === 'inductive' ? sum.i : sum.c;
        if (kvarh === null) continue;
        const limit = dir === 'inductive' ? s.inductivePct : s.capacitivePct;
        const pct = sum.a > 0 ? Math.round((kvarh / sum.a) * 100 * 100) / 100 : null;
        const over = sum.a > 0 ? (kvarh / sum.a) * 100 > limit : kvarh > 0;
        const verdict = over ? 'raise' : pct !== null && pct <= limit - s.clearMarginPct ? 'clear' : 'hold';
        const figure = `${dir} ratio ${pct === null ? '—' : `${num(pct, 2)} %`} (${num(kvarh, 1)} kvarh / ${num(sum.a, 1)} kWh since ${since})`;
        out.push({
          rule: 'reactive-ratio', subject: `meter:${b.meterSerial}/${dir}`, about: `meter ${b.meterSerial}, ${dir}`, at: r.at, verdict,
          text: over ? `${figure}, over the limit of ${limit} %` : `${figure}, within the limit of ${limit} %`,
          details: { value: pct ?? undefined, limit, unit: '%', activeKwh: sum.a, reactiveKvarh: kvarh, monthFrom: month.from },
          memory: {},
        });
      }
    }
  }

  const f = ctx.settings['reactive-forecast'];
  const due = running.forecastMonth !== month.from || running.forecastAt === undefined || r.at - running.forecastAt >= f.everyMin * 60_000;
  if (forecastOn && due) {
    const judged = forecast(ctx, b.meterSerial, r.at, month);
    if (judged) {
      running.forecastAt = r.at;
      running.forecastMonth = month.from;
      out.push(...judged);
    }
  }
  out.push({ rule: 'reactive-ratio', subject: memSubject, about: `meter ${b.meterSerial}`, at: r.at, verdict: 'hold', text: 'running month figures', memory: running });
  return out;
};

/** The forecast's findings; undefined while there is nothing to project from yet. */
function forecast(ctx: RuleContext, meterSerial: string, at: number, month: { from: number; to: number }): Finding[] | undefined {
  const s = ctx.settings['reactive-forecast'];
  const f = reactiveForecast(ctx.store, ctx.modemNo, meterSerial, month.from, at, month.to, { limits: { inductivePct: s.inductivePct, capacitivePct: s.capacitivePct } });
  if (f.basis === 'none' || f.monthToDate.activeKwh === null || f.monthToDate.activeKwh < s.minActiveKwh) return undefined;
  const out: Finding[] = [];
  for (const { dir } of DIRECTIONS) {
    const pct = dir === 'inductive' ? f.inductivePct : f.capacitivePct;
    const limit = dir === 'inductive' ? s.inductivePct : s.capacitivePct;
    const over = dir === 'inductive' ? f.willExceedInductive : f.willExceedCapacitive;
    if (pct === null && !over) continue;
    const verdict = over ? 'raise' : pct !== null && pct <= limit - s.clearMarginPct ? 'clear' : 'hold';
    const figure = `${dir} ratio projected to month end ${pct === null ? '—' : `${num(pct, 2)} %`}`;
    out.push({
      rule: 'reactive-forecast', subject: `meter:${meterSerial}/${dir}`, about: `meter ${meterSerial}, ${dir}`, at, verdict,
      text: over ? `${figure}, over the limit of ${limit} %` : `${figure}, within the limit of ${limit} %`,
      details: { value: pct ?? undefined, limit, unit: '%', basis: f.basis, monthEnd: month.to },
      memory: {},
    });
  }
  return out;
}

/** The reading's total registers, or null when one is missing or unreadable. */
function totals(b: MeterReadingBody): RunningMonth['reg'] {
  const get = (address: string): Reg | undefined => {
    const v = b.values?.find((x) => x.address === address);
    return v ? parseRegister(v.value, v.unit ?? null) : undefined;
  };
  const a = get('1.8.0');
  const i = get('5.8.0');
  const c = get('8.8.0');
  return a && i && c ? { a, i, c } : null;
}

/**
 * The month's sums carried on from the previous reading: same month, or the first reading of a
 * new month (the previous reading is then the month's anchor). Undefined when they cannot be
 * (no previous figures, a register reset, a reading without totals).
 */
function runningSums(prev: RunningMonth | undefined, now: RunningMonth, monthFrom: number): Sums | undefined {
  if (!now.reg) return undefined;
  if (now.at === monthFrom) return { a: 0, i: 0, c: 0 }; // a reading at the month's first instant is its anchor
  if (!prev?.reg) return undefined;
  const base = prev.month === monthFrom ? prev.sum : prev.at <= monthFrom ? { a: 0, i: 0, c: 0 } : undefined;
  if (!base || base.i === null || base.c === null) return undefined;
  const da = delta(prev.reg.a, now.reg.a);
  const di = delta(prev.reg.i, now.reg.i);
  const dc = delta(prev.reg.c, now.reg.c);
  if (da === undefined || di === undefined || dc === undefined) return undefined;
  return { a: round(base.a + da), i: round((base.i ?? 0) + di), c: round((base.c ?? 0) + dc) };
}

function delta(prev: Reg, now: Reg): number | undefined {
  const d = now.value - prev.value;
  if (d >= 0) return d;
  const wrapped = prev.modulus - prev.value + now.value;
  return wrapped <= prev.modulus * ROLLOVER_SHARE ? wrapped : undefined;
}

/** The month's sums computed from every reading (the reports' figures). */
function fullSums(ctx: RuleContext, meterSerial: string, from: number, to: number): Sums | null {
  const s = ctx.settings['reactive-ratio'];
  const r = reactiveRatio(ctx.store, ctx.modemNo, meterSerial, from, to, { limits: { inductivePct: s.inductivePct, capacitivePct: s.capacitivePct } });
  if (r.activeKwh === null) return null;
  return { a: r.activeKwh, i: r.inductiveKvarh, c: r.capacitiveKvarh };
}
