import { describe, expect, it } from 'vitest';
import { ascii } from '../../core/bytes.ts';
import { crc16 } from './crc16.ts';

describe('CRC-16/CCITT-FALSE', () => {
  it('gives the catalogue check value for "123456789"', () => {
    expect(crc16(ascii('123456789'))).toBe(0x29b1);
  });
  it('is the initial value 0xffff for no bytes, and honours a range', () => {
    expect(crc16(new Uint8Array(0))).toBe(0xffff);
    expect(crc16(ascii('xx123456789yy'), 2, 11)).toBe(0x29b1);
  });
  it('changes with any single flipped bit of a line', () => {
    const line = ascii('>1 WRITE-NET mode=static address=192.168.1.50/24 gateway=192.168.1.1');
    const base = crc16(line);
    for (let i = 0; i < line.length; i++) {
      for (let bit = 0; bit < 8; bit++) {
        const m = Uint8Array.from(line);
        m[i] = m[i]! ^ (1 << bit);
        if (crc16(m) === base) expect.unreachable(`flip of bit ${bit} of byte ${i} not detected`);
      }
    }
  });
});
