import { describe, expect, it } from 'vitest';
import { decodeRegisters } from '../../protocols/modbus-rtu/index.ts';
import { Rand } from '../../protocols/modbus-rtu/test-support.ts';
import { parseModbusProfileText } from './profile-loader.ts';
import { WORD_ORDERS, type ModbusRegister, type RegisterType } from './profile-schema.ts';
import { decodeValue, encodeValue, RegisterMap } from './register-map.ts';

function reg(over: Partial<ModbusRegister>): ModbusRegister {
  return { table: 'holding', address: 0, quantity: 'power.active.total', type: 'u16', wordOrder: 'ABCD', scale: 1, unit: 'W', writable: true, verified: false, ...over };
}

describe('register values', () => {
  it('converts units and scales: 123.456 kWh in a Wh u32 is 123456', () => {
    const r = reg({ quantity: 'energy.import', type: 'u32', unit: 'Wh' });
    expect(decodeRegisters(encodeValue(r, 123.456), 'uint32')).toBe(123456);
    expect(decodeValue(r, encodeValue(r, 123.456))).toBeCloseTo(123.456, 9);
    const c = reg({ quantity: 'cosphi.total', type: 'i16', scale: 0.001, unit: 'none' });
    expect(decodeRegisters(encodeValue(c, -0.874), 'int16')).toBe(-874);
  });

  it('holds integers at the ends of their type and reads undefined or NaN as zero', () => {
    expect(encodeValue(reg({ type: 'u16' }), -5)).toEqual([0]);
    expect(encodeValue(reg({ type: 'u16' }), 1e9)).toEqual([0xffff]);
    expect(encodeValue(reg({ type: 'i32' }), undefined)).toEqual([0, 0]);
    expect(encodeValue(reg({ type: 'f32' }), Number.NaN)).toEqual([0, 0]);
  });

  it('maps codes both ways and refuses a raw value that is not a code', () => {
    const r = reg({ quantity: 'device.baud', unit: 'baud', codes: { '0': 2400, '2': 9600 } });
    expect(encodeValue(r, 9600)).toEqual([2]);
    expect(decodeValue(r, [0])).toBe(2400);
    expect(decodeValue(r, [1])).toMatchObject({ exception: 3 });
  });

  it('refuses a value outside the range with exception 3', () => {
    const r = reg({ type: 'f32', range: { min: 0, max: 10 } });
    expect(decodeValue(r, encodeValue(r, 11))).toMatchObject({ exception: 3 });
    expect(decodeValue(r, encodeValue(r, 9.5))).toBe(9.5);
  });

  it('round-trips random values of every type and order, and swaps words only when asked', () => {
    const rand = new Rand(99);
    const types: RegisterType[] = ['u16', 'i16', 'u32', 'i32', 'f32', 'u64'];
    for (let i = 0; i < 3000; i++) {
      const type = rand.pick(types);
      const wide = type !== 'u16' && type !== 'i16';
      const order = rand.pick(wide ? WORD_ORDERS : (['ABCD', 'BADC'] as const));
      const r = reg({ type, wordOrder: order, scale: rand.pick([1, 0.1, 0.01]) });
      const [lo, hi] = ({ u16: [0, 0xffff], i16: [-0x8000, 0x7fff], u32: [0, 0xffffffff], i32: [-0x80000000, 0x7fffffff], f32: [-1e6, 1e6], u64: [0, 2 ** 40] } as const)[type as Exclude<RegisterType, 'bool'>];
      const value = Math.round(lo + rand.next() * (hi - lo)) * r.scale;
      const words = encodeValue(r, value);
      const back = decodeValue(r, words) as number;
      expect(Math.abs(back - value)).toBeLessThanOrEqual(type === 'f32' ? Math.abs(value) * 1e-6 + 1e-6 : 1e-6 * Math.max(1, Math.abs(value)));
      const swapped = encodeValue(r, value, { swapWords: true });
      if (wide) expect(swapped).toEqual(type === 'u64' ? [...words].reverse() : [words[1], words[0]]);
      else expect(swapped).toEqual(words);
    }
  });
});

describe('register map', () => {
  const profile = (unmapped: 'exception' | 'zero') => parseModbusProfileText(`
vendor: T
model: M
class: energy-analyzer
source: { public: false, notes: test }
serial: { baud: 9600, parity: none, stopBits: 1, address: { rule: fixed, default: 1 } }
latencyMs: { min: 1, max: 2 }
functions: [3, 6, 16]
unmapped: ${unmapped}
analyzer: { phases: 3, hasThd: false, energyResolution: 0.01 }
registers:
  - { table: holding, address: 0, quantity: voltage.l1, type: f32 }
  - { table: holding, address: 4, quantity: device.address, type: u16, writable: true }
`, 't.yaml');

  it('answers reads per the unmapped policy', () => {
    const strict = new RegisterMap(profile('exception'));
    expect(strict.canRead('holding', 0, 2)).toBe(true);
    expect(strict.canRead('holding', 0, 5)).toBe(false);
    const lenient = new RegisterMap(profile('zero'));
    expect(lenient.canRead('holding', 0, 5)).toBe(true);
    expect(lenient.canRead('holding', 6, 3)).toBe(false);
    expect(lenient.readWords('holding', 1, 4, (n) => (n === 'device.address' ? 9 : 230))).toEqual([encodeValue(profile('zero').registers[0]!, 230)[1], 0, 0, 9]);
  });

  it('plans writes that cover whole values only', () => {
    const map = new RegisterMap(profile('zero'));
    expect(map.planWordWrite(4, [17])).toEqual([{ register: profile('zero').registers[1], value: 17 }]);
    expect(map.planWordWrite(0, [1, 2])).toMatchObject({ exception: 2 });
    expect(map.planWordWrite(3, [1, 2])).toMatchObject({ exception: 2 });
  });
});
