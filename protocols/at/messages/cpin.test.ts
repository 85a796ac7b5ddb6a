import { describe, expect, it } from 'vitest';
import { CPIN, CPIN_CODES, needsCode } from './cpin.ts';

describe('+CPIN', () => {
  it('reads the codes of 27.007 and the module URC texts', () => {
    expect(CPIN.parse('+CPIN: READY')).toBe('READY');
    expect(CPIN.parse('+CPIN: SIM PIN')).toBe('SIM PIN');
    expect(CPIN.parse('+CPIN: SIM PUK')).toBe('SIM PUK');
    expect(CPIN.parse('+CPIN: NOT INSERTED')).toBe('NOT INSERTED');
    expect(CPIN.parse('+CPIN: "READY"')).toBe('READY');
  });

  it('refuses unknown codes, listing the known ones', () => {
    expect(() => CPIN.parse('+CPIN: BLOCKED')).toThrow(/unknown code "BLOCKED" at offset 7, expected READY, SIM PIN/);
    expect(() => CPIN.parse('+CSQ: READY')).toThrow(/not a \+CPIN line/);
  });

  it('says when the SIM needs a code', () => {
    expect(needsCode('READY')).toBe(false);
    expect(needsCode('SIM PIN')).toBe(true);
    expect(needsCode('NOT INSERTED')).toBe(false);
  });

  it('round-trips every code', () => {
    for (const c of CPIN_CODES) expect(CPIN.parse(CPIN.format(c))).toBe(c);
  });
});
