import { describe, expect, it } from 'vitest';
import { CCID, IMEI, IMSI, QCCID, luhnOk } from './identity.ts';

describe('identities', () => {
  it('IMEI: 15 digits, bare or behind +CGSN', () => {
    expect(IMEI.parse('861234567890123')).toBe('861234567890123');
    expect(IMEI.parse('+CGSN: "861234567890123"')).toBe('861234567890123');
    expect(IMEI.format('861234567890123')).toBe('861234567890123');
    expect(() => IMEI.parse('86123456789012')).toThrow(/IMEI "86123456789012" at offset 0, expected 15 digits/);
    expect(() => IMEI.format('12')).toThrow(/not 15 digits/);
  });

  it('IMSI and ICCID', () => {
    expect(IMSI.parse('286011234567890')).toBe('286011234567890');
    expect(CCID.parse('8990011234567890123F')).toBe('8990011234567890123F');
    expect(CCID.parse('89900112345678901234')).toBe('89900112345678901234');
    expect(QCCID.parse('+QCCID: 89860012345678901234')).toBe('89860012345678901234');
    expect(QCCID.format('89860012345678901234')).toBe('+QCCID: 89860012345678901234');
    expect(() => QCCID.parse('89860012345678901234')).toThrow(/not a \+QCCID line/);
    expect(() => CCID.parse('ERROR')).toThrow(/ICCID "ERROR"/);
  });

  it('checks Luhn digits', () => {
    expect(luhnOk('490154203237518')).toBe(true);
    expect(luhnOk('490154203237519')).toBe(false);
    expect(luhnOk('12a')).toBe(false);
  });
});
