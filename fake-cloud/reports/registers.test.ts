import { afterAll, describe, expect, it } from 'vitest';
import { Store } from '../store/store.ts';
import { RegisterSeries, parseRegister } from './registers.ts';
import { SiteWriter } from './test-site.ts';
import { mulberry32 } from '../../core/random.ts';


describe('parseRegister', () => {
  it('reads the value in k-units and the rollover range from the digits', () => {
    expect(parseRegister('062846.236', 'kWh')).toEqual({ value: 62846.236, modulus: 1_000_000 });
    expect(parseRegister('0001234567', 'Wh')).toEqual({ value: 1234.567, modulus: 10_000_000 });
    expect(parseRegister('000012.5', 'MWh')).toEqual({ value: 12500, modulus: 1_000_000_000 });
    expect(parseRegister('001234.500', 'kVArh')).toEqual({ value: 1234.5, modulus: 1_000_000 });
    expect(parseRegister('001234.500', 'kvarh')?.value).toBe(1234.5);
    expect(parseRegister('12', null)).toEqual({ value: 12, modulus: 100 });
    expect(parseRegister('+0042.0', 'kWh')?.value).toBe(42);
  });

  it('refuses what is not a register reading', () => {
    for (const [v, u] of [['', 'kWh'], ['12a', 'kWh'], ['-5', 'kWh'], ['1.2.3', 'kWh'], ['12', 'A'], ['12', 'kW'], ['ERROR', null], ['1e5', 'kWh']] as const) {
      expect(parseRegister(v, u)).toBeUndefined();
    }
  });
});

describe('RegisterSeries fuzz', () => {
  const store = new Store();
  afterAll(() => store.close());

  it('never throws, never gives a negative energy, and adjacent intervals add up', () => {
    const rnd = mulberry32(0x5eed);
    const T0 = Date.UTC(2026, 2, 1);
    const junk = ['', 'ERROR', '99-99-99', '---', '1..2', '０１２', '\u0000', '123456789012345678'];
    for (let run = 0; run < 150; run++) {
      const modem = `F${run}`;
      const w = new SiteWriter(store, modem, 0);
      let v = rnd() * 999_000;
      let t = T0;
      const n = 5 + Math.floor(rnd() * 40);
      for (let i = 0; i < n; i++) {
        t += Math.floor(rnd() * 3 * 3_600_000);
        const roll = rnd();
        if (roll < 0.05) v = rnd() * 10; // reset
        else if (roll < 0.1) v = (v + rnd() * 20_000) % 1_000_000; // maybe a rollover
        else v += rnd() * 500;
        const value = roll > 0.95 ? junk[Math.floor(rnd() * junk.length)]! : (Math.floor(v * 1000) / 1000).toFixed(3).padStart(10, '0');
        const unit = rnd() < 0.05 ? (['Wh', 'A', '', 'MWh'] as const)[Math.floor(rnd() * 4)] : 'kWh';
        w.meterReading(t, 'S', [{ address: '1.8.0', value, ...(unit ? { unit } : {}) }]);
      }
      const from = T0 - 3_600_000 + Math.floor(rnd() * 3_600_000 * 10);
      const to = from + Math.floor(rnd() * (t - from + 7_200_000)) + 1;
      const mid = from + Math.floor((to - from) * rnd());
      const s = new RegisterSeries(store, modem, 'S', '1.8.0', from, to);
      const whole = s.energy(from, to, 3_600_000);
      const a = s.energy(from, mid, 3_600_000);
      const b = s.energy(mid, to, 3_600_000);
      for (const f of [whole, a, b]) {
        if (f.value !== null) expect(f.value).toBeGreaterThanOrEqual(0);
        expect(Array.isArray(f.incomplete)).toBe(true);
      }
      if (whole.value !== null && a.value !== null && b.value !== null && a.startAt === whole.startAt) expect(a.value + b.value).toBeCloseTo(whole.value, 5);
    }
  });
});
