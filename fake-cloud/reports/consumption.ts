/**
 * Active consumption per local hour, day or month, in total and per tariff register (T1 day,
 * T2 peak, T3 night, T4 when the meter has it), from the cumulative registers: each bucket is
 * the difference of the readings at or before its two ends, so the buckets add up to the
 * window's total (a reading exactly on a boundary belongs to the earlier bucket's end).
 */
import type { Store } from '../store/store.ts';
import { bucketStart, localLabel, nextBucket } from './local-time.ts';
import { ACTIVE_IMPORT, ChannelSeries, DEFAULT_GRACE_MS, RegisterSeries, round, sendsRegister } from './registers.ts';
import type { Bucket } from './report-inputs.ts';

/**
 * One bucket `[from, to)`. `kwh` (null: no reading) and `tariffs` (kWh per tariff register the
 * meter sends) are register differences between the readings at `startAt` and `endAt`.
 * `open`: the bucket is not over yet (figures up to now). `incomplete`: why a figure may not be
 * the bucket's energy; empty when it is, within the register resolution.
 */
export interface ConsumptionBucket {
  from: number;
  to: number;
  label: string;
  kwh: number | null;
  tariffs: Record<string, number | null>;
  startAt: number | null;
  endAt: number | null;
  samples: number;
  open: boolean;
  incomplete: string[];
}

export interface ConsumptionReport {
  modemNo: string;
  meterSerial: string;
  bucket: Bucket;
  utcOffsetMin: number;
  from: number;
  to: number;
  /** Registers used: the total (`1.8.0`, or the tariffs summed) and the tariff registers shown. */
  registers: { total: string[]; tariffs: string[] };
  totalKwh: number | null;
  tariffTotals: Record<string, number | null>;
  buckets: ConsumptionBucket[];
  /** How many buckets are incomplete. */
  incompleteBuckets: number;
}

export interface ConsumptionOptions {
  bucket: Bucket;
  from: number;
  to: number;
  utcOffsetMin: number;
  maxAgeMs: number;
  now: number;
}

/** Longest report, in buckets. */
export const MAX_BUCKETS = 2000;

/** `1.8.1` → `T1`. */
export function tariffName(address: string): string {
  return `T${address.slice(address.lastIndexOf('.') + 1)}`;
}

/**
 * The consumption report of one meter. The window is widened to whole buckets; buckets that
 * start after `now` are left out. Throws nothing for missing data: it is named per bucket.
 */
export function consumptionReport(store: Store, modemNo: string, meterSerial: string, o: ConsumptionOptions): ConsumptionReport {
  const edges: number[] = [];
  for (let t = bucketStart(o.from, o.bucket, o.utcOffsetMin); t < o.to && t <= o.now && edges.length <= MAX_BUCKETS; t = nextBucket(t, o.bucket, o.utcOffsetMin)) edges.push(t);
  const last = edges.at(-1);
  if (last !== undefined) edges.push(nextBucket(last, o.bucket, o.utcOffsetMin));
  const from = edges[0] ?? o.from;
  const end = edges.at(-1) ?? o.to;
  const readTo = Math.min(end, o.now);
  const total = new ChannelSeries(store, modemNo, meterSerial, ACTIVE_IMPORT, from, readTo);
  const tariffs = ACTIVE_IMPORT.tariffs.filter((a) => sendsRegister(store, modemNo, meterSerial, a, readTo + DEFAULT_GRACE_MS)).map((a) => new RegisterSeries(store, modemNo, meterSerial, a, from, readTo));
  const buckets: ConsumptionBucket[] = [];
  for (let k = 0; k + 1 < edges.length; k++) {
    const bFrom = edges[k]!;
    const bTo = edges[k + 1]!;
    const open = bTo > o.now;
    const upTo = Math.min(bTo, o.now);
    const f = total.energy(bFrom, upTo, o.maxAgeMs);
    buckets.push({
      from: bFrom,
      to: bTo,
      label: localLabel(bFrom, o.utcOffsetMin),
      kwh: f.value,
      tariffs: Object.fromEntries(tariffs.map((s) => [tariffName(s.address), s.energy(bFrom, upTo, o.maxAgeMs).value])),
      startAt: f.startAt,
      endAt: f.endAt,
      samples: f.samples,
      open,
      incomplete: f.incomplete,
    });
  }
  const whole = total.energy(from, readTo, o.maxAgeMs);
  return {
    modemNo,
    meterSerial,
    bucket: o.bucket,
    utcOffsetMin: o.utcOffsetMin,
    from,
    to: end,
    registers: { total: total.addresses, tariffs: tariffs.map((s) => s.address) },
    totalKwh: whole.value === null ? null : round(whole.value),
    tariffTotals: Object.fromEntries(tariffs.map((s) => [tariffName(s.address), s.energy(from, readTo, o.maxAgeMs).value])),
    buckets,
    incompleteBuckets: buckets.filter((b) => b.incomplete.length > 0).length,
  };
}

/** How many buckets `[from, to)` spans (to refuse a report too long before reading anything). */
export function bucketCount(from: number, to: number, bucket: Bucket, utcOffsetMin: number): number {
  let n = 0;
  for (let t = bucketStart(from, bucket, utcOffsetMin); t < to && n <= MAX_BUCKETS; t = nextBucket(t, bucket, utcOffsetMin)) n++;
  return n;
}
