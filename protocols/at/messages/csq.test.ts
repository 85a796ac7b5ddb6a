import { describe, expect, it } from 'vitest';
import { AtError } from '../errors.ts';
import { CSQ, dbmToRssi, rssiToDbm } from './csq.ts';
import { tryParse } from './codec.ts';

describe('+CSQ', () => {
  it('reads and writes the answer', () => {
    expect(CSQ.parse('+CSQ: 17,0')).toEqual({ rssi: 17, ber: 0 });
    expect(CSQ.parse('+CSQ: 99,99')).toEqual({ rssi: 99, ber: 99 });
    expect(CSQ.format({ rssi: 24, ber: 0 })).toBe('+CSQ: 24,0');
  });

  it('refuses out-of-range values and wrong shapes, naming the field', () => {
    const bad = tryParse(CSQ, '+CSQ: 32,0');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toMatch(/<rssi> 32 out of range at offset 6, expected 0\.\.31 or 99/);
    expect(() => CSQ.parse('+CSQ: 17,8')).toThrow(/<ber> 8 .*offset 9/);
    expect(() => CSQ.parse('+CSQ: 17')).toThrow(/1 fields .*expected 2 fields/);
    expect(() => CSQ.parse('+CREG: 17,0')).toThrow(AtError);
    expect(() => CSQ.parse('+CSQ: x,0')).toThrow(/<rssi> is "x" at offset 6, expected an integer/);
    expect(() => CSQ.format({ rssi: 40, ber: 0 })).toThrow(AtError);
  });

  it('converts rssi to dBm and back (27.007 §8.5)', () => {
    expect(rssiToDbm(0)).toBe(-113);
    expect(rssiToDbm(1)).toBe(-111);
    expect(rssiToDbm(2)).toBe(-109);
    expect(rssiToDbm(30)).toBe(-53);
    expect(rssiToDbm(31)).toBe(-51);
    expect(rssiToDbm(99)).toBeUndefined();
    expect(dbmToRssi(-120)).toBe(0);
    expect(dbmToRssi(-40)).toBe(31);
    for (let r = 0; r <= 31; r++) expect(dbmToRssi(rssiToDbm(r)!)).toBe(r);
    expect(dbmToRssi(-86)).toBe(13);
  });

  it('round-trips', () => {
    for (const v of [{ rssi: 0, ber: 0 }, { rssi: 31, ber: 7 }, { rssi: 99, ber: 99 }]) expect(CSQ.parse(CSQ.format(v))).toEqual(v);
  });
});
