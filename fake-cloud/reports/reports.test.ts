import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { ApiError } from '../api/errors.ts';
import { Store } from '../store/store.ts';
import { Reports } from './reports.ts';
import { SiteWriter, loadIntegral, runMeter, type SiteLoad } from './test-site.ts';

const MIN = 60_000;
const H = 60 * MIN;
const DAY = 24 * H;
const OFF = 3 * H;
/** Local midnight (UTC+3) of a day of 2026. */
const local = (month: number, day: number, hour = 0, minute = 0) => Date.UTC(2026, month - 1, day, hour, minute) - OFF;
const NOW = local(3, 14, 15, 20);
const M = 'HT-0001';
const SERIAL = '80099921';

/** A factory: 120 kW 06–22 on weekdays, 30 kW otherwise; tariffs by the Turkish three-period split. */
const load: SiteLoad = (t) => {
  const d = new Date(t + OFF);
  const hour = d.getUTCHours();
  const workday = d.getUTCDay() !== 0;
  const kw = workday && hour >= 6 && hour < 22 ? 120 : 30;
  return { kw, kvarInd: kw * 0.18, kvarCap: kw * 0.02, tariff: hour >= 6 && hour < 17 ? 1 : hour >= 17 && hour < 22 ? 2 : 3 };
};

let store: Store;
let reports: Reports;
let w: SiteWriter;

beforeAll(() => {
  store = new Store();
  w = new SiteWriter(store, M, local(1, 1));
  // Hourly readings up to 9 March, every 15 minutes since (fewer records to write).
  runMeter(w, { meterSerial: SERIAL, from: local(2, 1), to: NOW, periodMs: (t) => (t < local(3, 9) ? H : 15 * MIN), load, registers: { t: [40000, 12000, 9000], ind: 8000, cap: 900 } });
  reports = new Reports(store, new VirtualClock({ start: NOW }), { isOnline: (no) => no === 'HT-0002' });
});
afterAll(() => store.close());

function apiError(f: () => unknown): ApiError {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('no error');
}

describe('consumption', () => {
  it('hourly buckets of a local day add up to the load integral, per tariff', () => {
    const r = reports.consumption(M, { from: String(local(3, 10)), to: String(local(3, 11)) });
    expect(r.meterSerial).toBe(SERIAL);
    expect(r.buckets).toHaveLength(24);
    expect(r.buckets[0]!.label).toBe('2026-03-10T00:00+03:00');
    expect(r.registers).toEqual({ total: ['1.8.0'], tariffs: ['1.8.1', '1.8.2', '1.8.3', '1.8.4'] });
    for (const b of r.buckets) {
      expect(Math.abs(b.kwh! - loadIntegral(load, b.from, b.to).kwh)).toBeLessThanOrEqual(0.001);
      expect(b.incomplete).toEqual([]);
      expect(b.samples).toBe(4);
    }
    expect(r.buckets[8]!.kwh).toBeCloseTo(120, 2);
    expect(r.buckets[8]!.tariffs).toMatchObject({ T1: expect.closeTo(120, 2), T2: 0, T3: 0, T4: 0 });
    expect(r.buckets[18]!.tariffs['T2']).toBeCloseTo(120, 2);
    expect(r.buckets[23]!.tariffs['T3']).toBeCloseTo(30, 2);
    const exact = loadIntegral(load, local(3, 10), local(3, 11));
    expect(Math.abs(r.totalKwh! - exact.kwh)).toBeLessThanOrEqual(0.001);
    expect(r.tariffTotals['T1']).toBeCloseTo(exact.t[0], 2);
    expect(r.buckets.reduce((s, b) => s + b.kwh!, 0)).toBeCloseTo(r.totalKwh!, 6);
  });

  it('daily buckets of a month, monthly buckets of a year; open buckets up to now', () => {
    const days = reports.consumption(M, { bucket: 'day', from: '2026-02-01T00:00:00+03:00', to: '2026-03-01T00:00:00+03:00' });
    expect(days.buckets).toHaveLength(28);
    expect(days.buckets.every((b) => b.incomplete.length === 0)).toBe(true);
    expect(days.totalKwh).toBeCloseTo(loadIntegral(load, local(2, 1), local(3, 1)).kwh, 2);
    const months = reports.consumption(M, { bucket: 'month' });
    expect(months.buckets.map((b) => b.label.slice(0, 7))).toEqual(['2025-04', '2025-05', '2025-06', '2025-07', '2025-08', '2025-09', '2025-10', '2025-11', '2025-12', '2026-01', '2026-02', '2026-03']);
    expect(months.buckets.at(-2)!.kwh).toBeCloseTo(days.totalKwh!, 3);
    expect(months.buckets.at(-1)).toMatchObject({ open: true, incomplete: [] });
    expect(months.buckets[0]!.kwh).toBeNull();
    expect(months.incompleteBuckets).toBe(10);
    const today = reports.consumption(M, {});
    expect(today.buckets).toHaveLength(16);
    expect(today.buckets.at(-1)).toMatchObject({ label: '2026-03-14T15:00+03:00', open: true, endAt: local(3, 14, 15, 15) });
  });

  it('takes another local time', () => {
    const r = reports.consumption(M, { bucket: 'day', from: String(Date.UTC(2026, 2, 10)), to: String(Date.UTC(2026, 2, 11)), utcOffsetMin: '0' });
    expect(r.buckets).toHaveLength(1);
    expect(r.buckets[0]!.from).toBe(Date.UTC(2026, 2, 10));
    expect(r.buckets[0]!.kwh).toBeCloseTo(loadIntegral(load, Date.UTC(2026, 2, 10), Date.UTC(2026, 2, 11)).kwh, 2);
  });

  it('names the bad field', () => {
    expect(apiError(() => reports.consumption(M, { bucket: 'week' }))).toMatchObject({ status: 400, field: 'bucket' });
    expect(apiError(() => reports.consumption(M, { from: '2026-03-02', to: '2026-03-01' }))).toMatchObject({ status: 400, field: 'to' });
    expect(apiError(() => reports.consumption(M, { from: 'yesterday' })).message).toBe("consumption query: field 'from': expected clock ms or an ISO 8601 date-time, got 'yesterday'");
    expect(apiError(() => reports.consumption(M, { utcOffsetMin: '3h' }))).toMatchObject({ field: 'utcOffsetMin' });
    expect(apiError(() => reports.consumption(M, { foo: '1' }))).toMatchObject({ status: 400, field: 'foo' });
    expect(apiError(() => reports.consumption(M, { meter: ['a', 'b'] }))).toMatchObject({ status: 400, field: 'meter' });
    expect(apiError(() => reports.consumption(M, { from: '2020-01-01' }))).toMatchObject({ status: 400, field: 'from' });
    expect(apiError(() => reports.consumption(M, { meter: '123' }))).toMatchObject({ status: 404, field: 'meter' });
    expect(apiError(() => reports.consumption('HT-9999', {}))).toMatchObject({ status: 404 });
    expect(apiError(() => reports.consumption('bad modem!', {}))).toMatchObject({ status: 400, field: 'modemNo' });
  });
});

describe('reactive', () => {
  it('month-to-date with the forecast, the previous month and each day', () => {
    const r = reports.reactive(M, {});
    expect(r.month).toBe('2026-03');
    expect(r.closed).toBe(false);
    expect(r.limits).toMatchObject({ inductivePct: 20, capacitivePct: 15, tier: '50kva-or-more' });
    expect(r.limits.source).toMatch(/5999\/3/);
    expect(r.ratio.inductivePct).toBeCloseTo(18, 1);
    expect(r.ratio.overInductive).toBe(false);
    expect(r.ratio.to).toBe(NOW);
    expect(r.forecast).toMatchObject({ basis: 'recent', willExceedInductive: false, willExceedCapacitive: false });
    expect(r.forecast!.inductivePct).toBeCloseTo(18, 1);
    expect(r.forecast!.headroomInductiveKvarh).toBeGreaterThan(0);
    expect(r.previousMonth.from).toBe(local(2, 1));
    expect(r.previousMonth.activeKwh).toBeCloseTo(loadIntegral(load, local(2, 1), local(3, 1)).kwh, 2);
    expect(r.days).toHaveLength(14);
    expect(r.days[0]).toMatchObject({ label: '2026-03-01', overInductive: false });
    const small = reports.reactive(M, { month: '2026-02', tier: 'below-50kva' });
    expect(small).toMatchObject({ closed: true, forecast: null, limits: { inductivePct: 33, capacitivePct: 20 } });
    expect(small.previousMonth.incomplete[0]).toMatch(/no reading of 1\.8\.0 at or before/);
  });

  it('names the bad field', () => {
    expect(apiError(() => reports.reactive(M, { month: '2026-13' }))).toMatchObject({ field: 'month' });
    expect(apiError(() => reports.reactive(M, { month: '2026-04' }))).toMatchObject({ field: 'month', status: 400 });
    expect(apiError(() => reports.reactive(M, { tier: 'big' }))).toMatchObject({ field: 'tier' });
    expect(apiError(() => reports.reactive(M, { recentDays: '0' }))).toMatchObject({ field: 'recentDays' });
  });
});

describe('a second modem with two meters, Modbus devices, I/O and outages', () => {
  const N = 'HT-0002';
  let w2: SiteWriter;
  beforeAll(() => {
    w2 = new SiteWriter(store, N, local(3, 1));
    runMeter(w2, { meterSerial: 'A1', from: local(3, 14), to: NOW - 5 * MIN, periodMs: 15 * MIN, load });
    runMeter(w2, { meterSerial: 'B2', from: local(3, 14), to: NOW - 5 * MIN, periodMs: 15 * MIN, load, skip: (t) => t >= local(3, 14, 10) && t < local(3, 14, 11) });
    for (let t = local(3, 14); t <= NOW - 5 * MIN; t += 15 * MIN) {
      // A 4-step relay by state registers: steps switch in as the load grows.
      const kw = load(t).kw;
      const on = kw > 100 ? [1, 1, 1, 0] : [1, 0, 0, 0];
      if (t === local(3, 14, 12)) {
        w2.modbusReading(t, { port: 'rs485', address: 17, type: 'compensation-relay', missing: { reason: 'no-answer', text: 'no answer' } });
        continue;
      }
      w2.modbusReading(t, {
        port: 'rs485',
        address: 17,
        type: 'compensation-relay',
        model: 'klemsan-remo-q',
        values: [
          ...on.map((s, i) => ({ name: `relay.step.${i + 1}.state`, value: s })),
          ...[5, 10, 10, 20].map((p, i) => ({ name: `relay.step.${i + 1}.power`, value: p, unit: 'kvar' })),
          { name: 'relay.cosphi.measured', value: 0.98 },
        ],
      });
      // A relay that reports a step mask and powers in var.
      w2.modbusReading(t, { port: 'rs232', address: 1, type: 'compensation-relay', values: [{ name: 'relay.steps.mask', value: kw > 100 ? 0b101 : 0b001 }, { name: 'relay.step.1.power', value: 2500, unit: 'var' }] });
    }
    w2.modbusReading(NOW - 2 * MIN, { port: 'rs485', address: 5, type: 'analyzer', model: 'eastron-sdm630', values: [{ name: 'voltage.l1', value: 231.2, unit: 'V' }, { name: 'current.l1', value: 150.5, unit: 'A' }, { name: 'pf.l1', value: 0.97 }, { name: 'power.active.total', value: 98765, unit: 'W' }, { name: 'frequency', value: 50.01, unit: 'Hz' }, { name: 'energy.import', value: 1234, unit: 'kWh' }] });
    w2.io(local(3, 13, 23), { point: 'input', n: 1, on: true });
    w2.io(local(3, 14, 2), { point: 'input', n: 1, on: false });
    w2.io(local(3, 14, 3), { point: 'input', n: 1, on: true });
    w2.io(local(3, 14, 8), { point: 'output', n: 1, on: true, cause: 'schedule' });
    w2.io(local(3, 14, 9), { point: 'output', n: 1, on: false, cause: 'schedule' });
    w2.event(local(3, 14, 4), 'outage-start', { startedAt: local(3, 14, 4) - 5000 });
    w2.event(local(3, 14, 4, 30), 'outage-end', { startedAt: local(3, 14, 4) - 5000, endedAt: local(3, 14, 4, 30), durationMs: 30 * MIN + 5000 });
    w2.event(local(3, 14, 6), 'outage-end', { startedAt: local(3, 14, 5), endedAt: local(3, 14, 6), durationMs: H });
    w2.event(local(3, 14, 15), 'outage-start', { startedAt: local(3, 14, 15) });
    store.addCloudEvent(N, 'seq-gap', local(3, 14, 10), { from: 3, to: 5 });
  });

  it('asks which meter', () => {
    expect(reports.meters(N)).toEqual(['A1', 'B2']);
    expect(apiError(() => reports.consumption(N, {})).message).toBe("consumption query: field 'meter': modem HT-0002 has 2 meters (A1, B2): name one");
    // B2 failed its reads from 10:00 to 10:45: the 10:00 boundary falls back to the 09:45 reading.
    const b2 = reports.consumption(N, { meter: 'B2' });
    expect(b2.buckets[10]).toMatchObject({ kwh: expect.closeTo(150, 2), samples: 1, startAt: local(3, 14, 9, 45), endAt: local(3, 14, 11) });
    expect(b2.buckets[10]!.incomplete).toEqual(['the reading of 1.8.0 before 2026-03-14T07:00:00.000Z is 15 min old (at 2026-03-14T06:45:00.000Z): energy from before the interval is included']);
    expect(b2.buckets[9]).toMatchObject({ kwh: expect.closeTo(90, 2), incomplete: [expect.stringMatching(/later energy is missing/)] });
    expect(b2.incompleteBuckets).toBe(2);
    expect(reports.consumption(N, { meter: 'B2', maxAgeMin: '20' }).incompleteBuckets).toBe(0);
  });

  it('instantaneous values per phase from the meters and the Modbus devices', () => {
    const r = reports.instantaneous(N);
    expect(r.sources.map((s) => `${s.source} ${s.id}`)).toEqual(['meter A1', 'meter B2', 'modbus rs485/5', 'modbus rs232/1', 'modbus rs485/17']);
    const a1 = r.sources[0]!;
    expect(a1.at).toBe(local(3, 14, 15, 15));
    expect(a1.ageMs).toBe(5 * MIN);
    expect(a1.phases.l1).toMatchObject({ voltage: 230.1, current: expect.closeTo(120_000 / (3 * 230 * 0.95), 2) });
    expect(a1.phases.l3.voltage).toBe(231.4);
    expect(a1.values.find((v) => v.name === 'voltage.l2')).toEqual({ name: 'voltage.l2', value: 229.8, unit: 'V', sent: '229.80' });
    const an = r.sources[2]!;
    expect(an).toMatchObject({ type: 'analyzer', model: 'eastron-sdm630', ageMs: 2 * MIN });
    expect(an.phases.l1).toEqual({ voltage: 231.2, current: 150.5, pf: 0.97 });
    expect(an.phases.total).toEqual({ powerKw: 98.765, frequency: 50.01 });
    expect(an.values.some((v) => v.name === 'energy.import')).toBe(false);
    expect(reports.instantaneous(N, { meter: 'B2' }).sources.map((s) => s.id)).toEqual(['B2']);
  });

  it('capacitor steps over time, by state registers and by mask', () => {
    const r = reports.capacitorSteps(N, { from: String(local(3, 14)), to: String(NOW) });
    expect(r.relays.map((x) => `${x.port}/${x.address}`)).toEqual(['rs485/17', 'rs232/1']);
    const remo = r.relays[0]!;
    const at8 = remo.samples.find((s) => s.at === local(3, 14, 8))!;
    expect(at8.steps).toEqual([{ n: 1, on: true, kvar: 5 }, { n: 2, on: true, kvar: 10 }, { n: 3, on: true, kvar: 10 }, { n: 4, on: false, kvar: 20 }]);
    expect(at8.onKvar).toBe(25);
    expect(at8.cosphi).toBe(0.98);
    expect(remo.samples.find((s) => s.at === local(3, 14, 12))!.missing).toBe('no-answer: no answer');
    expect(remo.steps[0]).toMatchObject({ n: 1, kvar: 5, switchOns: 0, onShare: 1 });
    expect(remo.steps[1]).toMatchObject({ n: 2, switchOns: 1 });
    expect(remo.steps[1]!.onShare).toBeCloseTo((9 * 60 + 5 - 30) / (15 * 60 + 5 - 30), 2);
    expect(remo.steps[3]).toMatchObject({ switchOns: 0, onShare: 0 });
    const mask = r.relays[1]!;
    expect(mask.samples.find((s) => s.at === local(3, 14, 8))!.steps).toEqual([{ n: 1, on: true, kvar: 2.5 }, { n: 2, on: false, kvar: null }, { n: 3, on: true, kvar: null }]);
    expect(mask.samples.find((s) => s.at === local(3, 14, 8))!.onKvar).toBeNull();
    expect(reports.capacitorSteps(N, { address: '1', from: String(local(3, 14)) }).relays.map((x) => x.address)).toEqual([1]);
    expect(apiError(() => reports.capacitorSteps(N, { address: '300' }))).toMatchObject({ field: 'address' });
    expect(apiError(() => reports.capacitorSteps(N, { from: String(local(1, 1)) }))).toMatchObject({ field: 'from' });
  });

  it('I/O history with time on per point', () => {
    const r = reports.ioHistory(N, { from: String(local(3, 14)), to: String(local(3, 14, 12)) });
    expect(r.changes.map((c) => `${c.point}${c.n} ${c.on}`)).toEqual(['input1 false', 'input1 true', 'output1 true', 'output1 false']);
    expect(r.points).toEqual([
      { point: 'input', n: 1, onMs: 2 * H + 9 * H, switchOns: 1, state: true },
      { point: 'output', n: 1, onMs: H, switchOns: 1, state: false },
    ]);
    expect(reports.ioHistory(N, { point: 'output', from: String(local(3, 14)) }).changes).toHaveLength(2);
    expect(apiError(() => reports.ioHistory(N, { point: 'relay' }))).toMatchObject({ field: 'point' });
  });

  it('outages paired from their events', () => {
    const r = reports.outages(N, { from: String(local(3, 14)) });
    expect(r.outages).toEqual([
      { startedAt: local(3, 14, 4) - 5000, endedAt: local(3, 14, 4, 30), durationMs: 30 * MIN + 5000, open: false },
      { startedAt: local(3, 14, 5), endedAt: local(3, 14, 6), durationMs: H, open: false },
      { startedAt: local(3, 14, 15), endedAt: null, durationMs: null, open: true },
    ]);
    expect(r.totalMs).toBe(30 * MIN + 5000 + H + 20 * MIN);
  });

  it('communication state: expected against received, gaps, period from the records', () => {
    const r = reports.communication(N, { from: String(local(3, 14)), to: String(NOW) });
    expect(r).toMatchObject({ online: true, periodMin: 15, periodSource: 'records', late: false, lastSeenAgoMs: 20 * MIN });
    const b2 = r.sources.find((s) => s.source === 'meter B2')!;
    expect(b2).toMatchObject({ expected: 62, received: 62, failed: 4, gaps: [] });
    const relay = r.sources.find((s) => s.source === 'modbus rs485/17')!;
    expect(relay).toMatchObject({ received: 62, failed: 1 });
    expect(r.sources.find((s) => s.source === 'modbus rs485/5')).toMatchObject({ expected: 1, received: 1 });
    expect(r.cloudEvents).toEqual({ 'seq-gap': 1 });
    const later = new Reports(store, new VirtualClock({ start: NOW + 3 * H })).communication(N, { periodMin: '15' });
    expect(later).toMatchObject({ online: null, periodSource: 'query', late: true });
    expect(later.deliveryGaps.at(-1)).toMatchObject({ from: NOW - 2 * MIN, to: NOW + 3 * H, open: true });
    expect(later.sources.find((s) => s.source === 'meter A1')!.gaps.at(-1)).toMatchObject({ open: true, missed: 11 });
    expect(apiError(() => reports.communication(N, { periodMin: '500' }))).toMatchObject({ field: 'periodMin' });
    // The period set on the cloud's settings page wins over the one the records show.
    store.db.prepare('INSERT INTO site_settings (modem_no, send_period_min) VALUES (?, ?)').run(N, 30);
    const set = reports.communication(N, { from: String(local(3, 14)), to: String(NOW) });
    expect(set).toMatchObject({ periodMin: 30, periodSource: 'settings' });
    expect(set.sources.find((s) => s.source === 'meter A1')).toMatchObject({ expected: 31, received: 62 });
    store.db.prepare('DELETE FROM site_settings WHERE modem_no = ?').run(N);
  });
});
