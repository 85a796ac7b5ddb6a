/**
 * Axis ticks: round values for a value axis (1, 2, 2.5, 5 × 10^k), and local-time ticks for a
 * time axis (at a fixed offset from UTC, e.g. +180 min for Turkey) at whole minutes, hours, days
 * of the month or months, with labels in 24-hour `HH:mm`, `DD.MM` or `Mon YYYY`.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/**
 * Round tick values covering `[lo, hi]`, about `count` of them (at least 2 when hi > lo): the
 * first tick is at or below `lo`, the last at or above `hi`. Values are rounded to the step's
 * precision (no 0.30000000000000004).
 */
export function niceTicks(lo: number, hi: number, count = 5): number[] {
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) return [0, 1];
  if (hi < lo) [lo, hi] = [hi, lo];
  if (hi === lo) {
    const pad = lo === 0 ? 1 : Math.abs(lo) / 10;
    return niceTicks(lo - pad, hi + pad, count);
  }
  const raw = (hi - lo) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const m = [1, 2, 2.5, 5, 10].find((k) => k * mag >= raw * (1 - 1e-9)) ?? 10;
  const step = m * mag;
  const decimals = Math.max(0, -Math.round(Math.log10(mag)) - (m === 10 ? 1 : 0) + (m === 2.5 ? 1 : 0));
  const first = Math.floor(lo / step + 1e-9);
  const last = Math.ceil(hi / step - 1e-9);
  const out: number[] = [];
  for (let k = first; k <= last; k++) out.push(Number((k * step).toFixed(decimals)));
  return out;
}

/** Formats a tick value with the decimals its step needs (`2.5`, `0.25`, `120`). */
export function tickLabel(value: number, ticks: readonly number[]): string {
  let decimals = 0;
  for (const t of ticks) {
    const s = String(t);
    const dot = s.indexOf('.');
    if (dot >= 0 && !s.includes('e')) decimals = Math.max(decimals, s.length - dot - 1);
  }
  return value.toFixed(Math.min(decimals, 6));
}

/** A tick of a time axis: clock ms and its local label. */
export interface TimeTick {
  t: number;
  label: string;
}

type Unit = 'minute' | 'hour' | 'day' | 'month';
const STEPS: readonly { unit: Unit; n: number }[] = [
  ...[1, 5, 10, 15, 30].map((n) => ({ unit: 'minute' as const, n })),
  ...[1, 2, 3, 6, 12].map((n) => ({ unit: 'hour' as const, n })),
  ...[1, 2, 5, 7, 14].map((n) => ({ unit: 'day' as const, n })),
  ...[1, 2, 3, 6, 12, 24, 60, 120].map((n) => ({ unit: 'month' as const, n })),
];

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Local calendar fields of clock ms `t` at `utcOffsetMin`. */
export function localParts(t: number, utcOffsetMin: number): { year: number; month: number; day: number; hour: number; minute: number } {
  const d = new Date(t + utcOffsetMin * MINUTE);
  return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate(), hour: d.getUTCHours(), minute: d.getUTCMinutes() };
}

const two = (n: number) => String(n).padStart(2, '0');

/** `DD.MM.YYYY HH:mm` in local time. */
export function localDateTime(t: number, utcOffsetMin: number): string {
  const p = localParts(t, utcOffsetMin);
  return `${two(p.day)}.${two(p.month)}.${p.year} ${two(p.hour)}:${two(p.minute)}`;
}

/** `UTC+03:00`. */
export function offsetName(utcOffsetMin: number): string {
  const a = Math.abs(utcOffsetMin);
  return `UTC${utcOffsetMin < 0 ? '-' : '+'}${two(Math.floor(a / 60))}:${two(a % 60)}`;
}

function aligned(t: number, s: { unit: Unit; n: number }, off: number): boolean {
  const p = localParts(t, off);
  if (s.unit === 'minute') return p.minute % s.n === 0;
  if (p.minute !== 0) return false;
  if (s.unit === 'hour') return p.hour % s.n === 0;
  if (p.hour !== 0) return false;
  if (s.unit === 'day') return (p.day - 1) % s.n === 0;
  return p.day === 1 && ((p.year * 12 + p.month - 1) % s.n) === 0;
}

/** The next candidate after `t` for a step's unit (one minute, hour, day or month on). */
function advance(t: number, unit: Unit, off: number): number {
  if (unit === 'minute') return t + MINUTE;
  if (unit === 'hour') return t + HOUR;
  if (unit === 'day') return t + DAY;
  const p = localParts(t, off);
  return Date.UTC(p.year, p.month, 1) - off * MINUTE;
}

/** The first candidate at or after `t` on the unit's grid (whole minute, hour, day, month start). */
function ceilTo(t: number, unit: Unit, off: number): number {
  const shifted = t + off * MINUTE;
  const size = unit === 'minute' ? MINUTE : unit === 'hour' ? HOUR : DAY;
  const c = Math.ceil(shifted / size) * size - off * MINUTE;
  if (unit !== 'month') return c;
  const p = localParts(c, off);
  return p.day === 1 ? c : Date.UTC(p.year, p.month, 1) - off * MINUTE;
}

function label(t: number, s: { unit: Unit; n: number }, off: number, multiDay: boolean): string {
  const p = localParts(t, off);
  if (s.unit === 'month') return `${MONTHS[p.month - 1]} ${p.year}`;
  if (s.unit === 'day') return `${two(p.day)}.${two(p.month)}`;
  if (multiDay && p.hour === 0 && p.minute === 0) return `${two(p.day)}.${two(p.month)}`;
  return `${two(p.hour)}:${two(p.minute)}`;
}

/**
 * Ticks of a time axis over `[from, to]` in local time at `utcOffsetMin`: the finest step of
 * 1–30 minutes, 1–12 hours, 1–14 days or 1–120 months that gives at most `maxTicks` ticks, at
 * whole local units (hours divisible by the step, days of the month 1, 1+n, …, first days of
 * months). Labels: `HH:mm` (and `DD.MM` at midnight when the axis spans days), `DD.MM`, `Mon YYYY`.
 */
export function timeTicks(from: number, to: number, utcOffsetMin: number, maxTicks = 8): TimeTick[] {
  if (!(to > from)) return [];
  const multiDay = to - from > DAY;
  for (const s of STEPS) {
    const approx = s.unit === 'minute' ? s.n * MINUTE : s.unit === 'hour' ? s.n * HOUR : s.unit === 'day' ? s.n * DAY : s.n * 28 * DAY;
    if ((to - from) / approx > maxTicks * 1.5 + 1) continue;
    const out: number[] = [];
    for (let t = ceilTo(from, s.unit, utcOffsetMin); t <= to && out.length <= maxTicks; t = advance(t, s.unit, utcOffsetMin)) {
      if (aligned(t, s, utcOffsetMin)) out.push(t);
    }
    // Day ticks restart at each month's first day: drop one that falls too close before it.
    const kept = s.unit === 'day' && s.n > 1 ? out.filter((t, i) => out[i + 1] === undefined || out[i + 1]! - t >= (s.n / 2) * DAY) : out;
    if (kept.length <= maxTicks) return kept.map((t) => ({ t, label: label(t, s, utcOffsetMin, multiDay) }));
  }
  return [];
}
