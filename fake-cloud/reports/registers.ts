/**
 * Energy from a meter's cumulative registers (`1.8.0`, `5.8.0`, …): the energy of an interval is
 * the difference of the register readings at or before its two ends, never a sum of
 * instantaneous values. A terminal reads its meters at the start of each period (aligned to the
 * clock: :00, :15, …) and stamps a reading with the end of the readout, seconds later; so a
 * reading stamped up to `graceMs` (default 60 s) after an interval end stands for that end.
 * A series walks the readings once and keeps a continuous count that
 * carries across a register rollover (`999999.999 → 000000.512`); a register that goes back
 * without a rollover (a reset) breaks the count, and every figure whose interval spans the break
 * says so in `incomplete`.
 */
import { isoTime } from '../../core/clock/index.ts';
import type { Store } from '../store/store.ts';

/** A register and what to use when the meter does not send it: the sum of its tariff registers. */
export interface EnergyChannel {
  /** What the channel measures, for messages (`active import`). */
  name: string;
  total: string;
  tariffs: readonly string[];
}

export const ACTIVE_IMPORT: EnergyChannel = { name: 'active import', total: '1.8.0', tariffs: ['1.8.1', '1.8.2', '1.8.3', '1.8.4'] };
export const REACTIVE_INDUCTIVE: EnergyChannel = { name: 'inductive reactive', total: '5.8.0', tariffs: ['5.8.1', '5.8.2', '5.8.3', '5.8.4'] };
export const REACTIVE_CAPACITIVE: EnergyChannel = { name: 'capacitive reactive', total: '8.8.0', tariffs: ['8.8.1', '8.8.2', '8.8.3', '8.8.4'] };

/**
 * The energy of one interval. `value` is in kWh (active) or kvarh (reactive), null when no
 * reading of the register exists up to the interval's end. `startAt`/`endAt` are the times of
 * the readings the difference was taken between; `samples` counts the readings after `startAt`
 * up to `endAt`. `incomplete` is empty when the figure is the interval's energy within the
 * register resolution; otherwise each entry says why not.
 */
export interface EnergyFigure {
  value: number | null;
  startAt: number | null;
  endAt: number | null;
  samples: number;
  incomplete: string[];
}

interface Sample {
  at: number;
  /** Continuous count in kWh/kvarh since the first sample (rollovers added, resets bridged). */
  count: number;
}

/** A register value as sent (`062846.236`), with its unit, in k-units; the rollover modulus from its digits. */
export function parseRegister(value: string, unit: string | null): { value: number; modulus: number } | undefined {
  const m = /^\s*\+?(\d{1,15})(?:\.(\d{0,9}))?\s*$/.exec(value);
  if (!m) return undefined;
  const factor = unitFactor(unit);
  if (factor === undefined) return undefined;
  const n = Number(`${m[1]}.${m[2] ?? ''}0`);
  return { value: n * factor, modulus: 10 ** m[1]!.length * factor };
}

/** kWh, kvarh (any spelling) → 1; Wh, varh → 0.001; MWh, Mvarh → 1000; no unit → 1. */
function unitFactor(unit: string | null): number | undefined {
  if (unit === null || unit === '') return 1;
  const m = /^([kKM]?)(?:wh|varh|vah|vrh)$/i.exec(unit.trim());
  if (!m) return undefined;
  return m[1] === '' ? 0.001 : m[1] === 'M' ? 1000 : 1;
}

/** How long after an interval end a reading still stands for that end. */
export const DEFAULT_GRACE_MS = 60_000;

/** Whether the meter has sent `address` up to `to`. */
export function sendsRegister(store: Store, modemNo: string, meterSerial: string, address: string, to: number): boolean {
  return store.db.prepare('SELECT 1 FROM readings WHERE modem_no = ? AND meter_serial = ? AND address = ? AND at <= ? LIMIT 1').get(modemNo, meterSerial, address, to) !== undefined;
}

/** A decrease counts as a rollover when the wrapped increase is at most this share of the range. */
const ROLLOVER_SHARE = 0.05;

/**
 * One register of one meter over a span, read once from the store: answers the energy of any
 * interval inside the span. Readings whose value does not parse are skipped and named.
 */
export class RegisterSeries {
  private readonly samples: Sample[] = [];
  private readonly breaks: { after: number; at: number; text: string }[] = [];
  private readonly skipped: { at: number; text: string }[] = [];
  /** Readings of the register in the span (with the anchor before it). */
  readonly count: number;

  constructor(
    store: Store,
    modemNo: string,
    meterSerial: string,
    readonly address: string,
    from: number,
    to: number,
    readonly graceMs = DEFAULT_GRACE_MS,
  ) {
    from += graceMs;
    to += graceMs;
    const anchor = store.db
      .prepare('SELECT value, unit, at FROM readings WHERE modem_no = ? AND meter_serial = ? AND address = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1')
      .get(modemNo, meterSerial, address, from) as Row | undefined;
    const rows = store.db
      .prepare('SELECT value, unit, at FROM readings WHERE modem_no = ? AND meter_serial = ? AND address = ? AND at > ? AND at <= ? ORDER BY at, id')
      .all(modemNo, meterSerial, address, from, to) as Row[];
    if (anchor) rows.unshift(anchor);
    this.count = rows.length;
    let prev: { value: number; modulus: number } | undefined;
    for (const r of rows) {
      const p = parseRegister(r.value, r.unit);
      if (!p) {
        this.skipped.push({ at: r.at, text: `${address} at ${isoTime(r.at)}: value '${r.value}'${r.unit ? ` ${r.unit}` : ''} is not a register reading` });
        continue;
      }
      const last = this.samples.at(-1);
      let count = last?.count ?? 0;
      if (prev && last) {
        const d = p.value - prev.value;
        const wrapped = prev.modulus - prev.value + p.value;
        if (d >= 0) count += d;
        else if (wrapped <= prev.modulus * ROLLOVER_SHARE) count += wrapped;
        else this.breaks.push({ after: last.at, at: r.at, text: `${address} went back from ${fmt(prev.value)} to ${fmt(p.value)} between ${isoTime(last.at)} and ${isoTime(r.at)} (register reset): the energy in between is unknown` });
      }
      this.samples.push({ at: r.at, count });
      prev = p;
    }
  }

  /**
   * The energy between the readings at or before `from` and at or before `to`. A reading older
   * than `maxAgeMs` at either end makes the figure incomplete (it mixes in energy from outside).
   */
  energy(from: number, to: number, maxAgeMs: number): EnergyFigure {
    // Unreadable values inside the interval (at most five named).
    const incomplete = this.skipped.filter((k) => k.at > from && k.at <= to + this.graceMs).slice(0, 5).map((k) => k.text);
    const end = this.lastAtOrBefore(to + this.graceMs);
    if (end < 0) return { value: null, startAt: null, endAt: null, samples: 0, incomplete: [...incomplete, `no reading of ${this.address} up to ${isoTime(to)}`] };
    let start = this.lastAtOrBefore(from + this.graceMs);
    if (start < 0) {
      start = 0;
      if (this.samples[0]!.at > from + this.graceMs) incomplete.push(`no reading of ${this.address} at or before ${isoTime(from)}: counted from the first one, at ${isoTime(this.samples[0]!.at)}`);
    } else if (from - this.samples[start]!.at > maxAgeMs) {
      incomplete.push(`the reading of ${this.address} before ${isoTime(from)} is ${minutes(from - this.samples[start]!.at)} old (at ${isoTime(this.samples[start]!.at)}): energy from before the interval is included`);
    }
    const e = this.samples[end]!;
    const s = this.samples[start]!;
    if (to - e.at > maxAgeMs) incomplete.push(`the last reading of ${this.address} up to ${isoTime(to)} is ${minutes(to - e.at)} old (at ${isoTime(e.at)}): later energy is missing`);
    for (const b of this.breaks) if (b.after >= s.at && b.at <= e.at) incomplete.push(b.text);
    return { value: round(e.count - s.count), startAt: s.at, endAt: e.at, samples: end - start, incomplete };
  }

  private lastAtOrBefore(t: number): number {
    let lo = 0;
    let hi = this.samples.length - 1;
    let found = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.samples[mid]!.at <= t) {
        found = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return found;
  }
}

/**
 * A channel of one meter over a span: its total register when the meter sends it (any reading
 * up to `to`), else the sum of its tariff registers that it sends. Empty when it sends none.
 */
export class ChannelSeries {
  readonly series: RegisterSeries[];

  constructor(store: Store, modemNo: string, meterSerial: string, readonly channel: EnergyChannel, from: number, to: number, graceMs = DEFAULT_GRACE_MS) {
    const addresses = sendsRegister(store, modemNo, meterSerial, channel.total, to + graceMs) ? [channel.total] : channel.tariffs.filter((a) => sendsRegister(store, modemNo, meterSerial, a, to + graceMs));
    this.series = addresses.map((a) => new RegisterSeries(store, modemNo, meterSerial, a, from, to, graceMs));
  }

  /** The registers used (`['1.8.0']` or `['1.8.1', '1.8.2']`). */
  get addresses(): string[] {
    return this.series.map((s) => s.address);
  }

  /** The channel's energy between the readings at or before `from` and `to` (see `RegisterSeries.energy`). */
  energy(from: number, to: number, maxAgeMs: number): EnergyFigure {
    if (this.series.length === 0) return { value: null, startAt: null, endAt: null, samples: 0, incomplete: [`the meter sends no ${this.channel.name} register (${this.channel.total} or ${this.channel.tariffs.join(', ')})`] };
    const parts = this.series.map((s) => s.energy(from, to, maxAgeMs));
    if (parts.length === 1) return parts[0]!;
    const values = parts.map((p) => p.value);
    const known = values.every((v) => v !== null);
    return {
      value: known ? round(values.reduce<number>((a, v) => a + v!, 0)) : null,
      startAt: minOf(parts.map((p) => p.startAt)),
      endAt: maxOf(parts.map((p) => p.endAt)),
      samples: Math.max(...parts.map((p) => p.samples)),
      incomplete: parts.flatMap((p) => p.incomplete),
    };
  }
}

interface Row {
  value: string;
  unit: string | null;
  at: number;
}

/** Rounds away binary noise below the finest register resolution (1 mWh). */
export function round(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

function fmt(v: number): string {
  return String(round(v));
}

function minutes(ms: number): string {
  const min = ms / 60_000;
  return min >= 120 ? `${Math.round(min / 6) / 10} h` : `${Math.round(min)} min`;
}

function minOf(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.min(...v) : null;
}

function maxOf(xs: (number | null)[]): number | null {
  const v = xs.filter((x): x is number => x !== null);
  return v.length ? Math.max(...v) : null;
}
