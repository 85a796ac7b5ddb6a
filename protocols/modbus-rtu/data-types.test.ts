import { describe, expect, it } from 'vitest';
import { InputError } from '../../core/errors.ts';
import { REGISTER_TYPES, WORD_ORDERS, decodeRegisters, encodeRegisters, readValue, registerCount, writeValue } from './data-types.ts';
import { Rand } from './test-support.ts';

describe('register data types', () => {
  it('float32 123.456 (0x42f6e979) in all four orders', () => {
    const want = { ABCD: [0x42f6, 0xe979], CDAB: [0xe979, 0x42f6], BADC: [0xf642, 0x79e9], DCBA: [0x79e9, 0xf642] } as const;
    for (const order of WORD_ORDERS) {
      expect(encodeRegisters(123.456, 'float32', order)).toEqual(want[order]);
      expect(decodeRegisters(want[order], 'float32', order)).toBeCloseTo(123.456, 4);
    }
  });

  it('uint32 0x12345678 and int32 -2', () => {
    expect(encodeRegisters(0x12345678, 'uint32', 'ABCD')).toEqual([0x1234, 0x5678]);
    expect(encodeRegisters(0x12345678, 'uint32', 'CDAB')).toEqual([0x5678, 0x1234]);
    expect(encodeRegisters(0x12345678, 'uint32', 'BADC')).toEqual([0x3412, 0x7856]);
    expect(encodeRegisters(0x12345678, 'uint32', 'DCBA')).toEqual([0x7856, 0x3412]);
    expect(encodeRegisters(-2, 'int32')).toEqual([0xffff, 0xfffe]);
    expect(decodeRegisters([0xfffe, 0xffff], 'int32', 'CDAB')).toBe(-2);
    expect(decodeRegisters([0xfffe, 0xffff], 'uint32', 'CDAB')).toBe(0xfffffffe);
  });

  it('16-bit types see only the byte swap', () => {
    expect(encodeRegisters(0x1234, 'uint16', 'CDAB')).toEqual([0x1234]);
    expect(encodeRegisters(0x1234, 'uint16', 'BADC')).toEqual([0x3412]);
    expect(decodeRegisters([0xffff], 'int16')).toBe(-1);
    expect(decodeRegisters([0x00ff], 'int16', 'DCBA')).toBe(-256);
  });

  it('64-bit types as bigint, words reversed for the swapped orders', () => {
    const v = 0x0102030405060708n;
    expect(encodeRegisters(v, 'uint64', 'ABCD')).toEqual([0x0102, 0x0304, 0x0506, 0x0708]);
    expect(encodeRegisters(v, 'uint64', 'CDAB')).toEqual([0x0708, 0x0506, 0x0304, 0x0102]);
    expect(encodeRegisters(v, 'uint64', 'DCBA')).toEqual([0x0807, 0x0605, 0x0403, 0x0201]);
    expect(decodeRegisters([0xffff, 0xffff, 0xffff, 0xfffb], 'int64')).toBe(-5n);
    expect(encodeRegisters(-5, 'int64')).toEqual([0xffff, 0xffff, 0xffff, 0xfffb]);
  });

  it('reads at an offset', () => {
    expect(decodeRegisters([9, 9, 0x3f80, 0x0000], 'float32', 'ABCD', 2)).toBe(1);
    expect(registerCount('uint16')).toBe(1);
    expect(registerCount('float32')).toBe(2);
    expect(registerCount('int64')).toBe(4);
  });

  it('scaling: value = raw * scale', () => {
    expect(readValue([2305], { type: 'uint16', scale: 0.1 })).toBeCloseTo(230.5, 10);
    expect(writeValue(230.5, { type: 'uint16', scale: 0.1 })).toEqual([2305]);
    expect(readValue([0xff83], { type: 'int16', scale: 0.01 })).toBeCloseTo(-1.25, 10);
    expect(writeValue(-1.25, { type: 'int16', scale: 0.01 })).toEqual([0xff83]);
    expect(readValue([0x0001, 0x86a0], { type: 'uint32', scale: 0.001 })).toBeCloseTo(100, 10);
    expect(readValue([0, 0, 0, 10], { type: 'uint64', scale: 2 })).toBe(20);
    expect(writeValue(50, { type: 'float32', order: 'CDAB', scale: 0.5 })).toEqual(encodeRegisters(100, 'float32', 'CDAB'));
    expect(writeValue(1e6, { type: 'int64', scale: 1 })).toEqual(encodeRegisters(1000000n, 'int64'));
  });

  it('refuses values and registers that do not fit, with an InputError', () => {
    expect(() => encodeRegisters(65536, 'uint16')).toThrow(/65536 is not an integer in uint16 \(0\.\.65535\)/);
    expect(() => encodeRegisters(1.5, 'int32')).toThrow(InputError);
    expect(() => encodeRegisters(-1, 'uint64')).toThrow(/outside uint64/);
    expect(() => encodeRegisters(2 ** 60, 'uint64')).toThrow(/not a safe integer/);
    expect(() => decodeRegisters([1], 'uint32')).toThrow(/needs 2 registers from index 0, only 1 there/);
    expect(() => decodeRegisters([70000], 'uint16')).toThrow(/register at index 0 is 70000/);
    expect(() => writeValue(1, { type: 'uint16', scale: 0 })).toThrow(/scale 0/);
    expect(() => writeValue(7000, { type: 'uint16', scale: 0.1 })).toThrow(InputError);
    expect(() => writeValue(Infinity, { type: 'int16' })).toThrow(/not finite/);
  });

  it('fuzz: registers → value → registers and value → registers → value round trip for every type and order', () => {
    const r = new Rand(31);
    for (let i = 0; i < 3000; i++) {
      const type = r.pick(REGISTER_TYPES);
      const order = r.pick(WORD_ORDERS);
      const regs = r.regs(registerCount(type));
      const value = decodeRegisters(regs, type, order);
      if (typeof value === 'number' && Number.isNaN(value)) continue; // NaN payloads are not kept
      expect(encodeRegisters(value, type, order)).toEqual(regs);
      const again = decodeRegisters(encodeRegisters(value, type, order), type, order);
      expect(again).toEqual(value);
    }
  });

  it('fuzz: scaled integers survive writeValue → readValue within half a step', () => {
    const r = new Rand(32);
    for (let i = 0; i < 2000; i++) {
      const scale = r.pick([1, 0.1, 0.01, 0.001, 10, 0.5]);
      const type = r.pick(['uint16', 'int16', 'uint32', 'int32'] as const);
      const lo = type.startsWith('u') ? 0 : type === 'int16' ? -32768 : -2147483648;
      const hi = type === 'uint16' ? 65535 : type === 'int16' ? 32767 : type === 'uint32' ? 4294967295 : 2147483647;
      const raw = r.int(lo, hi);
      const value = raw * scale;
      const spec = { type, order: r.pick(WORD_ORDERS), scale };
      const regs = writeValue(value, spec);
      expect(Math.abs(readValue(regs, spec) - value)).toBeLessThanOrEqual(Math.abs(scale) / 2 + 1e-9 * Math.abs(value));
      expect(decodeRegisters(regs, type, spec.order)).toBe(raw);
    }
  });
});
