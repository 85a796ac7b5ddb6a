import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { Iec62056Error } from './errors.ts';
import { decodeRequest, deviceAddressMatches, encodeRequest } from './request.ts';

describe('request message', () => {
  it('encodes with and without address (examples: /?!, /?45678903! from public client tests)', () => {
    expect(fromAscii(encodeRequest({ address: '' }))).toBe('/?!\r\n');
    expect(fromAscii(encodeRequest({ address: '45678903' }))).toBe('/?45678903!\r\n');
  });

  it('round-trips every allowed address character up to 32 characters', () => {
    for (const address of ['', '0', 'Abc 123', 'Z'.repeat(32), '0123456789 abcdefghij ABCDEFGHIJ']) {
      expect(decodeRequest(encodeRequest({ address }))).toEqual({ address });
    }
  });

  it('refuses addresses the standard does not allow, naming the offset', () => {
    expect(() => encodeRequest({ address: 'A'.repeat(33) })).toThrow(/33 characters; at most 32/);
    expect(() => encodeRequest({ address: 'AB-1' })).toThrow(/"-" is not 0-9/);
    expect(() => decodeRequest(ascii('/?AB-1!\r\n'), 100)).toThrow(/unexpected byte 0x2d '-' at offset 104 in state request/);
    expect(() => decodeRequest(ascii('/?123!\n'), 7)).toThrow(/does not end with CR LF/);
    expect(() => decodeRequest(ascii('/?123\r\n'))).toThrow(/at offset 4 .*'!' before CR LF/);
    expect(() => decodeRequest(ascii(`/?${'1'.repeat(33)}!\r\n`))).toThrow(Iec62056Error);
  });

  it('matches addresses ignoring leading zeros', () => {
    expect(deviceAddressMatches('10203', '000010203')).toBe(true);
    expect(deviceAddressMatches('000', '0')).toBe(true);
    expect(deviceAddressMatches('', '12345')).toBe(true);
    expect(deviceAddressMatches('12345', '12346')).toBe(false);
    expect(deviceAddressMatches('1020', '10203')).toBe(false);
  });
});
