import { afterEach, describe, expect, it } from 'vitest';
import { Store } from '../store/store.ts';
import { TURKISH_REACTIVE_LIMITS, billingMonth, reactiveForecast, reactiveRatio } from './reactive-ratio.ts';
import { SiteWriter, loadIntegral, runMeter, type SiteLoad } from './test-site.ts';

const H = 3_600_000;
const DAY = 24 * H;
/** 2026-03-01 00:00 Turkey time (UTC+3). */
const MARCH = Date.UTC(2026, 1, 28, 21);
const M = 'HT0001';
const SERIAL = '80099921';

const stores: Store[] = [];
function site(): SiteWriter {
  const s = new Store();
  stores.push(s);
  return new SiteWriter(s, M, MARCH - DAY);
}
afterEach(() => {
  for (const s of stores.splice(0)) s.close();
});

/** 100 kW by day, 40 kW by night; inductive 25 % of it, capacitive 5 %. */
const factory: SiteLoad = (t) => {
  const hour = new Date(t + 3 * H).getUTCHours();
  const kw = hour >= 6 && hour < 22 ? 100 : 40;
  return { kw, kvarInd: kw * 0.25, kvarCap: kw * 0.05, tariff: hour >= 6 && hour < 17 ? 1 : hour < 22 && hour >= 17 ? 2 : 3 };
};

describe('TURKISH_REACTIVE_LIMITS', () => {
  it('holds the article 13(3) figures and names the source', () => {
    expect(TURKISH_REACTIVE_LIMITS.inductivePct).toBe(20);
    expect(TURKISH_REACTIVE_LIMITS.capacitivePct).toBe(15);
    expect(TURKISH_REACTIVE_LIMITS.belowFiftyKva).toMatchObject({ inductivePct: 33, capacitivePct: 20 });
    expect(TURKISH_REACTIVE_LIMITS.source).toMatch(/Tarife Uygulamalarına İlişkin Usul ve Esaslar/);
    expect(TURKISH_REACTIVE_LIMITS.article).toMatch(/13\(3\)/);
  });
});

describe('billingMonth', () => {
  it('is the local calendar month, end exclusive', () => {
    expect(billingMonth(MARCH + 10 * DAY)).toEqual({ from: MARCH, to: Date.UTC(2026, 2, 31, 21) });
    // 2026-02-28 21:00 UTC is already March in Turkey; one ms earlier is February.
    expect(billingMonth(MARCH).from).toBe(MARCH);
    expect(billingMonth(MARCH - 1)).toEqual({ from: Date.UTC(2026, 0, 31, 21), to: MARCH });
    expect(billingMonth(Date.UTC(2026, 11, 31, 23), 0)).toEqual({ from: Date.UTC(2026, 11, 1), to: Date.UTC(2027, 0, 1) });
  });
});

describe('reactiveRatio', () => {
  it('takes register differences and compares them with the limits', () => {
    const w = site();
    runMeter(w, { meterSerial: SERIAL, from: MARCH, to: MARCH + 3 * DAY, periodMs: 15 * 60_000, load: factory, registers: { t: [12000, 5000, 3000], ind: 4000, cap: 800 } });
    const r = reactiveRatio(w.store, M, SERIAL, MARCH + DAY, MARCH + 2 * DAY);
    const exact = loadIntegral(factory, MARCH + DAY, MARCH + 2 * DAY);
    expect(r.activeKwh).toBeCloseTo(exact.kwh, 2);
    expect(Math.abs(r.activeKwh! - exact.kwh)).toBeLessThanOrEqual(0.001);
    expect(Math.abs(r.inductiveKvarh! - exact.ind)).toBeLessThanOrEqual(0.001);
    expect(r.inductivePct).toBeCloseTo(25, 1);
    expect(r.capacitivePct).toBeCloseTo(5, 1);
    expect(r.overInductive).toBe(true);
    expect(r.overCapacitive).toBe(false);
    expect(r.samples).toBe(96);
    expect(r.registers).toEqual({ active: ['1.8.0'], inductive: ['5.8.0'], capacitive: ['8.8.0'] });
    expect(r.incomplete).toEqual([]);
  });

  it('uses the tariff registers when the meter sends no total', () => {
    const w = site();
    runMeter(w, { meterSerial: SERIAL, from: MARCH, to: MARCH + DAY, periodMs: H, load: factory, tariffsOnly: true });
    const r = reactiveRatio(w.store, M, SERIAL, MARCH, MARCH + DAY);
    expect(r.registers.active).toEqual(['1.8.1', '1.8.2', '1.8.3', '1.8.4']);
    expect(Math.abs(r.activeKwh! - loadIntegral(factory, MARCH, MARCH + DAY).kwh)).toBeLessThanOrEqual(0.004);
  });

  it('bridges a register rollover at 10^6', () => {
    const w = site();
    runMeter(w, { meterSerial: SERIAL, from: MARCH, to: MARCH + DAY, periodMs: H, load: factory, registers: { t: [999_000, 0, 0], ind: 999_900, cap: 0 } });
    const r = reactiveRatio(w.store, M, SERIAL, MARCH, MARCH + DAY);
    const exact = loadIntegral(factory, MARCH, MARCH + DAY);
    expect(Math.abs(r.activeKwh! - exact.kwh)).toBeLessThanOrEqual(0.002);
    expect(Math.abs(r.inductiveKvarh! - exact.ind)).toBeLessThanOrEqual(0.002);
    expect(r.incomplete).toEqual([]);
  });

  it('reports a register reset as incomplete and leaves out the unknown step', () => {
    const w = site();
    const regs = runMeter(w, { meterSerial: SERIAL, from: MARCH, to: MARCH + 12 * H, periodMs: H, load: factory, registers: { t: [5000, 0, 0], ind: 1000, cap: 100 } });
    // The meter's registers are cleared: the next reading starts from zero.
    runMeter(w, { meterSerial: SERIAL, from: MARCH + 13 * H, to: MARCH + DAY, periodMs: H, load: factory });
    const r = reactiveRatio(w.store, M, SERIAL, MARCH, MARCH + DAY);
    expect(r.incomplete.some((t) => /1\.8\.0 went back from .* \(register reset\)/.test(t))).toBe(true);
    const before = regs.t[0] + regs.t[1] + regs.t[2] - 5000;
    const after = loadIntegral(factory, MARCH + 13 * H, MARCH + DAY).kwh;
    expect(r.activeKwh).toBeCloseTo(before + after, 2);
  });

  it('names missing and stale readings', () => {
    const w = site();
    runMeter(w, { meterSerial: SERIAL, from: MARCH + 2 * H, to: MARCH + 20 * H, periodMs: H, load: factory });
    const r = reactiveRatio(w.store, M, SERIAL, MARCH, MARCH + DAY);
    expect(r.incomplete.join('\n')).toMatch(/no reading of 1\.8\.0 at or before 2026-02-28T21:00:00.000Z: counted from the first one, at 2026-02-28T23:00:00.000Z/);
    expect(r.incomplete.join('\n')).toMatch(/the last reading of 1\.8\.0 up to 2026-03-01T21:00:00.000Z is 4 h old \(at 2026-03-01T17:00:00.000Z\): later energy is missing/);
    const none = reactiveRatio(w.store, M, 'nope', MARCH, MARCH + DAY);
    expect(none.activeKwh).toBeNull();
    expect(none.inductivePct).toBeNull();
    expect(none.overInductive).toBe(false);
    expect(none.incomplete[0]).toMatch(/sends no active import register/);
  });

  it('a failed read in the middle does not change the figure', () => {
    const w = site();
    runMeter(w, { meterSerial: SERIAL, from: MARCH, to: MARCH + DAY, periodMs: H, load: factory, skip: (t) => t === MARCH + 5 * H });
    const r = reactiveRatio(w.store, M, SERIAL, MARCH, MARCH + DAY);
    expect(Math.abs(r.activeKwh! - loadIntegral(factory, MARCH, MARCH + DAY).kwh)).toBeLessThanOrEqual(0.001);
    expect(r.incomplete).toEqual([]);
    expect(r.samples).toBe(23);
  });

  it('skips a reading whose value is not a number and says so', () => {
    const w = site();
    runMeter(w, { meterSerial: SERIAL, from: MARCH, to: MARCH + 2 * H, periodMs: H, load: factory });
    w.meterReading(MARCH + 150 * 60_000, SERIAL, [{ address: '1.8.0', value: 'ERROR', unit: 'kWh' }]);
    const r = reactiveRatio(w.store, M, SERIAL, MARCH, MARCH + 3 * H);
    expect(r.incomplete[0]).toMatch(/1\.8\.0 at .*: value 'ERROR' kWh is not a register reading/);
    // Outside the interval it does not matter.
    expect(reactiveRatio(w.store, M, SERIAL, MARCH, MARCH + 2 * H).incomplete).toEqual([]);
  });

  it('any reactive energy without active energy exceeds', () => {
    const w = site();
    const idle: SiteLoad = () => ({ kw: 0, kvarInd: 0, kvarCap: 3, tariff: 3 });
    runMeter(w, { meterSerial: SERIAL, from: MARCH, to: MARCH + 6 * H, periodMs: H, load: idle });
    const r = reactiveRatio(w.store, M, SERIAL, MARCH, MARCH + 6 * H);
    expect(r.activeKwh).toBe(0);
    expect(r.capacitivePct).toBeNull();
    expect(r.overCapacitive).toBe(true);
    expect(r.overInductive).toBe(false);
  });

  it('takes other limits', () => {
    const w = site();
    runMeter(w, { meterSerial: SERIAL, from: MARCH, to: MARCH + DAY, periodMs: H, load: factory });
    const r = reactiveRatio(w.store, M, SERIAL, MARCH, MARCH + DAY, { limits: TURKISH_REACTIVE_LIMITS.belowFiftyKva });
    expect(r.limits).toEqual({ inductivePct: 33, capacitivePct: 20 });
    expect(r.overInductive).toBe(false);
  });
});

describe('reactiveForecast', () => {
  it('projects the month end from the recent rates', () => {
    const w = site();
    // Well compensated for ten days, then the capacitor bank fails: inductive 40 %.
    const failing: SiteLoad = (t) => ({ ...factory(t), kvarInd: factory(t).kw * (t < MARCH + 10 * DAY ? 0.1 : 0.4) });
    const now = MARCH + 14 * DAY;
    runMeter(w, { meterSerial: SERIAL, from: MARCH, to: now, periodMs: H, load: failing });
    const { from, to } = billingMonth(now);
    const f = reactiveForecast(w.store, M, SERIAL, from, now, to, { recentMs: 3 * DAY });
    expect(f.monthToDate.inductivePct).toBeGreaterThan(15);
    expect(f.monthToDate.inductivePct).toBeLessThan(20);
    expect(f.monthToDate.overInductive).toBe(false);
    expect(f.basis).toBe('recent');
    expect(f.inductivePct).toBeGreaterThan(28);
    expect(f.willExceedInductive).toBe(true);
    expect(f.willExceedCapacitive).toBe(false);
    expect(f.headroomInductiveKvarh).toBeLessThan(0);
    const exactRestActive = loadIntegral(failing, now, to).kwh;
    // The factory's week is regular: the projection is close to the real month.
    expect(f.projectedActiveKwh! / (f.monthToDate.activeKwh! + exactRestActive)).toBeCloseTo(1, 2);
  });

  it('falls back to the month-to-date rates early in the month, and says when it cannot project', () => {
    const w = site();
    runMeter(w, { meterSerial: SERIAL, from: MARCH, to: MARCH + DAY, periodMs: H, load: factory });
    const f = reactiveForecast(w.store, M, SERIAL, MARCH, MARCH + DAY, MARCH + 31 * DAY, { recentMs: 7 * DAY });
    expect(f.basis).toBe('month-to-date');
    expect(f.projectedActiveKwh).toBeCloseTo(f.monthToDate.activeKwh! * 31, 0);
    const empty = reactiveForecast(w.store, M, 'other', MARCH, MARCH + DAY, MARCH + 31 * DAY);
    expect(empty.basis).toBe('none');
    expect(empty.willExceedInductive).toBe(false);
    expect(empty.incomplete.at(-1)).toMatch(/no projection/);
  });
});
