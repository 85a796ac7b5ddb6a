import { describe, expect, it } from 'vitest';
import { RadioCoverage, curveLevel, curveNextChange } from './radio-coverage.ts';

const MIN = 60_000;

describe('radio coverage', () => {
  it('flapping: up for upMin, down for downMin, repeating; next change at the edges', () => {
    const c = { kind: 'flapping', dbm: -80, upMin: 10, downMin: 5 } as const;
    expect(curveLevel(c, 0)).toBe(-80);
    expect(curveLevel(c, 9.99)).toBe(-80);
    expect(curveLevel(c, 10)).toBeUndefined();
    expect(curveLevel(c, 15)).toBe(-80);
    expect(curveNextChange(c, 0)).toBe(10);
    expect(curveNextChange(c, 10)).toBe(15);
    expect(curveNextChange(c, 29)).toBe(30);
    expect(curveLevel({ ...c, phaseMin: 10 }, 0)).toBeUndefined();
    expect(curveNextChange({ ...c, phaseMin: 10 }, 0)).toBe(5);
  });

  it('steps, weak, none and constant', () => {
    const s = { kind: 'steps', steps: [{ atMin: 2, dbm: -90 }, { atMin: 4, dbm: null }, { atMin: 6, dbm: -70 }] } as const;
    expect(curveLevel(s, 1)).toBeUndefined();
    expect(curveLevel(s, 3)).toBe(-90);
    expect(curveLevel(s, 5)).toBeUndefined();
    expect(curveLevel(s, 7)).toBe(-70);
    expect(curveNextChange(s, 4)).toBe(6);
    expect(curveNextChange(s, 6)).toBe(Infinity);
    expect(curveLevel({ kind: 'weak' }, 0)).toBe(-101);
    expect(curveLevel({ kind: 'none' }, 0)).toBeUndefined();
    expect(curveNextChange({ kind: 'constant', dbm: -60 }, 0)).toBe(Infinity);
  });

  it('clock times from start; the cabled antenna adds its gain; service needs the minimum level', () => {
    const r = new RadioCoverage({ gsm: { kind: 'flapping', dbm: -105, upMin: 1, downMin: 1 }, start: 1_000_000 });
    expect(r.levelAt('gsm', 1_000_000)).toBe(-105);
    expect(r.levelAt('lte', 1_000_000)).toBeUndefined();
    expect(r.hasService('gsm', 1_000_000)).toBe(true);
    expect(r.hasService('gsm', 1_000_000, 5)).toBe(false);
    expect(r.nextChange(1_000_000)).toBe(1_000_000 + MIN);
    r.antenna = 'cabled';
    expect(r.levelAt('gsm', 1_000_000)).toBe(-95);
  });

  it('bad curves are refused with the field named', () => {
    expect(() => new RadioCoverage({ gsm: { kind: 'flapping', dbm: -80, upMin: 0, downMin: 1 } })).toThrow(/upMin/);
    expect(() => new RadioCoverage({ lte: { kind: 'steps', steps: [{ atMin: 2, dbm: -80 }, { atMin: 1, dbm: -80 }] } })).toThrow(/steps\[1\]/);
    expect(() => new RadioCoverage({ gsm: { kind: 'constant', dbm: Number.NaN } })).toThrow(/dbm/);
  });
});
