/**
 * The words of a notification: e-mail subject and body, SMS text. Factual and short: modem, site
 * location when known, what happened, the value and its limit, the time (UTC and local).
 */
import { dateAt } from '../../core/clock/index.ts';

/** One alarm transition as the notifier needs it. */
export interface AlarmNotice {
  alarmId: number;
  modemNo: string;
  /** The alarm kind (rule name), as recipients choose them: `mains-outage`. */
  kind: string;
  /** The kind in words: `mains outage`. */
  title: string;
  /** What the alarm is about, in words: `meter 30012345, inductive`. */
  about: string;
  transition: 'raised' | 'cleared';
  /** When the condition began or ended (clock ms, the fact's time). */
  at: number;
  /** The finding in one sentence: `inductive ratio 31.4 % over the limit of 20 %`. */
  text: string;
  value?: number | undefined;
  limit?: number | undefined;
  unit?: string | undefined;
  /** Terminal model, when known. */
  model?: string | null | undefined;
}

export interface TextOptions {
  /** Site location of the modem, when its settings hold one. */
  location?: string | undefined;
  /** Local time offset for the times shown (default 180: Turkey). */
  utcOffsetMin?: number;
}

/** `2026-01-05 03:01:00 (UTC+3)`: local time with its offset. */
export function localTime(at: number, utcOffsetMin = 180): string {
  const d = dateAt(at + utcOffsetMin * 60_000).toISOString();
  const h = utcOffsetMin / 60;
  const off = utcOffsetMin === 0 ? 'UTC' : `UTC${h >= 0 ? '+' : '-'}${Number.isInteger(h) ? Math.abs(h) : Math.abs(h).toFixed(1)}`;
  return `${d.slice(0, 10)} ${d.slice(11, 19)} (${off})`;
}

function heading(n: AlarmNotice): string {
  return n.transition === 'raised' ? 'ALARM' : 'CLEARED';
}

export function mailSubject(n: AlarmNotice): string {
  return `[${heading(n)}] modem ${n.modemNo}: ${n.title} (${n.about})`;
}

export function mailBody(n: AlarmNotice, o: TextOptions = {}): string {
  const lines = [
    `${n.transition === 'raised' ? 'Alarm raised' : 'Alarm cleared'}: ${n.title}`,
    '',
    `Modem:     ${n.modemNo}${n.model ? ` (${n.model})` : ''}`,
    ...(o.location ? [`Site:      ${o.location}`] : []),
    `About:     ${n.about}`,
    `What:      ${n.text}`,
    ...(n.value !== undefined ? [`Value:     ${fmt(n.value)}${n.unit ? ` ${n.unit}` : ''}`] : []),
    ...(n.limit !== undefined ? [`Limit:     ${fmt(n.limit)}${n.unit ? ` ${n.unit}` : ''}`] : []),
    `Time:      ${localTime(n.at, o.utcOffsetMin)} = ${dateAt(n.at).toISOString()}`,
    `Alarm id:  ${n.alarmId} (${n.kind})`,
    '',
    'SmartPower energy monitoring system',
  ];
  return lines.join('\n');
}

/** One SMS (kept under 160 characters where the location allows). */
export function smsText(n: AlarmNotice, o: TextOptions = {}): string {
  const where = o.location ? ` ${o.location}` : '';
  return `${heading(n)} ${n.modemNo}${where}: ${n.title}, ${n.text}. ${localTime(n.at, o.utcOffsetMin).slice(0, 16)} #${n.alarmId}`;
}

function fmt(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Math.round(v * 100) / 100);
}
