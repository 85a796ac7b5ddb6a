import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import {
  decodeDataMessage,
  decodeReadout,
  encodeDataMessage,
  encodeErrorMessage,
  encodeReadout,
  parseErrorMessage,
} from './data-message.ts';
import { Iec62056Error } from './errors.ts';

describe('readout data message', () => {
  it('matches a public client test vector: STX 3:14(314*kWh)4:15(415*kWh) CR LF ! CR LF ETX "', () => {
    const bytes = encodeReadout('3:14(314*kWh)4:15(415*kWh)\r\n');
    expect(fromAscii(bytes)).toBe('\x023:14(314*kWh)4:15(415*kWh)\r\n!\r\n\x03"');
    expect(decodeReadout(bytes)).toEqual({ block: '3:14(314*kWh)4:15(415*kWh)\r\n' });
  });

  it('encodes from data sets and round-trips an empty block', () => {
    const bytes = encodeReadout([[{ address: '1.8.0', values: [{ value: '001234.567', unit: 'kWh' }] }]]);
    expect(decodeReadout(bytes).block).toBe('1.8.0(001234.567*kWh)\r\n');
    expect(decodeReadout(encodeReadout(''))).toEqual({ block: '' });
  });

  it('checks the BCC and names its offset', () => {
    const bytes = ascii('\x023:14(314*kWh)4:15(415*kWh)\r\n!\r\n\x03x');
    try {
      decodeReadout(bytes, 1000);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(Iec62056Error);
      const err = e as Iec62056Error;
      expect(err.kind).toBe('bcc-mismatch');
      expect(err.offset).toBe(1000 + bytes.length - 1);
      expect(err.message).toMatch(/BCC mismatch at offset 1033: got 0x78, computed 0x22/);
    }
  });

  it('refuses a block that is not a readout', () => {
    expect(() => encodeReadout('1.8.0(1)')).toThrow(/must end with CR LF/);
    expect(() => encodeReadout('1(!)\r\n')).toThrow(/must not contain '!'/);
    expect(() => decodeReadout(encodeDataMessage({ text: '1.8.0(1)\r\n', partial: false }))).toThrow(/does not end with '!' CR LF/);
    expect(() => decodeReadout(ascii('\x021(2)\r\n!\r\n\x03'))).toThrow(/no BCC/);
    expect(() => decodeReadout(ascii('\x021(2)\r\n!\r\n'))).toThrow(/no ETX or EOT/);
  });
});

describe('programming mode data and error messages', () => {
  it('decodes STX 3:171.0(0) ETX 0x12 (public client test vector)', () => {
    expect(decodeDataMessage(ascii('\x023:171.0(0)\x03\x12'))).toEqual({ text: '3:171.0(0)', partial: false });
    expect(() => decodeDataMessage(ascii('\x023:171.0(0)\x03\x11'))).toThrow(/got 0x11, computed 0x12/);
  });

  it('round-trips full and partial blocks', () => {
    for (const msg of [
      { text: '(0033402.270*kWh)', partial: false },
      { text: 'P.01(1220823161500)(00)(15)(1)(1.5)(kW)\r\n(0.1)\r\n', partial: true },
      { text: '', partial: false },
    ]) {
      expect(decodeDataMessage(encodeDataMessage(msg))).toEqual(msg);
    }
    expect(encodeDataMessage({ text: 'A', partial: true }).at(-2)).toBe(0x04);
  });

  it('error message: STX (ERROR) ETX BCC, 32 characters maximum', () => {
    const bytes = encodeErrorMessage('ERROR');
    expect(fromAscii(bytes.slice(0, -1))).toBe('\x02(ERROR)\x03');
    const text = decodeDataMessage(bytes).text;
    expect(parseErrorMessage(text)).toBe('ERROR');
    expect(parseErrorMessage('1.8.0(ERROR)')).toBeUndefined();
    expect(() => encodeErrorMessage('E'.repeat(33))).toThrow(/33 characters; at most 32/);
    expect(() => encodeErrorMessage('ER*1')).toThrow(/"\*" is not allowed/);
  });

  it('rejects control characters inside a body', () => {
    expect(() => decodeDataMessage(ascii('\x02A\x01B\x03\x00'), 5)).toThrow(/0x01 <SOH> at offset 7/);
    expect(() => encodeDataMessage({ text: 'A\x00', partial: false })).toThrow(/not printable/);
  });
});
