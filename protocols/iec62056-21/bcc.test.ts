import { describe, expect, it } from 'vitest';
import { ascii, fromHex } from '../../core/bytes.ts';
import { appendBcc, computeBcc, xorBytes } from './bcc.ts';

// BCC = XOR of every byte after SOH/STX up to and including ETX/EOT. Each reference value
// below is worked out by hand in the comment, byte by byte.
describe('BCC', () => {
  it('break message SOH B0 ETX: 0x42^0x30=0x72, ^0x03=0x71 (q)', () => {
    expect(computeBcc(ascii('\x01B0\x03'))).toBe(0x71);
    expect(appendBcc(ascii('\x01B0\x03'))).toEqual(ascii('\x01B0\x03q'));
  });

  it('password P0 (1234567): 50^30^02^28^31^32^33^34^35^36^37^29^03 = 0x50 (P)', () => {
    // 0x50^0x30=60 ^02=62 ^28=4a ^31=7b ^32=49 ^33=7a ^34=4e ^35=7b ^36=4d ^37=7a ^29=53 ^03=50
    expect(computeBcc(ascii('\x01P0\x02(1234567)\x03'))).toBe(0x50);
  });

  it('a W2 command captured from an Elster LIS-200 (public test vector): BCC 0x1b', () => {
    // 57^32=65 ^02=67 ^43=24 ^30=14 ^30=24 ^33=17 ^28=3f ^39=06 ^31=37 ^30=07 ^33=34 ^32=06
    // ^34=32 ^30=02 ^39=3b ^32=09 ^32=3b ^33=08 ^39=31 ^29=18 ^03=1b
    const frame = fromHex('01573202433030332839313033323430393232333929031b');
    expect(computeBcc(frame.slice(0, -1))).toBe(0x1b);
  });

  it('an answer STX 3:171.0(0) ETX: 33^3a^31^37^31^2e^30^28^30^29^03 = 0x12', () => {
    // 33^3a=09 ^31=38 ^37=0f ^31=3e ^2e=10 ^30=20 ^28=08 ^30=38 ^29=11 ^03=12
    expect(computeBcc(ascii('\x023:171.0(0)\x03'))).toBe(0x12);
  });

  it('covers EOT-ended partial blocks and excludes only the first byte', () => {
    expect(computeBcc(ascii('\x02A\x04'))).toBe(0x41 ^ 0x04);
    expect(xorBytes(ascii('\x02\x02'), 1)).toBe(0x02);
  });

  it('refuses a message without its framing bytes', () => {
    expect(() => computeBcc(ascii('B0\x03'))).toThrow(/starts with SOH or STX/);
    expect(() => computeBcc(ascii('\x01B0'))).toThrow(/ends with ETX or EOT/);
  });
});
