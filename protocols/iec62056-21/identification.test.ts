import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { decodeIdentification, encodeIdentification, identificationInfo, type IdentificationMessage } from './identification.ts';

describe('identification message', () => {
  it('decodes an Iskraemeco ME162 (/ISk5ME162-0033, quoted by a public mode C meter emulator)', () => {
    const m = decodeIdentification(ascii('/ISk5ME162-0033\r\n'));
    expect(m).toEqual({ manufacturer: 'ISk', baudChar: '5', enhanced: [], ident: 'ME162-0033' });
    expect(identificationInfo(m)).toEqual({ mode: 'C', baud: 9600, fastReaction: true });
  });

  it('decodes an EMH meter with a VDEW escape (/EMH4\\@01LZQJL0014F, from a public meter reader)', () => {
    const m = decodeIdentification(ascii('/EMH4\\@01LZQJL0014F\r\n'));
    expect(m).toEqual({ manufacturer: 'EMH', baudChar: '4', enhanced: ['@'], ident: '01LZQJL0014F' });
    expect(identificationInfo(m)).toEqual({ mode: 'C', baud: 4800, fastReaction: false });
  });

  it('tells modes A, B and E apart', () => {
    expect(identificationInfo(decodeIdentification(ascii('/LGZ5\\2ZMD3104107.B40\r\n')))).toEqual({ mode: 'E', baud: 9600, fastReaction: false });
    expect(identificationInfo(decodeIdentification(ascii('/ABCE123\r\n')))).toEqual({ mode: 'B', baud: 9600, fastReaction: false });
    expect(identificationInfo(decodeIdentification(ascii('/ABCZ123\r\n')))).toEqual({ mode: 'A', baud: undefined, fastReaction: false });
    expect(identificationInfo(decodeIdentification(ascii('/ABC8X\r\n'))).baud).toBeUndefined();
  });

  it('round-trips', () => {
    const cases: IdentificationMessage[] = [
      { manufacturer: 'ELS', baudChar: '6', enhanced: [], ident: '' },
      { manufacturer: 'ISk', baudChar: '5', enhanced: ['2'], ident: 'ME162-0033' },
      { manufacturer: 'abc', baudChar: 'F', enhanced: ['2', '@'], ident: '0123456789ABCDEF' },
      { manufacturer: 'XYZ', baudChar: '#', enhanced: [], ident: 'with space' },
    ];
    for (const m of cases) expect(decodeIdentification(encodeIdentification(m))).toEqual(m);
    expect(fromAscii(encodeIdentification(cases[1]!))).toBe('/ISk5\\2ME162-0033\r\n');
  });

  it('refuses fields outside the standard, naming offsets', () => {
    const base: IdentificationMessage = { manufacturer: 'ELS', baudChar: '5', enhanced: [], ident: 'X' };
    expect(() => encodeIdentification({ ...base, manufacturer: 'EL' })).toThrow(/not three letters/);
    expect(() => encodeIdentification({ ...base, baudChar: '/' })).toThrow(/baud rate character/);
    expect(() => encodeIdentification({ ...base, ident: 'A'.repeat(17) })).toThrow(/17 characters; at most 16/);
    expect(() => encodeIdentification({ ...base, ident: 'A!' })).toThrow(/offset 6/);
    expect(() => encodeIdentification({ ...base, ident: '\\x' })).toThrow(/escape/);
    expect(() => decodeIdentification(ascii('/E1S5X\r\n'), 50)).toThrow(/0x31 '1' at offset 52 in state identification/);
    expect(() => decodeIdentification(ascii('/ELS5A!\r\n'))).toThrow(/offset 6/);
    expect(() => decodeIdentification(ascii('/ELS\r\n'))).toThrow(/shorter than/);
    expect(() => decodeIdentification(ascii(`/ELS5${'A'.repeat(17)}\r\n`))).toThrow(/17 characters; at most 16/);
    expect(decodeIdentification(ascii(`/ELS5${'A'.repeat(17)}\r\n`), 0, 20).ident).toHaveLength(17);
  });
});
