import { describe, expect, it } from 'vitest';
import { parseArgs } from '../args.ts';
import { CEREG, CGREG, CREG, isReadShape, isRegistered, registrationShape, type Registration } from './registration.ts';

describe('+CREG / +CGREG / +CEREG', () => {
  it('reads the read-response shape (n, stat, lac, ci, AcT)', () => {
    expect(CREG.parse('+CREG: 2,1,"00A1","1234"')).toEqual({ n: 2, stat: 1, lac: '00A1', ci: '1234' });
    expect(CREG.parse('+CREG: 0,5')).toEqual({ n: 0, stat: 5 });
    expect(CEREG.parse('+CEREG: 2,1,"1A2B","01A2B3C4",7')).toEqual({ n: 2, stat: 1, lac: '1A2B', ci: '01A2B3C4', act: 7 });
  });

  it('reads the URC shape (stat, lac, ci)', () => {
    expect(CREG.parse('+CREG: 1,"00a1","1234"')).toEqual({ stat: 1, lac: '00A1', ci: '1234' });
    expect(CGREG.parse('+CGREG: 2')).toEqual({ stat: 2 });
    expect(CEREG.parse('+CEREG: 5,"1A2B","01A2B3C4",7')).toEqual({ stat: 5, lac: '1A2B', ci: '01A2B3C4', act: 7 });
  });

  it('keeps further fields (rac, reject cause, PSM timers)', () => {
    const r = CGREG.parse('+CGREG: 2,1,"00A1","1234",0,"05"');
    expect(r).toMatchObject({ n: 2, stat: 1, act: 0, extra: [{ kind: 'string', value: '05' }] });
    expect(CGREG.format(r)).toBe('+CGREG: 2,1,"00A1","1234",0,"05"');
  });

  it('tells the shapes apart by the second field', () => {
    expect(isReadShape(parseArgs('0,1', 'response'))).toBe(true);
    expect(isReadShape(parseArgs('1,"00A1","1234"', 'response'))).toBe(false);
    expect(isReadShape(parseArgs('1', 'response'))).toBe(false);
    expect(registrationShape('+CREG: 1,,', '+CREG')).toBe('urc');
    expect(registrationShape('+CSQ: 1,2', '+CREG')).toBeUndefined();
  });

  it('checks values: stat 0..10, hex lac and ci, AcT', () => {
    expect(() => CREG.parse('+CREG: 2,11')).toThrow(/<stat> 11 out of range/);
    expect(() => CREG.parse('+CREG: 1,"00G1","1"')).toThrow(/<lac> "00G1" at offset 9, expected 1\.\.4 hex digits/);
    expect(() => CREG.parse('+CREG: 1,"00A1","123456789"')).toThrow(/<ci>/);
    expect(() => CREG.parse('+CREG:')).toThrow(/0 fields/);
  });

  it('says which states are registered', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10].filter(isRegistered)).toEqual([1, 5]);
  });

  it('round-trips both shapes', () => {
    const values: Registration[] = [{ n: 1, stat: 1 }, { stat: 3 }, { n: 2, stat: 5, lac: 'FFFE', ci: '0001', act: 0 }, { stat: 1, lac: '00A1', ci: 'ABCDEF12', act: 7 }];
    for (const v of values) for (const codec of [CREG, CGREG, CEREG]) expect(codec.parse(codec.format(v))).toEqual(v);
  });
});
