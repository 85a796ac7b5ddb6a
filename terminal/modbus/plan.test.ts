import { describe, expect, it } from 'vitest';
import { shippedCatalog } from './catalog.ts';
import { planReads } from './plan.ts';
import { widthOf, type RegisterSet, type RegisterValue, type ValueType } from './register-set.ts';

const catalog = shippedCatalog();
const set = (type: Parameters<typeof catalog.find>[0], model?: string): RegisterSet => {
  const f = catalog.find(type, model);
  if (!f.ok) throw new Error(f.message);
  return f.set;
};
const ranges = (s: Pick<RegisterSet, 'values' | 'limits'>) => planReads(s).map((b) => `${b.request.fn}:${b.request.address}+${b.request.quantity}`);

function value(name: string, address: number, type: ValueType = 'u16', table: RegisterValue['table'] = 'holding'): RegisterValue {
  return { name, table, address, type, wordOrder: 'ABCD', scale: 1 };
}

describe('read planning', () => {
  it('SDM630: three requests over the reserved gaps instead of nine, none over 80 registers', () => {
    const sdm = set('analyzer', 'Eastron SDM630');
    expect(ranges(sdm)).toEqual(['3:64512+2', '4:0+80', '4:200+46']);
    expect(ranges({ ...sdm, limits: { ...sdm.limits, mergeGap: 0 } })).toHaveLength(9);
  });

  it('Grup Arge relay: adjacent values only (the device refuses reads over holes)', () => {
    expect(ranges(set('compensation-relay'))).toEqual(['3:0+3', '3:10+3', '3:14+20', '3:40+2', '3:50+12', '3:70+8', '3:100+1']);
  });

  it('Entes: the measurement block in one request; I/O module: bits by table', () => {
    expect(ranges(set('analyzer', 'Entes MPR-45S'))).toEqual(['3:0+88']);
    expect(ranges(set('io-module'))).toEqual(['3:0+3', '1:0+4', '2:0+4']);
    expect(ranges(set('energy-meter'))).toEqual(['4:52+28']);
  });

  it('bits of one register share it; a value is never split', () => {
    const s = { limits: { maxReadRegisters: 4, maxReadBits: 2000, mergeGap: 0 }, values: [value('a', 0, 'u32'), value('b', 2, 'u16'), { ...value('c', 3), bit: 0 }, { ...value('d', 3), bit: 5 }, value('e', 4, 'u32')] };
    expect(ranges(s)).toEqual(['3:0+4', '3:4+2']);
    expect(planReads(s)[0]!.values.map((v) => v.name)).toEqual(['a', 'b', 'c', 'd']);
  });

  it('keeps its rules on random sets (seeded): every value once, limits kept, holes within mergeGap', () => {
    let seed = 42;
    const rnd = (n: number): number => {
      seed = (Math.imul(seed, 1664525) + 1013904223) >>> 0;
      return seed % n;
    };
    const types: ValueType[] = ['u16', 'i16', 'u32', 'f32', 'u64'];
    for (let round = 0; round < 300; round++) {
      const maxReadRegisters = 4 + rnd(122);
      const mergeGap = rnd(Math.min(20, maxReadRegisters));
      const values: RegisterValue[] = [];
      let a = rnd(50);
      for (let i = 0; i < 1 + rnd(40); i++) {
        const t = types[rnd(types.length)]!;
        if (widthOf(t) > maxReadRegisters) continue;
        values.push(value(`v${i}`, a, t, rnd(2) ? 'holding' : 'input'));
        a += widthOf(t) + (rnd(3) ? 0 : rnd(60));
      }
      const blocks = planReads({ values, limits: { maxReadRegisters, maxReadBits: 2000, mergeGap } });
      expect(blocks.flatMap((b) => b.values).length).toBe(values.length);
      for (const b of blocks) {
        expect(b.request.quantity).toBeLessThanOrEqual(maxReadRegisters);
        const sorted = [...b.values].sort((x, y) => x.address - y.address);
        expect(sorted[0]!.address).toBe(b.request.address);
        for (const v of b.values) expect(v.address + widthOf(v.type)).toBeLessThanOrEqual(b.request.address + b.request.quantity);
        for (let i = 1; i < sorted.length; i++) {
          const prevEnd = sorted[i - 1]!.address + widthOf(sorted[i - 1]!.type);
          expect(sorted[i]!.address - prevEnd).toBeLessThanOrEqual(mergeGap);
        }
      }
    }
  });
});
