import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { CapacitorBank } from './capacitor-bank.ts';
import { CompensatedLoad, compensate } from './compensated-load.ts';
import { integrate, SiteLoad } from './load.ts';

const T0 = Date.UTC(2026, 0, 5, 8);

describe('capacitor bank', () => {
  it('switches at the next whole quantum and keeps its history', () => {
    const bank = new CapacitorBank({ stepKvar: [10, 20] });
    expect(bank.switchStep(2, true, T0 + 1234)).toBe(T0 + 2000);
    expect(bank.switchStep(2, true, T0 + 1500)).toBeUndefined();
    expect(bank.switchStep(3, true, T0 + 1500)).toBeUndefined();
    expect(bank.deliveredKvar(T0 + 1999)).toBe(0);
    expect(bank.deliveredKvar(T0 + 2000)).toBe(20);
    bank.switchStep(1, true, T0 + 2000); // exactly on a boundary: the next one
    expect(bank.deliveredKvar(T0 + 2500)).toBe(20);
    expect(bank.deliveredKvar(T0 + 3000)).toBe(30);
    expect(bank.history.map((e) => [e.step, e.kind, e.at - T0])).toEqual([[2, 'in', 2000], [1, 'in', 3000]]);
    expect(bank.operations(2)).toBe(1);
    expect(bank.isIn(1) && bank.isIn(2)).toBe(true);
  });

  it('delivers C·(V/Vn)² split over the phases, nothing from a failed step', () => {
    const bank = new CapacitorBank({ stepKvar: [30] });
    bank.switchStep(1, true, T0);
    const q = bank.reactiveAt(T0 + 1000, { l1: 230, l2: 253, l3: 0 });
    expect(q.l1).toBeCloseTo(10_000, 9);
    expect(q.l2).toBeCloseTo(10_000 * 1.1 ** 2, 9);
    expect(q.l3).toBe(0);
    bank.fail(1, T0 + 5000);
    expect(bank.deliveredKvar(T0 + 5999)).toBe(30);
    expect(bank.deliveredKvar(T0 + 6000)).toBe(0);
    expect(bank.isIn(1)).toBe(true);
    bank.repair(1, T0 + 7000);
    expect(bank.deliveredKvar(T0 + 8000)).toBe(30);
  });

  it('refuses a bank without steps or with a bad power', () => {
    expect(() => new CapacitorBank({ stepKvar: [] })).toThrow(InputError);
    expect(() => new CapacitorBank({ stepKvar: [10, -5] })).toThrow(InputError);
  });
});

describe('compensated load', () => {
  it('subtracts the bank from Q per phase and leaves P, V, f alone', () => {
    const base = new SiteLoad({ baseKw: 30, peakKw: 30, powerFactor: 0.8, noise: 0 });
    const view = compensate(base, { stepKvar: [15] });
    view.bank.switchStep(1, true, T0);
    const s = base.at(T0 + 1000);
    const c = view.at(T0 + 1000);
    expect(c.p).toEqual(s.p);
    expect(c.v).toEqual(s.v);
    expect(c.f).toBe(s.f);
    expect(c.q.l1).toBeCloseTo(s.q.l1 - 5000 * (s.v.l1 / 230) ** 2, 1);
    expect(view.at(T0)).toEqual(base.at(T0));
    expect(view.capacitorVar(T0 + 1000)).toBeCloseTo(s.q.l1 + s.q.l2 + s.q.l3 - (c.q.l1 + c.q.l2 + c.q.l3), 0);
  });

  it('keeps energy sums exact however they are split, while the bank switches', () => {
    const base = new SiteLoad({ baseKw: 5, peakKw: 50, powerFactor: 0.75, seed: 3 });
    const view = new CompensatedLoad(base, new CapacitorBank({ stepKvar: [10, 10, 20] }));
    // A seeded switching pattern, recorded as the clock moves on, with a reader at odd times.
    let seed = 7;
    const rnd = (): number => ((seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0) / 4294967296);
    let pieces = { importWh: 0, inductiveVarh: 0, capacitiveVarh: 0 };
    let t = T0;
    for (let i = 0; i < 200; i++) {
      const next = t + Math.floor(rnd() * 400_000) + 1;
      view.bank.switchStep(1 + Math.floor(rnd() * 3), rnd() < 0.5, t);
      const part = integrate(view, t, next);
      pieces = { importWh: pieces.importWh + part.importWh, inductiveVarh: pieces.inductiveVarh + part.inductiveVarh, capacitiveVarh: pieces.capacitiveVarh + part.capacitiveVarh };
      t = next;
    }
    const whole = integrate(view, T0, t);
    expect(pieces.importWh).toBeCloseTo(whole.importWh, 6);
    expect(pieces.inductiveVarh).toBeCloseTo(whole.inductiveVarh, 6);
    expect(pieces.capacitiveVarh).toBeCloseTo(whole.capacitiveVarh, 6);
    expect(whole.inductiveVarh).toBeLessThan(integrate(base, T0, t).inductiveVarh);
  });

  it('needs a load step that is a whole number of bank quanta', () => {
    const base = new SiteLoad({ baseKw: 1, peakKw: 1, powerFactor: 1 }, { stepMs: 1500 });
    expect(() => compensate(base, { stepKvar: [5] })).toThrow(InputError);
  });
});
