/**
 * Local calendar time at a fixed offset from UTC (Turkey: +180 min, no daylight saving since
 * 2016): bucket boundaries for hourly, daily and monthly reports, month names, labels.
 */
import type { Bucket } from './report-inputs.ts';

const MINUTE = 60_000;

/** The start of the bucket holding `t` (local hour, day or month), clock ms. */
export function bucketStart(t: number, bucket: Bucket, utcOffsetMin: number): number {
  const off = utcOffsetMin * MINUTE;
  const local = new Date(t + off);
  const y = local.getUTCFullYear();
  const mo = local.getUTCMonth();
  const d = local.getUTCDate();
  if (bucket === 'hour') return Date.UTC(y, mo, d, local.getUTCHours()) - off;
  if (bucket === 'day') return Date.UTC(y, mo, d) - off;
  return Date.UTC(y, mo, 1) - off;
}

/** The start of the bucket after the one starting at `start`. */
export function nextBucket(start: number, bucket: Bucket, utcOffsetMin: number): number {
  if (bucket === 'hour') return start + 60 * MINUTE;
  const off = utcOffsetMin * MINUTE;
  const local = new Date(start + off);
  const y = local.getUTCFullYear();
  const mo = local.getUTCMonth();
  if (bucket === 'day') return Date.UTC(y, mo, local.getUTCDate() + 1) - off;
  return Date.UTC(y, mo + 1, 1) - off;
}

/** The month `YYYY-MM` (local) as `[from, to)` clock ms. */
export function monthRange(month: string, utcOffsetMin: number): { from: number; to: number } {
  const y = Number(month.slice(0, 4));
  const mo = Number(month.slice(5, 7)) - 1;
  const off = utcOffsetMin * MINUTE;
  return { from: Date.UTC(y, mo, 1) - off, to: Date.UTC(y, mo + 1, 1) - off };
}

/** Local time as `2026-03-01T13:00+03:00` (minutes precision), for labels. */
export function localLabel(t: number, utcOffsetMin: number): string {
  const iso = new Date(t + utcOffsetMin * MINUTE).toISOString().slice(0, 16);
  const sign = utcOffsetMin < 0 ? '-' : '+';
  const a = Math.abs(utcOffsetMin);
  return `${iso}${sign}${String(Math.floor(a / 60)).padStart(2, '0')}:${String(a % 60).padStart(2, '0')}`;
}

/** The local month `YYYY-MM` holding `t`. */
export function monthOf(t: number, utcOffsetMin: number): string {
  return new Date(t + utcOffsetMin * MINUTE).toISOString().slice(0, 7);
}
