import { describe, expect, it } from 'vitest';
import { encodeRegisters } from '../../protocols/modbus-rtu/index.ts';
import { decodeBlock, scaleDecimals, wordValue } from './decode.ts';
import { planReads } from './plan.ts';
import type { RegisterValue } from './register-set.ts';

const v = (over: Partial<RegisterValue> & Pick<RegisterValue, 'type'>): RegisterValue => ({ name: 'x', table: 'holding', address: 0, wordOrder: 'ABCD', scale: 1, ...over });

describe('decoding values', () => {
  it('applies type, word order and scale, rounded to the scale', () => {
    expect(wordValue(v({ type: 'u16', scale: 0.1 }), [2301], 0)).toBe(230.1);
    expect(wordValue(v({ type: 'i16', scale: 0.001 }), [0xfc18], 0)).toBe(-1);
    expect(wordValue(v({ type: 'u32', scale: 0.01 }), [0x0001, 0x86a0], 0)).toBe(1000);
    expect(wordValue(v({ type: 'u32', scale: 0.01, wordOrder: 'CDAB' }), [0x86a0, 0x0001], 0)).toBe(1000);
    expect(wordValue(v({ type: 'i32' }), encodeRegisters(-123456, 'int32'), 0)).toBe(-123456);
    expect(wordValue(v({ type: 'f32' }), encodeRegisters(229.7, 'float32'), 0)).toBe(229.7);
    expect(wordValue(v({ type: 'f32' }), encodeRegisters(0.95, 'float32', 'DCBA'), 0)).not.toBe(0.95);
    expect(wordValue(v({ type: 'f32', wordOrder: 'DCBA' }), encodeRegisters(0.95, 'float32', 'DCBA'), 0)).toBe(0.95);
    expect(wordValue(v({ type: 'u64', scale: 0.001 }), encodeRegisters(123456789n, 'uint64'), 0)).toBe(123456.789);
    expect(wordValue(v({ type: 'u16', bit: 6 }), [0x0040], 0)).toBe(1);
    expect(wordValue(v({ type: 'u16', bit: 5 }), [0x0040], 0)).toBe(0);
  });

  it('knows the decimals of a scale', () => {
    expect([0.1, 0.01, 0.001, 0.25, 1, 10, 1e-7].map(scaleDecimals)).toEqual([1, 2, 3, 2, 0, 0, 7]);
  });

  it('decodes a block, bits included, and skips a value that is not a number', () => {
    const values: RegisterValue[] = [v({ name: 'a', type: 'u16', unit: 'V', scale: 0.1 }), v({ name: 'b', type: 'f32', address: 2 })];
    const [block] = planReads({ values, limits: { maxReadRegisters: 125, maxReadBits: 2000, mergeGap: 1 } });
    expect(decodeBlock(block!, [2301, 0, 0x7fc0, 0x0000])).toEqual({ values: [{ name: 'a', value: 230.1, unit: 'V' }], skipped: ['b'] });
    const bits: RegisterValue[] = [v({ name: 'in1', table: 'discrete', type: 'bool', address: 0 }), v({ name: 'in3', table: 'discrete', type: 'bool', address: 2 })];
    const [bitBlock] = planReads({ values: bits, limits: { maxReadRegisters: 125, maxReadBits: 2000, mergeGap: 1 } });
    expect(decodeBlock(bitBlock!, [true, false, false]).values).toEqual([{ name: 'in1', value: 1 }, { name: 'in3', value: 0 }]);
  });
});
