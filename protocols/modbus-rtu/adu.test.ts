import { describe, expect, it } from 'vitest';
import { fromHex, toHex } from '../../core/bytes.ts';
import { decodeAdu, encodeAdu } from './adu.ts';
import { appendCrc } from './crc.ts';
import { ModbusError } from './errors.ts';
import { thrownBy } from '../../core/thrown.ts';

const errorOf = (fn: () => unknown): ModbusError => thrownBy(fn, ModbusError);

describe('RTU ADU', () => {
  it('encodes slave, PDU and CRC low byte first', () => {
    expect(toHex(encodeAdu(1, fromHex('03 0000 000a')))).toBe('01 03 00 00 00 0a c5 cd');
  });

  it('decodes a frame back to slave and PDU', () => {
    expect(decodeAdu(fromHex('01 03 00 00 00 0a c5 cd'), 'request')).toEqual({ slave: 1, pdu: fromHex('03 0000 000a') });
  });

  it('names got and computed CRC and the offset of a mismatch', () => {
    const e = errorOf(() => decodeAdu(fromHex('01 03 00 00 00 0a c5 ce'), 'request'));
    expect(e.reason).toBe('crc');
    expect(e.offset).toBe(6);
    expect(e.message).toBe('Modbus RTU: CRC mismatch at offset 6: got 0xcec5, computed 0xcdc5 (sent low byte first)');
  });

  it('refuses frames shorter than 4 or longer than 256 bytes', () => {
    expect(errorOf(() => decodeAdu(fromHex('01 03 c5'), 'request')).message).toMatch(/frame is 3 bytes, the smallest RTU frame is 4/);
    expect(errorOf(() => decodeAdu(new Uint8Array(0), 'response')).reason).toBe('too-short');
    const long = appendCrc(new Uint8Array(255).fill(1));
    expect(errorOf(() => decodeAdu(long, 'request')).message).toMatch(/frame is 257 bytes, more than the RTU maximum of 256/);
    const max = appendCrc(Uint8Array.from({ length: 254 }, (_, i) => (i === 0 ? 1 : 0)));
    expect(decodeAdu(max, 'request').pdu.length).toBe(253);
  });

  it('refuses reserved addresses 248..255, and broadcast only in responses', () => {
    for (const a of [248, 255]) {
      const e = errorOf(() => decodeAdu(appendCrc(new Uint8Array([a, 3, 0, 0, 0, 1])), 'request'));
      expect(e.reason).toBe('address');
      expect(e.message).toMatch(/reserved \(248\.\.255\)/);
    }
    expect(decodeAdu(appendCrc(new Uint8Array([0, 6, 0, 1, 0, 3])), 'request').slave).toBe(0);
    expect(decodeAdu(appendCrc(new Uint8Array([247, 6, 0, 1, 0, 3])), 'response').slave).toBe(247);
    expect(errorOf(() => decodeAdu(appendCrc(new Uint8Array([0, 6, 0, 1, 0, 3])), 'response')).message).toMatch(/broadcast.*in a response/);
  });

  it('checks the CRC before the address', () => {
    expect(errorOf(() => decodeAdu(fromHex('f8 03 00 00'), 'request')).reason).toBe('crc');
  });

  it('refuses to encode a bad address or PDU size', () => {
    expect(errorOf(() => encodeAdu(248, fromHex('11'))).reason).toBe('address');
    expect(errorOf(() => encodeAdu(-1, fromHex('11'))).reason).toBe('address');
    expect(errorOf(() => encodeAdu(1, new Uint8Array(0))).reason).toBe('too-short');
    expect(errorOf(() => encodeAdu(1, new Uint8Array(254))).reason).toBe('too-long');
    expect(encodeAdu(1, new Uint8Array(253)).length).toBe(256);
  });
});
