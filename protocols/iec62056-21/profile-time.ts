/**
 * Time stamps of VDEW/DIN load profiles: `[s]YYMMDDhhmm[ss]` — an optional leading season digit
 * (VDEW: 0 normal time, 1 summer time), two-digit year (read as 2000…2099), month, day, hour,
 * minute and optional seconds. Plain values, never a Date of the wall clock; arithmetic goes
 * through Date.UTC on explicit fields and so does not depend on the host's time zone.
 */
import { invalidField } from './errors.ts';

export interface ProfileTime {
  /** Full year, 2000…2099. */
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  /** Present when the stamp carries seconds (12 or 13 digits). */
  second?: number;
  /** Present when the stamp starts with a season digit (11 or 13 digits). */
  season?: number;
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Checks field ranges; throws an Iec62056Error naming the field (offset = `offset`). */
export function validateProfileTime(t: ProfileTime, offset = 0): ProfileTime {
  const bad = (what: string, v: number): never => {
    throw invalidField(offset, `load profile time ${what} ${v} is out of range`);
  };
  if (!Number.isInteger(t.year) || t.year < 2000 || t.year > 2099) bad('year', t.year);
  if (!Number.isInteger(t.month) || t.month < 1 || t.month > 12) bad('month', t.month);
  if (!Number.isInteger(t.day) || t.day < 1 || t.day > daysInMonth(t.year, t.month)) bad('day', t.day);
  if (!Number.isInteger(t.hour) || t.hour < 0 || t.hour > 23) bad('hour', t.hour);
  if (!Number.isInteger(t.minute) || t.minute < 0 || t.minute > 59) bad('minute', t.minute);
  if (t.second !== undefined && (!Number.isInteger(t.second) || t.second < 0 || t.second > 59)) bad('second', t.second);
  if (t.season !== undefined && (!Number.isInteger(t.season) || t.season < 0 || t.season > 9)) bad('season', t.season);
  return t;
}

/** `[s]YYMMDDhhmm[ss]`. */
export function formatProfileTime(t: ProfileTime): string {
  validateProfileTime(t);
  const core = `${pad2(t.year % 100)}${pad2(t.month)}${pad2(t.day)}${pad2(t.hour)}${pad2(t.minute)}`;
  return `${t.season !== undefined ? String(t.season) : ''}${core}${t.second !== undefined ? pad2(t.second) : ''}`;
}

/** Parses 10 (YYMMDDhhmm), 11 (season first), 12 (with seconds) or 13 digits. */
export function parseProfileTime(text: string, offset = 0): ProfileTime {
  if (!/^\d{10,13}$/.test(text)) throw invalidField(offset, `load profile time ${JSON.stringify(text)} is not 10 to 13 digits ([s]YYMMDDhhmm[ss])`);
  const hasSeason = text.length === 11 || text.length === 13;
  const hasSeconds = text.length >= 12;
  const d = hasSeason ? text.slice(1) : text;
  const num = (i: number): number => Number(d.slice(i, i + 2));
  const t: ProfileTime = { year: 2000 + num(0), month: num(2), day: num(4), hour: num(6), minute: num(8) };
  if (hasSeconds) t.second = num(10);
  if (hasSeason) t.season = Number(text[0]);
  return validateProfileTime(t, offset);
}

/** `t` moved by `minutes` (calendar arithmetic; season and presence of seconds are kept). */
export function addMinutes(t: ProfileTime, minutes: number): ProfileTime {
  const ms = Date.UTC(t.year, t.month - 1, t.day, t.hour, t.minute, t.second ?? 0) + minutes * 60_000;
  const d = new Date(ms);
  const out: ProfileTime = {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    hour: d.getUTCHours(),
    minute: d.getUTCMinutes(),
  };
  if (t.second !== undefined) out.second = d.getUTCSeconds();
  if (t.season !== undefined) out.season = t.season;
  return out;
}
