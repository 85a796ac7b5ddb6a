/**
 * Renders a profile's readout lines from a meter's state: the number formats, date and time
 * patterns, extra bracket groups (max demand time stamps), fixed text and billing history lines
 * (`1.8.0*1`) of each brand, as data sets for the IEC 62056-21 codec.
 */
import { formatFixed, type DataSet, type DataValue } from '../../protocols/iec62056-21/data-set.ts';
import type { MeterState, MeterValue } from './meter-state.ts';
import type { MeterProfile, ReadoutLine, ValueFormat } from './profile-schema.ts';
import type { QuantityName } from './quantities.ts';

/** Formats a calendar pattern (`YY-MM-DD`, `hh:mm:ss`, `0YYMMDDhhmmss` …) from meter epoch ms. */
export function formatCalendar(pattern: string, epochMs: number, utcOffsetMin: number): string {
  const d = new Date(Math.floor(epochMs + utcOffsetMin * 60_000));
  const two = (n: number) => String(n).padStart(2, '0');
  const fields: Record<string, string> = {
    YY: two(d.getUTCFullYear() % 100),
    MM: two(d.getUTCMonth() + 1),
    DD: two(d.getUTCDate()),
    hh: two(d.getUTCHours()),
    mm: two(d.getUTCMinutes()),
    ss: two(d.getUTCSeconds()),
  };
  return pattern.replace(/YY|MM|DD|hh|mm|ss/g, (k) => fields[k]!);
}

/** A zero calendar value (an empty log entry): every digit 0, separators kept. */
function zeroCalendar(pattern: string): string {
  return pattern.replace(/YY|MM|DD|hh|mm|ss/g, '00');
}

/** Renders one value in a format; `undefined` values render as the format's zero. */
export function formatValue(value: MeterValue | undefined, format: ValueFormat, utcOffsetMin: number): string {
  switch (format.kind) {
    case 'number': {
      const n = typeof value === 'number' ? value : 0;
      // A register wider than its display rolls over, as a meter's counter does.
      const shown = Math.abs(n) % 10 ** format.integer;
      const body = formatFixed(Math.round(shown * 10 ** format.decimals) >= 10 ** (format.integer + format.decimals) ? 0 : shown, { integerDigits: format.integer, decimalDigits: format.decimals });
      if (format.sign === 'leading') return `${n > 0 ? '+' : n < 0 ? '-' : ' '}${body}`;
      return n < 0 ? `-${body}` : body;
    }
    case 'hex': {
      const text = typeof value === 'string' ? value : typeof value === 'number' ? value.toString(16).toUpperCase() : '0';
      return text.padStart(format.digits, '0').slice(-format.digits);
    }
    case 'text':
      return (typeof value === 'string' ? value : String(value ?? '')).slice(0, format.maxLength);
    case 'date':
    case 'time':
    case 'datetime': {
      const t = value !== undefined && typeof value === 'object' && 'time' in value ? value.time : 0;
      return t > 0 ? formatCalendar(format.pattern, t, utcOffsetMin) : zeroCalendar(format.pattern);
    }
    case 'interval': {
      const iv = value !== undefined && typeof value === 'object' && 'start' in value ? value : { start: 0, end: 0 };
      const [a, b] = halves(format.pattern);
      const part = (p: string, t: number) => (t > 0 ? formatCalendar(p, t, utcOffsetMin) : zeroCalendar(p));
      return `${part(a, iv.start)},${part(b, iv.end)}`;
    }
  }
}

/** `YY-MM-DD,hh:mm,YY-MM-DD,hh:mm` → the start and end halves. */
function halves(pattern: string): [string, string] {
  const parts = pattern.split(',');
  const mid = parts.length / 2;
  return [parts.slice(0, mid).join(','), parts.slice(mid).join(',')];
}

type Lookup = (q: QuantityName) => MeterValue | undefined;

/** Fixed text as printed: `01*hour` is the value `01` with the unit `hour`. */
function fixedValue(text: string): DataValue {
  const star = text.indexOf('*');
  return star < 0 ? { value: text } : { value: text.slice(0, star), unit: text.slice(star + 1) };
}

interface Binding {
  quantity?: QuantityName | undefined;
  format?: ValueFormat | undefined;
  unit?: string | undefined;
  fixed?: string | string[] | undefined;
  extra?: ReadoutLine['extra'];
}

function lineValues(line: Binding, lookup: Lookup, serial: string, utcOffsetMin: number, withUnit: boolean, withExtra: boolean): DataValue[] {
  const values: DataValue[] = [];
  if (line.fixed !== undefined) {
    for (const f of Array.isArray(line.fixed) ? line.fixed : [line.fixed]) values.push(fixedValue(f.replaceAll('{serial}', serial)));
  } else if (line.quantity && line.format) {
    const v: DataValue = { value: formatValue(lookup(line.quantity), line.format, utcOffsetMin) };
    if (withUnit && line.unit) v.unit = line.unit;
    values.push(v);
  } else values.push({ value: '' });
  if (withExtra) {
    for (const x of line.extra ?? []) {
      if (x.fixed !== undefined) {
        for (const f of Array.isArray(x.fixed) ? x.fixed : [x.fixed]) values.push(fixedValue(f));
        continue;
      }
      const v: DataValue = { value: x.quantity && x.format ? formatValue(lookup(x.quantity), x.format, utcOffsetMin) : '' };
      if (withUnit && x.unit) v.unit = x.unit;
      values.push(v);
    }
  }
  return values;
}

/**
 * The data sets of one readout line at time `t`: the line itself (unless `history.base` is
 * false), then its history lines. A line whose own code carries `*n` (Makel prints `1.8.0*1`
 * as lines of their own) shows the value of `n` periods back.
 */
export function renderLine(line: ReadoutLine, state: MeterState, t: number): DataSet[] {
  const off = state.utcOffsetMin;
  const serial = state.serial;
  const out: DataSet[] = [];
  const h = line.history;
  const own = /\*(\d+)$/.exec(line.obis);
  const current: Lookup = own ? (q) => state.historyValue(q, Number(own[1])) : (q) => state.value(q, t);
  if (!h || h.base) out.push({ address: line.obis, values: lineValues(line, current, serial, off, true, true) });
  if (h) {
    const resets = state.billingPeriods;
    const bound: Binding = h.quantity ? { quantity: h.quantity, format: h.format ?? line.format, unit: line.unit } : line;
    for (let n = 1; n <= h.count; n++) {
      let suffix: number;
      if (h.numbering === 'reset-counter') {
        const counter = resets - n + 1;
        if (counter < 1) break; // no such period yet
        suffix = h.modulo ? counter % h.modulo || h.modulo : counter;
      } else suffix = n;
      out.push({
        address: `${line.obis}*${String(suffix).padStart(h.digits, '0')}`,
        values: lineValues(bound, (q) => state.historyValue(q, n), serial, off, h.unit, h.extra),
      });
    }
  }
  return out;
}

/** The whole readout block (one data set per line) at time `t`. */
export function renderReadout(profile: MeterProfile, state: MeterState, t: number): DataSet[][] {
  const lines: DataSet[][] = [];
  for (const line of profile.readout) for (const set of renderLine(line, state, t)) lines.push([set]);
  return lines;
}

/**
 * The identification message fields of a profile: the `\\W` enhanced-capability pairs at its
 * start, and the identification proper with `{serial}` replaced.
 */
export function renderIdentification(profile: MeterProfile, serial: string): { enhanced: string[]; ident: string } {
  let text = profile.identification.replaceAll('{serial}', serial);
  const enhanced: string[] = [];
  while (text.startsWith('\\') && text.length >= 2) {
    enhanced.push(text[1]!);
    text = text.slice(2);
  }
  return { enhanced, ident: text };
}
