import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import { readValue } from '../../protocols/modbus-rtu/index.ts';
import { compensate, type CompensatedLoad } from '../site/compensated-load.ts';
import { integrate } from '../site/load.ts';
import { createModbusDevice } from './device.ts';
import { EnergyCounters } from './energy-counters.ts';
import { signedCosPhi } from './electrical.ts';
import { findModbusProfile, loadModbusProfiles } from './profile-loader.ts';
import type { RelayBehaviour } from './profile-schema.ts';
import { bandAt, bandState, decide, unityDistance, type StepView } from './relay-control.ts';
import { RelayModel } from './relay.ts';
import { bench, flatLoad } from './test-master.ts';

const GA = findModbusProfile('grup-arge/screenless-compensation-relay', loadModbusProfiles())!;
if (GA.class !== 'compensation-relay') throw new Error('expected a relay profile');
const GA_RELAY: RelayBehaviour = GA.relay;
const MIN = 60_000;

function totals(view: CompensatedLoad, t: number): { p: number; q: number } {
  const s = view.at(t);
  return { p: s.p.l1 + s.p.l2 + s.p.l3, q: s.q.l1 + s.q.l2 + s.q.l3 };
}

function step(n: number, kvar: number, extra: Partial<StepView> = {}): StepView {
  return { step: n, in: false, kvar, usable: true, readyAt: 0, operations: 0, lastSwitchAt: Number.NEGATIVE_INFINITY, ...extra };
}

/** A relay on a flat load that starts at cos φ 0.99 (in band); minute-aligned start. */
function site(behaviour: RelayBehaviour = GA_RELAY, kw = 100) {
  const clock = new VirtualClock();
  const base = flatLoad(kw, 0.99);
  const view = compensate(base, { stepKvar: behaviour.stepKvar });
  const relay = new RelayModel({ clock, load: view, behaviour });
  return { clock, base, view, relay, t0: clock.now() };
}

describe('relay decision rule', () => {
  it('maps the band through unity: 0.99 ind ± 0.02 is 0.97 ind … 0.99 cap', () => {
    expect(unityDistance(0.97)).toBeCloseTo(0.03, 12);
    expect(unityDistance(-0.99)).toBeCloseTo(-0.01, 12);
    const b = bandAt(100_000, 0.99, 0.02);
    const tan = (c: number) => Math.sqrt(1 / (c * c) - 1);
    expect(b.target).toBeCloseTo(100_000 * tan(0.99), 6);
    expect(b.inductiveEdge).toBeCloseTo(100_000 * tan(0.97), 6);
    expect(b.capacitiveEdge).toBeCloseTo(-100_000 * tan(0.99), 6);
    expect(bandState(30_000, b)).toBe('inductive');
    expect(bandState(0, b)).toBe('in-band');
    expect(bandState(-20_000, b)).toBe('capacitive');
  });

  it('switches in the best-fitting step, rotating equal steps by use', () => {
    const b = bandAt(100_000, 0.99, 0.02);
    const steps = [step(1, 10), step(2, 30, { operations: 4 }), step(3, 30, { operations: 1 }), step(4, 100)];
    expect(decide(75_000, b, steps, 1, 0)).toMatchObject({ action: 'in', step: 3 });
    // Equal use: the one at rest longest, then the lowest number.
    const rest = [step(2, 30, { lastSwitchAt: 50 }), step(3, 30, { lastSwitchAt: 10 })];
    expect(decide(75_000, b, rest, 1, 100)).toMatchObject({ action: 'in', step: 3 });
  });

  it('never switches in past the capacitive edge and waits for a discharging step', () => {
    const b = bandAt(20_000, 0.99, 0.02);
    expect(decide(10_000, b, [step(1, 30)], 1, 0)).toEqual({ action: 'none', reason: 'no-step-fits' });
    const d = decide(30_000, b, [step(1, 25, { readyAt: 500 })], 1, 100);
    expect(d).toEqual({ action: 'none', reason: 'discharging', waitUntil: 500 });
  });

  it('switches out the step that brings a capacitive site nearest the target', () => {
    const b = bandAt(30_000, 0.99, 0.02);
    const steps = [step(1, 20, { in: true }), step(2, 30, { in: true }), step(3, 30, { in: true })];
    expect(decide(-37_500, b, steps, 1, 0)).toMatchObject({ action: 'out', expectedQ: -7_500 });
    expect(decide(-7_500, b, [step(1, 30, { in: true })], 1, 0)).toMatchObject({ action: 'out', step: 1 });
  });
});

describe('compensation relay on the clock', () => {
  it('follows an inductive step with steps after the switch delay and settles in band', async () => {
    const { clock, base, view, relay, t0 } = site();
    await clock.runFor(5 * MIN);
    expect(relay.switchings).toHaveLength(0);
    const tStep = t0 + 10 * MIN;
    base.override({ from: tStep, powerFactor: 0.8 });
    await clock.runUntil(tStep + 9_999);
    expect(relay.switchings).toHaveLength(0);
    await clock.runFor(5 * MIN);
    const ins = relay.switchings.filter((s) => s.on);
    expect(ins[0]!.at).toBe(tStep + 10_000);
    for (let i = 1; i < relay.switchings.length; i++) expect(relay.switchings[i]!.at - relay.switchings[i - 1]!.at).toBeGreaterThanOrEqual(10_000);
    const { p, q } = totals(view, clock.now());
    const cos = signedCosPhi(p, q);
    expect(unityDistance(cos)).toBeGreaterThanOrEqual(unityDistance(0.99) - 0.02);
    expect(unityDistance(cos)).toBeLessThanOrEqual(unityDistance(0.99) + 0.02);
    expect(relay.read('relay.cosphi.measured', clock.now())).toBeCloseTo(cos, 9);
    expect(relay.stepMask()).toBe(0b1100_0000_0000);
  });

  it('switches steps out when the load drops, back in when it returns, respecting discharge', async () => {
    const { clock, base, view, relay, t0 } = site();
    relay.write('relay.delay.discharge', 120, clock.now());
    base.override({ from: t0 + MIN, powerFactor: 0.8 });
    base.override({ from: t0 + 10 * MIN, to: t0 + 11 * MIN, scale: 0.3 });
    await clock.runFor(30 * MIN);
    const outs = relay.switchings.filter((s) => !s.on);
    expect(outs.length).toBeGreaterThan(0);
    expect(outs[0]!.at).toBeGreaterThanOrEqual(t0 + 10 * MIN + 10_000);
    // A step goes back in no sooner than the discharge time after it went out.
    const lastOut = new Map<number, number>();
    for (const s of relay.switchings) {
      if (!s.on) lastOut.set(s.step, s.at);
      else if (lastOut.has(s.step)) expect(s.at - lastOut.get(s.step)!).toBeGreaterThanOrEqual(120_000);
    }
    const { p, q } = totals(view, clock.now());
    expect(bandState(q, bandAt(p, 0.99, 0.02))).toBe('in-band');
    expect(view.bank.history.length).toBe(relay.switchings.length);
  });

  it('waits out the discharge time of the only step that fits', async () => {
    const one: RelayBehaviour = { ...GA_RELAY, steps: 1, stepKvar: [60], dischargeTimeS: 100 };
    const { clock, base, relay, t0 } = site(one);
    base.override({ from: t0 + MIN, powerFactor: 0.8 });
    base.override({ from: t0 + 5 * MIN, to: t0 + 6 * MIN, scale: 0.2 });
    await clock.runFor(10 * MIN);
    const [first, out, back] = relay.switchings;
    expect(first).toMatchObject({ on: true, at: t0 + MIN + 10_000 });
    expect(out).toMatchObject({ on: false, at: t0 + 5 * MIN + 10_000 });
    expect(back).toMatchObject({ on: true, at: out!.at + 100_000 });
  });

  it('recognises a step that does not change Q, raises step-fault and compensates with others', async () => {
    const { clock, base, view, relay, t0 } = site();
    view.bank.fail(11, clock.now());
    base.override({ from: t0 + MIN, powerFactor: 0.8 });
    await clock.runFor(10 * MIN);
    expect(relay.switchings[0]).toMatchObject({ step: 11, on: true });
    expect(relay.switchings[1]).toMatchObject({ step: 11, on: false, reason: 'step-fault' });
    expect(relay.isFaulty(11)).toBe(true);
    expect(relay.read('relay.step.11.power', clock.now())).toBeLessThan(0.1);
    expect(relay.read('relay.step.12.power', clock.now())).toBeCloseTo(30, 1);
    expect(relay.activeAlarms()).toContain('step-fault');
    const { p, q } = totals(view, clock.now());
    expect(bandState(q, bandAt(p, 0.99, 0.02))).toBe('in-band');
    expect(relay.switchings.filter((s) => s.step === 11 && s.on)).toHaveLength(1);
  });

  it('raises under-compensation with every step in and over-compensation with every step out', async () => {
    const { clock, base, relay, t0 } = site(GA_RELAY, 400);
    base.override({ from: t0 + MIN, powerFactor: 0.6 });
    base.override({ from: t0 + 60 * MIN, powerFactor: 0.9, capacitive: true });
    await clock.runFor(40 * MIN);
    expect(relay.stepMask()).toBe(0xfff);
    expect(relay.activeAlarms()).toContain('under-compensation');
    await clock.runFor(40 * MIN);
    expect(relay.stepMask()).toBe(0);
    expect(relay.activeAlarms()).toEqual(['over-compensation']);
    expect(relay.alarmMask()).toBe(0b1);
  });

  it('drops every step on over-voltage and flags under-voltage', async () => {
    const { clock, base, relay, t0 } = site();
    base.override({ from: t0 + MIN, powerFactor: 0.8 });
    await clock.runFor(5 * MIN);
    expect(relay.stepMask()).not.toBe(0);
    base.override({ from: t0 + 6 * MIN, to: t0 + 8 * MIN, voltage: 262 });
    base.override({ from: t0 + 8 * MIN, to: t0 + 9 * MIN, voltage: 190 });
    await clock.runUntil(t0 + 6 * MIN);
    expect(relay.stepMask()).toBe(0);
    expect(relay.activeAlarms()).toContain('over-voltage');
    expect(relay.switchings.filter((s) => s.reason === 'protection').length).toBeGreaterThan(0);
    await clock.runUntil(t0 + 8 * MIN + 1);
    expect(relay.activeAlarms()).toContain('under-voltage');
    expect(relay.activeAlarms()).not.toContain('over-voltage');
  });

  it('reports month-to-date ratios from energy integrated over the compensated load', async () => {
    const { clock, view, relay, t0 } = site();
    await clock.runFor(24 * 3600_000);
    const t = clock.now();
    const sums = integrate(view, t0, t);
    expect(relay.read('relay.ratio.inductive', t)).toBeCloseTo((100 * sums.inductiveVarh) / sums.importWh, 6);
    expect(relay.read('relay.ratio.capacitive', t)).toBe(0);
    expect(relay.read('energy.import', t)).toBeCloseTo(sums.importWh / 1000, 6);
  });
});

describe('compensation reaches the site load', () => {
  it('analyzers and meters on the relay\'s view see the compensated Q, with exact energy sums', async () => {
    const { clock, bus, master } = bench();
    const base = flatLoad(100, 0.8);
    const relay = createModbusDevice({ profile: GA, serial: 'GA-2024-0347', endpoint: bus.attach('relay', { settings: MODBUS_DEFAULT }), clock, load: base });
    expect(relay.address).toBe(147);
    const sdm = createModbusDevice({ profile: 'Eastron SDM630', address: 1, endpoint: bus.attach('sdm', { settings: MODBUS_DEFAULT }), clock, load: relay.siteLoad });
    const t0 = clock.now();
    const stepwise = new EnergyCounters(relay.siteLoad, t0);
    for (let i = 0; i < 60; i++) {
      await clock.runFor(MIN);
      stepwise.advanceTo(clock.now());
    }
    const t = clock.now();
    const q = readValue((await clock.run(master.readRegisters(1, 4, 0x3c, 2))), { type: 'float32' });
    const uncompensated = base.at(t);
    expect(q).toBeLessThan((uncompensated.q.l1 + uncompensated.q.l2 + uncompensated.q.l3) / 2);
    const mask = await clock.run(master.readRegisters(147, 3, 40, 1));
    expect(mask[0]).toBe(relay.relay!.stepMask());
    const once = new EnergyCounters(relay.siteLoad, t0).at(t);
    expect(stepwise.at(t).inductive).toBeCloseTo(once.inductive, 9);
    expect(sdm.analyzer!.counters.at(t).import).toBeCloseTo(once.import, 9);
    expect(once.inductive).toBeLessThan(integrate(base, t0, t).inductiveVarh / 1000 / 2);
  });

  it('lets the master set the target and switch a step by hand', async () => {
    const { clock, bus, master } = bench();
    const relay = createModbusDevice({ profile: GA, serial: '0347', endpoint: bus.attach('relay', { settings: MODBUS_DEFAULT }), clock, load: flatLoad(100, 0.99) });
    const target = await clock.run(master.request(147, { fn: 6, address: 100, value: 950 }));
    expect(target.response?.response).toEqual({ fn: 6, address: 100, value: 950 });
    expect(relay.relay!.target).toBe(0.95);
    const bad = await clock.run(master.request(147, { fn: 6, address: 100, value: 500 }));
    expect(bad.response?.response).toEqual({ fn: 6, exception: 3 });
    await clock.run(master.request(147, { fn: 5, address: 0, value: 0xff00 }));
    expect(relay.relay!.isIn(1)).toBe(true);
    expect(relay.relay!.switchings[0]).toMatchObject({ step: 1, on: true, reason: 'manual' });
  });
});
