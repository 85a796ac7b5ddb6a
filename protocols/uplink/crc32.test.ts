import { describe, expect, it } from 'vitest';
import { ascii } from '../../core/bytes.ts';
import { crc32 } from './crc32.ts';

describe('crc32', () => {
  it('gives the standard check value', () => {
    expect(crc32(ascii('123456789'))).toBe(0xcbf43926);
  });
  it('is 0 for no bytes and honours the range', () => {
    expect(crc32(new Uint8Array(0))).toBe(0);
    const b = ascii('xx123456789yy');
    expect(crc32(b, 2, 11)).toBe(0xcbf43926);
  });
  it('matches a known vector of a longer text', () => {
    expect(crc32(ascii('The quick brown fox jumps over the lazy dog'))).toBe(0x414fa339);
  });
});
