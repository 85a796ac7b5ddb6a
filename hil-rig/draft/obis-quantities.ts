/**
 * What a readout line most likely carries: the quantity of the meter vocabulary for an OBIS code
 * (as `emulators/meters/quantities.ts` documents them), and a value format read off a captured
 * value. Pure lookups; a code or value this cannot place is left to the caller (a fixed line).
 */
import type { QuantityName } from '../../emulators/meters/quantities.ts';
import { quantityDef } from '../../emulators/meters/quantities.ts';
import type { ValueFormat } from '../../emulators/meters/profile-schema.ts';

const TARIFF = ['total', 't1', 't2', 't3', 't4'] as const;
const PHASE: Record<string, 'l1' | 'l2' | 'l3'> = { '2': 'l1', '4': 'l2', '6': 'l3', '3': 'l1', '5': 'l2', '7': 'l3' };

const FIXED: Record<string, QuantityName> = {
  '0.0.0': 'meter.serial', 'C.1.0': 'meter.serial', '0.0.1': 'meter.serial.secondary', '0.2.0': 'firmware.version',
  '0.9.1': 'meter.time', '0.9.2': 'meter.date', '0.9.5': 'meter.weekday',
  'F.F': 'meter.status', 'F.F.0': 'meter.status', 'F.F.1': 'meter.status.secondary',
  '0.8.0': 'demand.period', '0.8.4': 'loadProfile.period', '0.1.0': 'billing.reset.count',
  '1.7.0': 'power.active.total', '16.7.0': 'power.active.total', '2.7.0': 'power.active.export.total', '3.7.0': 'power.reactive.total',
  '14.7.0': 'frequency', '13.7.0': 'pf.total', '1.5.0': 'demand.average.import', '2.5.0': 'demand.average.export',
  '5.5.0': 'demand.average.reactive.inductive', '8.5.0': 'demand.average.reactive.capacitive',
  '1.2.0': 'demand.cumulative.import', '2.2.0': 'demand.cumulative.export',
  '96.1.3': 'meter.productionDate', '96.2.5': 'meter.calibrationDate', '96.6.1': 'battery.status', '96.2.2': 'tariff.lastChange',
  '96.70': 'cover.top.last', '96.71': 'cover.terminal.last', 'C.7.0': 'outage.count', '96.7.0': 'outage.count',
  '96.7.1': 'outage.count.l1', '96.7.2': 'outage.count.l2', '96.7.3': 'outage.count.l3',
  '96.77.4': 'warning.voltage.count', '96.77.5': 'warning.current.count', '96.77.6': 'warning.magnetic.count',
};

/** Codes whose `*n` history lines hold another quantity than the base line. */
const HISTORY: Record<string, QuantityName> = {
  '0.1.2': 'billing.reset.at', '96.77.0': 'outage.interval', '96.77.1': 'outage.interval.l1', '96.77.2': 'outage.interval.l2',
  '96.77.3': 'outage.interval.l3', '96.77.4': 'warning.voltage.interval', '96.77.5': 'warning.current.interval', '96.77.6': 'warning.magnetic.interval',
};

const ENERGY: Record<string, string> = {
  '1': 'energy.import', '2': 'energy.export', '3': 'energy.reactive.import', '4': 'energy.reactive.export',
  '5': 'energy.reactive.inductive', '6': 'energy.reactive.q2', '7': 'energy.reactive.q3', '8': 'energy.reactive.capacitive',
};

/** The quantity an OBIS code (`1.8.0`, `1-0:1.8.1*2`, `96.77.0*1`) is bound to, or undefined. */
export function quantityForObis(obis: string): QuantityName | undefined {
  const m = /^(?:\d{1,3}-\d{1,3}:)?([0-9A-Z]{1,3}(?:\.[0-9A-Z]{1,3}){0,2})(?:[*&](\d{1,3}))?$/.exec(obis);
  if (!m) return undefined;
  const code = m[1]!;
  const history = m[2] !== undefined;
  if (history && HISTORY[code]) return HISTORY[code];
  if (FIXED[code]) return FIXED[code];
  const [c, d, e = '0'] = code.split('.');
  const tariff = TARIFF[Number(e)];
  if (d === '8' && ENERGY[c!] && tariff) return `${ENERGY[c!]}.${tariff}` as QuantityName;
  if (d === '6' && (c === '1' || c === '2') && tariff) return `demand.max.${c === '1' ? 'import' : 'export'}${tariff === 'total' ? '' : `.${tariff}`}` as QuantityName;
  if (d === '7' && e === '0' && c) {
    const n = Number(c);
    const phase = PHASE[String(Math.floor(n / 10))];
    const kind = n % 20;
    if (phase && n >= 21 && n <= 74) {
      if (kind === 1) return `power.active.${phase}` as QuantityName;
      if (kind === 2) return `power.active.export.${phase}` as QuantityName;
      if (kind === 3) return `power.reactive.${phase}` as QuantityName;
      if (kind === 12) return `voltage.${phase}` as QuantityName;
      if (kind === 11) return `current.${phase}` as QuantityName;
      if (kind === 13) return `pf.${phase}` as QuantityName;
      if (kind === 14) return `frequency.${phase}` as QuantityName;
    }
  }
  return undefined;
}

/** The quantity of the time stamp printed after a max demand value (`1.6.1(…)(time)`). */
export function demandTimeQuantity(q: QuantityName): QuantityName | undefined {
  const at = `${q}.at`;
  return quantityDef(at) ? (at as QuantityName) : undefined;
}

const DATE: [RegExp, string][] = [[/^\d\d-\d\d-\d\d$/, 'YY-MM-DD'], [/^0\d{6}$/, '0YYMMDD'], [/^\d{6}$/, 'YYMMDD']];
const TIME: [RegExp, string][] = [[/^\d\d:\d\d:\d\d$/, 'hh:mm:ss'], [/^\d\d:\d\d$/, 'hh:mm'], [/^0\d{6}$/, '0hhmmss'], [/^\d{6}$/, 'hhmmss']];
const DATETIME: [RegExp, string][] = [
  [/^\d\d-\d\d-\d\d,\d\d:\d\d$/, 'YY-MM-DD,hh:mm'], [/^\d\d-\d\d-\d\d,\d\d:\d\d:\d\d$/, 'YY-MM-DD,hh:mm:ss'],
  [/^0\d{12}$/, '0YYMMDDhhmmss'], [/^\d{12}$/, 'YYMMDDhhmmss'], [/^\d{10}$/, 'YYMMDDhhmm'],
];
const INTERVAL: [RegExp, string][] = [[/^\d\d-\d\d-\d\d,\d\d:\d\d,\d\d-\d\d-\d\d,\d\d:\d\d$/, 'YY-MM-DD,hh:mm,YY-MM-DD,hh:mm']];

function pattern(table: readonly [RegExp, string][], value: string): string | undefined {
  return table.find(([re]) => re.test(value))?.[1];
}

/**
 * The format that prints `value` for a quantity of `quantity`'s value kind, read off one sample
 * (`000123.456` → 6.3, `+1.00` → 1.2 with a sign position); undefined when the sample does not fit.
 */
export function formatForValue(quantity: QuantityName, value: string): ValueFormat | undefined {
  const def = quantityDef(quantity);
  if (!def) return undefined;
  switch (def.value) {
    case 'number': {
      const m = /^([+\- ]?)(\d+)(?:\.(\d+))?$/.exec(value);
      if (!m || m[2]!.length > 12 || (m[3]?.length ?? 0) > 8) return undefined;
      return { kind: 'number', integer: m[2]!.length, decimals: m[3]?.length ?? 0, sign: m[1] ? 'leading' : 'none' };
    }
    case 'text':
      if (value.length === 0 || value.length > 128) return undefined;
      return /^[0-9A-F]+$/.test(value) && /[A-F]/.test(value) || def.kind === 'status' && /^[0-9A-F]{1,16}$/.test(value)
        ? { kind: 'hex', digits: value.length }
        : { kind: 'text', maxLength: value.length };
    case 'date': {
      const p = pattern(DATE, value);
      return p ? ({ kind: 'date', pattern: p } as ValueFormat) : undefined;
    }
    case 'time': {
      const p = pattern(TIME, value);
      return p ? ({ kind: 'time', pattern: p } as ValueFormat) : undefined;
    }
    case 'datetime': {
      const p = pattern(DATETIME, value);
      return p ? ({ kind: 'datetime', pattern: p } as ValueFormat) : undefined;
    }
    case 'interval': {
      const p = pattern(INTERVAL, value);
      return p ? ({ kind: 'interval', pattern: p } as ValueFormat) : undefined;
    }
  }
}
