import { describe, expect, it } from 'vitest';
import { ascii, fromHex, toHex } from '../../core/bytes.ts';
import { appendCrc, crc16, crcOk, frameCrc } from './crc.ts';
import { mulberry32 } from '../../core/random.ts';

/** Bit-by-bit CRC-16/MODBUS, straight from the definition, to check the table against. */
function slowCrc(bytes: Uint8Array): number {
  let crc = 0xffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xa001 : crc >>> 1;
  }
  return crc;
}


describe('CRC-16/MODBUS', () => {
  it('has the catalogue check value 0x4b37 over "123456789" (crc-catalog CRC_16_MODBUS)', () => {
    expect(crc16(ascii('123456789'))).toBe(0x4b37);
  });

  // [data, CRC bytes as sent (low first), source]
  const vectors: Array<[string, string, string]> = [
    ['01 03 00 00 00 0a', 'c5 cd', 'task brief'],
    ['02 07', '41 12', 'Modbus over serial line V1.02, CRC generation example (CRC 0x1241)'],
    ['01 03 00 85 00 01', '95 e3', 'github howeyc/crc16 issue #6 (CRC-16/MODBUS = 0xE395)'],
    ['01 03 02 01 84', 'b9 b7', 'github baiy/ctool issue #326'],
    ['01 03 00 17 00 02', '74 0f', 'OBL Pro series manual, FC03 example'],
    ['01 03 00 8c 00 01', '45 e1', 'Apure RP-3000 manual, FC03 example'],
    ['64 03 00 64 00 01', 'cc 20', 'Smartgen DOUT16B-2 manual, FC03 example'],
  ];
  for (const [data, crc, source] of vectors) {
    it(`${data} → ${crc} (${source})`, () => {
      const framed = appendCrc(fromHex(data));
      expect(toHex(framed.slice(-2))).toBe(crc);
      expect(crcOk(framed)).toBe(true);
    });
  }

  it('sends the low byte first', () => {
    const framed = appendCrc(fromHex('01 03 00 00 00 0a'));
    expect(crc16(fromHex('01 03 00 00 00 0a'))).toBe(0xcdc5);
    expect(frameCrc(framed)).toBe(0xcdc5);
  });

  it('a frame with its CRC appended has CRC residue 0', () => {
    expect(crc16(appendCrc(fromHex('11 03 00 6b 00 03')))).toBe(0);
  });

  it('table matches the bit-by-bit definition on random data', () => {
    const rnd = mulberry32(7);
    for (let n = 0; n < 500; n++) {
      const bytes = Uint8Array.from({ length: Math.floor(rnd() * 300) }, () => Math.floor(rnd() * 256));
      expect(crc16(bytes)).toBe(slowCrc(bytes));
    }
  });

  it('works on a slice and detects any single flipped bit', () => {
    const framed = appendCrc(fromHex('11 03 06 02 2b 00 00 00 64'));
    const padded = new Uint8Array([0xaa, ...framed, 0xbb]);
    expect(crcOk(padded, 1, padded.length - 1)).toBe(true);
    for (let i = 0; i < framed.length * 8; i++) {
      const bad = framed.slice();
      bad[i >> 3]! ^= 1 << (i & 7);
      expect(crcOk(bad)).toBe(false);
    }
    expect(crcOk(new Uint8Array([1, 2]))).toBe(false);
  });
});
