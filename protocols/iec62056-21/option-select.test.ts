import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { MODE_CONTROL, PROTOCOL_CONTROL, decodeOptionSelect, encodeOptionSelect, type OptionSelectMessage } from './option-select.ts';

describe('acknowledgement/option select message', () => {
  it('encodes ACK 0 5 1 CR LF (programming at 9600, as public clients send it)', () => {
    const msg: OptionSelectMessage = { protocolControl: PROTOCOL_CONTROL.normal, baudChar: '5', modeControl: MODE_CONTROL.programming };
    expect(fromAscii(encodeOptionSelect(msg))).toBe('\x06051\r\n');
  });

  it('round-trips every V, Z and a range of Y', () => {
    for (const v of '0123456789') for (const z of '0123456789') for (const y of '0126ZA') {
      const msg = { protocolControl: v, baudChar: z, modeControl: y };
      expect(decodeOptionSelect(encodeOptionSelect(msg))).toEqual(msg);
    }
  });

  it('mode E option select is ACK 2 Z 2', () => {
    expect(fromAscii(encodeOptionSelect({ protocolControl: PROTOCOL_CONTROL.hdlc, baudChar: '5', modeControl: MODE_CONTROL.binaryHdlc }))).toBe('\x06252\r\n');
  });

  it('refuses bad characters and missing CR LF with offsets', () => {
    expect(() => encodeOptionSelect({ protocolControl: 'x', baudChar: '5', modeControl: '0' })).toThrow(/protocol control/);
    expect(() => encodeOptionSelect({ protocolControl: '0', baudChar: 'E', modeControl: '0' })).toThrow(/baud rate character/);
    expect(() => encodeOptionSelect({ protocolControl: '0', baudChar: '5', modeControl: 'a' })).toThrow(/mode control/);
    expect(() => decodeOptionSelect(ascii('\x060E1\r\n'), 40)).toThrow(/0x45 'E' at offset 42 in state option-select/);
    expect(() => decodeOptionSelect(ascii('\x06051\n\r'), 40)).toThrow(/not ended by CR LF: byte 0x0a at offset 44/);
    expect(() => decodeOptionSelect(ascii('\x06051'), 40)).toThrow(/ends before CR LF/);
    expect(() => decodeOptionSelect(ascii('\x06051\r\nX'))).toThrow(/offset 6/);
  });
});
