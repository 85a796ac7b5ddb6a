/**
 * The fake cloud's reports, callable directly by scenarios and behind the HTTP routes (same
 * validation, same code): active consumption, reactive ratio with the limits and the month-end
 * forecast, instantaneous values, capacitor steps, I/O and outage history, communication state.
 * Inputs are validated here; errors are `ApiError` naming the field (400) or the missing modem or
 * meter (404). Local time is UTC+3 (Turkey) unless `utcOffsetMin` says otherwise.
 */
import type { Clock } from '../../core/clock/index.ts';
import { ApiError } from '../api/errors.ts';
import { modemNo as modemNoSchema } from '../api/queries.ts';
import type { Store } from '../store/store.ts';
import { capacitorSteps, type RelaySteps } from './capacitor-steps.ts';
import { communicationState, type CommunicationState } from './communication.ts';
import { MAX_BUCKETS, bucketCount, consumptionReport, type ConsumptionReport } from './consumption.ts';
import { ioHistory, outageHistory, type IoHistory, type OutageHistory } from './history.ts';
import { instantaneous, type InstantSource } from './instantaneous.ts';
import { bucketStart, localLabel, monthOf, monthRange, nextBucket } from './local-time.ts';
import { DEFAULT_MAX_AGE_MS, ReactiveSeries, TURKISH_REACTIVE_LIMITS, reactiveForecast, type ReactiveForecast, type ReactiveLimits, type ReactiveRatio } from './reactive-ratio.ts';
import {
  capacitorStepsQuery,
  communicationQuery,
  consumptionQuery,
  instantaneousQuery,
  ioHistoryQuery,
  outagesQuery,
  parseReportQuery,
  reactiveQuery,
  window,
  type LimitTier,
} from './report-inputs.ts';

const MINUTE = 60_000;
const DAY = 86_400_000;
/** Turkey: UTC+3 all year. */
export const DEFAULT_UTC_OFFSET_MIN = 180;

/** What the reports need to tell whether a modem has a session open (the uplink server). */
export interface OnlineSource {
  isOnline(modemNo: string): boolean;
}

/** One day of the reactive report. */
export interface ReactiveDay {
  label: string;
  from: number;
  to: number;
  activeKwh: number | null;
  inductivePct: number | null;
  capacitivePct: number | null;
  overInductive: boolean;
  overCapacitive: boolean;
  incomplete: string[];
}

/**
 * The reactive report of one meter for a local month: `ratio` over the month (up to now while it
 * is open: month-to-date), the month-end `forecast` (open month only), the `previousMonth`
 * (the last billing month before it), the ratio per day, the limits applied and their source.
 */
export interface ReactiveReport {
  modemNo: string;
  meterSerial: string;
  month: string;
  from: number;
  to: number;
  utcOffsetMin: number;
  closed: boolean;
  limits: ReactiveLimits & { tier: LimitTier; appliesTo: string; source: string; article: string };
  ratio: ReactiveRatio;
  forecast: Omit<ReactiveForecast, 'monthToDate'> | null;
  previousMonth: ReactiveRatio;
  days: ReactiveDay[];
}

export class Reports {
  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly online?: OnlineSource,
  ) {}

  /** The serials of the meters the modem has sent readings of, sorted. */
  meters(modemNo: string): string[] {
    this.requireModem(modemNo);
    return this.meterSerials(modemNo);
  }

  /**
   * Active consumption per `bucket` (hour, default; day; month) in local time, total and per
   * tariff register. Query: meter (needed when the modem has several), bucket, from, to
   * (default: the current local day, month or last 12 months), utcOffsetMin, maxAgeMin (a
   * boundary reading older than this makes a bucket incomplete; default 10 min for hours, 60
   * for days and months).
   */
  consumption(modemNo: string, query: unknown = {}): ConsumptionReport {
    this.requireModem(modemNo);
    const q = parseReportQuery(consumptionQuery, query, 'consumption');
    const off = q.utcOffsetMin ?? DEFAULT_UTC_OFFSET_MIN;
    const bucket = q.bucket ?? 'hour';
    const now = this.now();
    const to = q.to ?? now;
    let from = q.from;
    if (from === undefined) {
      if (bucket === 'hour') from = bucketStart(to - 1, 'day', off);
      else if (bucket === 'day') from = bucketStart(to - 1, 'month', off);
      else {
        from = bucketStart(to - 1, 'month', off);
        for (let i = 0; i < 11; i++) from = bucketStart(from - 1, 'month', off);
      }
    }
    if (from >= to) throw new ApiError(400, "consumption query: field 'to': must be after 'from'", 'to');
    if (bucketCount(from, to, bucket, off) > MAX_BUCKETS) throw new ApiError(400, `consumption query: field 'from': the window holds more than ${MAX_BUCKETS} ${bucket} buckets`, 'from');
    const meter = this.pickMeter(modemNo, q.meter, 'consumption');
    return consumptionReport(this.store, modemNo, meter, { bucket, from, to, utcOffsetMin: off, maxAgeMs: (q.maxAgeMin ?? (bucket === 'hour' ? 10 : 60)) * MINUTE, now });
  }

  /**
   * The reactive ratio of one meter for a local month (`month` YYYY-MM, default the current
   * one), its forecast while the month is open, the previous month and each day. Query: meter,
   * month, utcOffsetMin, tier (`50kva-or-more`, default, or `below-50kva`), recentDays (the
   * forecast's basis, default 7), maxAgeMin.
   */
  reactive(modemNo: string, query: unknown = {}): ReactiveReport {
    this.requireModem(modemNo);
    const q = parseReportQuery(reactiveQuery, query, 'reactive');
    const off = q.utcOffsetMin ?? DEFAULT_UTC_OFFSET_MIN;
    const now = this.now();
    const month = q.month ?? monthOf(now, off);
    const { from, to } = monthRange(month, off);
    if (from > now) throw new ApiError(400, `reactive query: field 'month': ${month} has not begun`, 'month');
    const meter = this.pickMeter(modemNo, q.meter, 'reactive');
    const tier = q.tier ?? '50kva-or-more';
    const l = TURKISH_REACTIVE_LIMITS;
    const limits = tier === '50kva-or-more' ? { inductivePct: l.inductivePct, capacitivePct: l.capacitivePct, appliesTo: l.appliesTo } : { ...l.belowFiftyKva };
    const opts = { limits, maxAgeMs: q.maxAgeMin === undefined ? DEFAULT_MAX_AGE_MS : q.maxAgeMin * MINUTE };
    const closed = to <= now;
    const upTo = Math.min(to, now);
    const series = new ReactiveSeries(this.store, modemNo, meter, from, upTo);
    const ratio = series.ratio(from, upTo, opts);
    const days: ReactiveDay[] = [];
    for (let d = from; d < upTo; d = nextBucket(d, 'day', off)) {
      const r = series.ratio(d, Math.min(nextBucket(d, 'day', off), upTo), opts);
      days.push({ label: localLabel(d, off).slice(0, 10), from: r.from, to: r.to, activeKwh: r.activeKwh, inductivePct: r.inductivePct, capacitivePct: r.capacitivePct, overInductive: r.overInductive, overCapacitive: r.overCapacitive, incomplete: r.incomplete });
    }
    let forecast: ReactiveReport['forecast'] = null;
    if (!closed) {
      const { monthToDate: _mtd, ...rest } = reactiveForecast(this.store, modemNo, meter, from, now, to, { ...opts, recentMs: (q.recentDays ?? 7) * DAY });
      forecast = rest;
    }
    const prev = monthRange(monthOf(from - 1, off), off);
    const previousMonth = new ReactiveSeries(this.store, modemNo, meter, prev.from, prev.to).ratio(prev.from, prev.to, opts);
    return {
      modemNo,
      meterSerial: meter,
      month,
      from,
      to,
      utcOffsetMin: off,
      closed,
      limits: { inductivePct: limits.inductivePct, capacitivePct: limits.capacitivePct, tier, appliesTo: limits.appliesTo, source: l.source, article: l.article },
      ratio,
      forecast,
      previousMonth,
      days,
    };
  }

  /** The latest voltage, current, power factor, power per phase of each meter and Modbus device. Query: meter. */
  instantaneous(modemNo: string, query: unknown = {}): { modemNo: string; at: number; sources: InstantSource[] } {
    this.requireModem(modemNo);
    const q = parseReportQuery(instantaneousQuery, query, 'instantaneous');
    const meters = q.meter === undefined ? this.meterSerials(modemNo) : [this.pickMeter(modemNo, q.meter, 'instantaneous')];
    const now = this.now();
    const all = instantaneous(this.store, modemNo, meters, now);
    return { modemNo, at: now, sources: q.meter === undefined ? all : all.filter((s) => s.source === 'meter') };
  }

  /** Capacitor steps of the compensation relays over time. Query: port, address, from, to (default the last 24 h; at most 62 days). */
  capacitorSteps(modemNo: string, query: unknown = {}): { modemNo: string; from: number; to: number; relays: RelaySteps[] } {
    this.requireModem(modemNo);
    const q = parseReportQuery(capacitorStepsQuery, query, 'capacitor steps');
    const w = window('capacitor steps', q, this.now(), DAY, 62 * DAY);
    return { modemNo, ...w, relays: capacitorSteps(this.store, modemNo, { ...w, port: q.port, address: q.address }) };
  }

  /** Input and relay changes with time on per point. Query: point, n, from, to (default the last 7 days; at most 366). */
  ioHistory(modemNo: string, query: unknown = {}): IoHistory & { modemNo: string } {
    this.requireModem(modemNo);
    const q = parseReportQuery(ioHistoryQuery, query, 'io history');
    const w = window('io history', q, this.now(), 7 * DAY, 366 * DAY);
    return { modemNo, ...ioHistory(this.store, modemNo, { ...w, point: q.point, n: q.n }) };
  }

  /** Mains outages. Query: from, to (default the last 30 days; at most 366). */
  outages(modemNo: string, query: unknown = {}): OutageHistory & { modemNo: string } {
    this.requireModem(modemNo);
    const q = parseReportQuery(outagesQuery, query, 'outages');
    const w = window('outages', q, this.now(), 30 * DAY, 366 * DAY);
    return { modemNo, ...outageHistory(this.store, modemNo, w) };
  }

  /** Communication state. Query: from, to (default the last 24 h; at most 62 days), periodMin (default: from the records). */
  communication(modemNo: string, query: unknown = {}): CommunicationState {
    this.requireModem(modemNo);
    const q = parseReportQuery(communicationQuery, query, 'communication');
    const now = this.now();
    const w = window('communication', q, now, DAY, 62 * DAY);
    return communicationState(this.store, modemNo, { ...w, periodMin: q.periodMin, now, online: this.online ? this.online.isOnline(modemNo) : null });
  }

  private now(): number {
    return Math.floor(this.clock.now());
  }

  private requireModem(no: string): void {
    const ok = modemNoSchema.safeParse(no);
    if (!ok.success) throw new ApiError(400, `field 'modemNo': ${ok.error.issues[0]!.message}`, 'modemNo');
    if (!this.store.modem(no)) throw new ApiError(404, `modem ${no} is not provisioned`);
  }

  /** Distinct meter serials by skipping through the index (one lookup per meter, not per reading). */
  private meterSerials(modemNo: string): string[] {
    const rows = this.store.db
      .prepare(
        `WITH RECURSIVE m(s) AS (
           SELECT (SELECT MIN(meter_serial) FROM readings WHERE modem_no = @m)
           UNION ALL
           SELECT (SELECT MIN(meter_serial) FROM readings WHERE modem_no = @m AND meter_serial > m.s) FROM m WHERE m.s IS NOT NULL
         ) SELECT s FROM m WHERE s IS NOT NULL`,
      )
      .all({ m: modemNo }) as { s: string }[];
    return rows.map((r) => r.s);
  }

  private pickMeter(modemNo: string, meter: string | undefined, what: string): string {
    const serials = this.meterSerials(modemNo);
    if (meter !== undefined) {
      if (!serials.includes(meter)) throw new ApiError(404, `${what} query: field 'meter': modem ${modemNo} has no readings of meter ${meter}${serials.length ? ` (its meters: ${serials.join(', ')})` : ''}`, 'meter');
      return meter;
    }
    if (serials.length === 1) return serials[0]!;
    if (serials.length === 0) throw new ApiError(404, `${what} query: field 'meter': modem ${modemNo} has sent no meter readings`, 'meter');
    throw new ApiError(400, `${what} query: field 'meter': modem ${modemNo} has ${serials.length} meters (${serials.join(', ')}): name one`, 'meter');
  }
}
