import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import { readValue } from '../../protocols/modbus-rtu/index.ts';
import { integrate, SiteLoad } from '../site/load.ts';
import { AnalyzerModel } from './analyzer.ts';
import { createModbusDevice } from './device.ts';
import { electricalValue, readSample, signedCosPhi } from './electrical.ts';
import { EnergyCounters } from './energy-counters.ts';
import { bench, flatLoad } from './test-master.ts';

const f32 = (words: number[], at = 0) => readValue(words.slice(at, at + 2), { type: 'float32' });

describe('electrical values of a sample', () => {
  const sample = { p: { l1: 10_000, l2: 8_000, l3: 6_000 }, q: { l1: 5_000, l2: -2_000, l3: 0 }, v: { l1: 230, l2: 228, l3: 232 }, f: 50.01 };
  const r = readSample(sample, { step: 3 });

  it('computes powers, currents, factors and line voltages consistently', () => {
    const s1 = Math.hypot(10_000, 5_000);
    expect(electricalValue('power.active.total', r)).toBe(24_000);
    expect(electricalValue('power.reactive.total', r)).toBe(3_000);
    expect(electricalValue('cosphi.l1', r)).toBeCloseTo(10_000 / s1, 12);
    expect(electricalValue('cosphi.l2', r)).toBeLessThan(0);
    expect(electricalValue('cosphi.total', r)).toBeCloseTo(signedCosPhi(24_000, 3_000), 12);
    const i1 = electricalValue('current.l1', r)!;
    expect(i1).toBeGreaterThan(s1 / 230);
    expect(electricalValue('power.apparent.l1', r)).toBeCloseTo(230 * i1, 9);
    const pf = electricalValue('pf.l1', r)!;
    expect(pf).toBeLessThan(10_000 / s1);
    expect(pf).toBeCloseTo(10_000 / (230 * i1), 12);
    expect(electricalValue('voltage.l12', r)).toBeCloseTo(Math.sqrt(230 ** 2 + 228 ** 2 + 230 * 228), 9);
    expect(electricalValue('frequency', r)).toBe(50.01);
  });

  it('gives plausible THD: high at light load, lower at full load', () => {
    const at = (kw: number) => readSample({ p: { l1: kw * 1000, l2: 0, l3: 0 }, q: { l1: 0, l2: 0, l3: 0 }, v: { l1: 230, l2: 230, l3: 230 }, f: 50 }, { step: 1 });
    const light = electricalValue('thd.current.l1', at(1))!;
    const full = electricalValue('thd.current.l1', at(60))!;
    expect(light).toBeGreaterThan(20);
    expect(full).toBeGreaterThan(5);
    expect(full).toBeLessThan(10);
    expect(electricalValue('thd.voltage.l1', at(60))).toBeGreaterThan(electricalValue('thd.voltage.l1', at(1))!);
    expect(electricalValue('thd.current.l2', at(60))).toBe(0);
  });

  it('balances the neutral current of a balanced load to zero', () => {
    const bal = readSample({ p: { l1: 5000, l2: 5000, l3: 5000 }, q: { l1: 1000, l2: 1000, l3: 1000 }, v: { l1: 230, l2: 230, l3: 230 }, f: 50 });
    expect(electricalValue('current.n', bal)).toBeLessThan(1e-9);
    const one = readSample({ p: { l1: 5000, l2: 0, l3: 0 }, q: { l1: 0, l2: 0, l3: 0 }, v: { l1: 230, l2: 230, l3: 230 }, f: 50 });
    expect(electricalValue('current.n', one)).toBeCloseTo(5000 / 230, 9);
  });

  it('measures only L1 on a one-phase analyzer', () => {
    const one = readSample(sample, { phases: 1 });
    expect(electricalValue('power.active.total', one)).toBe(10_000);
    expect(electricalValue('voltage.l2', one)).toBe(0);
  });
});

describe('energy counters', () => {
  it('equal the integral of the load in every quadrant, and split by month', () => {
    const start = Date.UTC(2026, 0, 31, 12);
    const load = new SiteLoad({ baseKw: 4, peakKw: 40, powerFactor: 0.8 });
    load.override({ from: start + 3 * 3600_000, to: start + 5 * 3600_000, capacitive: true, powerFactor: 0.95 });
    const c = new EnergyCounters(load, start, { initial: { import: 100 } });
    const end = start + 24 * 3600_000;
    const sums = integrate(load, start, end);
    const t = c.at(end);
    expect(t.import).toBeCloseTo(100 + sums.importWh / 1000, 9);
    expect(t.inductive).toBeCloseTo(sums.inductiveVarh / 1000, 9);
    expect(t.capacitive).toBeCloseTo(sums.capacitiveVarh / 1000, 9);
    expect(t.capacitive).toBeGreaterThan(0);
    // February began at 21:00 UTC (midnight in Turkey): the month-to-date sums restart there.
    const feb = integrate(load, Date.UTC(2026, 0, 31, 21), end);
    expect(c.monthToDate(end).import).toBeCloseTo(feb.importWh / 1000, 9);
  });
});

describe('energy analyzer on the bus', () => {
  it('shows the load: P total, V, f; after a virtual day its import counter equals the integral', async () => {
    const { clock, bus, master } = bench();
    const load = new SiteLoad({ baseKw: 5, peakKw: 60, powerFactor: 0.85, seed: 9 });
    const start = clock.now();
    const sdm = createModbusDevice({ profile: 'Eastron SDM630', address: 1, endpoint: bus.attach('sdm', { settings: MODBUS_DEFAULT }), clock, load, initialEnergy: { import: 5000 } });
    await clock.runFor(24 * 3600_000);
    const t = clock.now();
    const block = await clock.run(master.readRegisters(1, 4, 0x00, 80));
    const s = load.at(t);
    expect(f32(block, 0x34)).toBeCloseTo(s.p.l1 + s.p.l2 + s.p.l3, 0);
    expect(f32(block, 0x00)).toBeCloseTo(s.v.l1, 3);
    expect(f32(block, 0x46)).toBeCloseTo(s.f, 3);
    const sums = integrate(load, start, t);
    const expectedKwh = Math.floor((5000 + sums.importWh / 1000) / 0.01) * 0.01;
    expect(f32(block, 0x48)).toBeCloseTo(expectedKwh, 2);
    expect(f32(block, 0x4c)).toBeCloseTo(sums.inductiveVarh / 1000, 1);
    expect(f32(block, 0x4a)).toBe(0);
    expect(sdm.analyzer!.counter('import', t)).toBeCloseTo(expectedKwh, 9);
  });

  it('reads the Entes block in one request with zeros over its gaps', async () => {
    const { clock, bus, master } = bench();
    createModbusDevice({ profile: 'Entes MPR-45S', endpoint: bus.attach('mpr', { settings: MODBUS_DEFAULT }), clock, load: flatLoad(30, 0.9) });
    const block = await clock.run(master.readRegisters(1, 3, 0, 0x58));
    expect(readValue(block.slice(0, 2), { type: 'uint32', scale: 0.1 })).toBeCloseTo(230, -1);
    expect(block.slice(6, 8)).toEqual([0, 0]);
    expect(readValue(block.slice(0x50, 0x52), { type: 'int32', scale: 0.001 })).toBeGreaterThan(0.85);
  });

  it('keeps THD registers silent on a model without THD', () => {
    const clock = new VirtualClock();
    const m = new AnalyzerModel({ load: flatLoad(10, 0.9), behaviour: { phases: 3, hasThd: false, energyResolution: 0.1 }, start: clock.now() });
    expect(m.read('thd.current.l1', clock.now())).toBeUndefined();
    expect(m.read('power.active.total', clock.now())).toBeCloseTo(10_000, -1);
  });
});
