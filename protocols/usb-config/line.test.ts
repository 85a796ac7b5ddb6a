import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { crc16 } from './crc16.ts';
import { UsbConfigError } from './errors.ts';
import { formatLine, MAX_LINE, parseLine } from './line.ts';
import { thrownBy } from '../../core/thrown.ts';

function errorOf(text: string, base = 0): UsbConfigError {
  return thrownBy(() => parseLine(ascii(text), base), UsbConfigError, `'${text}'`);
}

describe('line grammar', () => {
  it('formats lines with the CRC-16 of the bytes before the star (values from an independent implementation)', () => {
    expect(fromAscii(formatLine('>', 1, ['IDENTIFY'], []))).toBe('>1 IDENTIFY*0972\r\n');
    expect(fromAscii(formatLine('<', 2, ['OK', 'READ-NET'], [{ key: 'mode', value: 'dhcp' }, { key: 'applied', value: 'yes' }]))).toBe('<2 OK READ-NET mode=dhcp applied=yes*11E6\r\n');
    expect(fromAscii(formatLine('<', 1, ['OK', 'IDENTIFY'], [{ key: 'model', value: 'HT E21' }, { key: 'modem', value: '21000001' }, { key: 'firmware', value: '1.0.0' }, { key: 'mac', value: '02:48:54:41:0e:a1' }]))).toBe(
      '<1 OK IDENTIFY model="HT E21" modem=21000001 firmware=1.0.0 mac=02:48:54:41:0e:a1*8E40\r\n',
    );
  });

  it('takes a line apart with the offsets of words and values', () => {
    const p = parseLine(ascii(withCrc('<12 OK STATUS link=up problem="no \\"route\\" \\\\ here" x=""') + '\r\n'), 100);
    expect(p.lead).toBe('<');
    expect(p.seq).toBe(12);
    expect(p.words).toEqual([
      { text: 'OK', offset: 104 },
      { text: 'STATUS', offset: 107 },
    ]);
    expect(p.fields).toEqual([
      { key: 'link', value: 'up', offset: 119 },
      { key: 'problem', value: 'no "route" \\ here', offset: 131 },
      { key: 'x', value: '', offset: 156 },
    ]);
    expect(p.end).toBe(157);
  });

  it('round-trips any printable value, quoting where needed', () => {
    for (const value of ['', ' ', 'a b', '"', '\\', 'x"y', 'a\\"b', '*', '=', 'plain', '~!#$%&()*+,-./:;<>?@[]^_`{|}']) {
      const line = formatLine('<', 9, ['OK'], [{ key: 'v', value }]);
      expect(parseLine(line).fields[0]!.value).toBe(value);
    }
  });

  it('accepts a bare LF ending and lower-case CRC digits', () => {
    expect(parseLine(ascii('>1 IDENTIFY*0972\n')).words[0]!.text).toBe('IDENTIFY');
    expect(parseLine(ascii('>1 IDENTIFY*0972')).seq).toBe(1);
    expect(parseLine(ascii('<5 OK RESTART in=500*6c68')).fields[0]).toEqual({ key: 'in', value: '500', offset: 17 });
  });

  it('names the offset and what was expected', () => {
    const cases: [string, string, number, RegExp][] = [
      ['>1 IDENTIFY*0973', 'checksum', 12, /^CRC mismatch at offset 12: got 0x0973, computed 0x0972$/],
      ['>1 IDENTIFY', 'syntax', 6, /expected '\*' and the 4 hex digits of the CRC-16 at offset 6/],
      ['>1 IDENTIFY*09G2', 'syntax', 14, /expected a hex digit of the CRC-16 at offset 14, got 'G'/],
      ['>1 IDEN\tTIFY*0000', 'syntax', 7, /byte 0x09 at offset 7: expected printable ASCII/],
      ['>1 IDENT\u00e9*0000', 'syntax', 8, /byte 0xe9 at offset 8/],
      [withCrc('!1 IDENTIFY'), 'syntax', 0, /expected '>' or '<' at offset 0, got '!'/],
      [withCrc('> IDENTIFY'), 'syntax', 1, /expected a sequence number 0\.\.65535 at offset 1, got ' '/],
      [withCrc('>65536 IDENTIFY'), 'syntax', 1, /got '65536'/],
      [withCrc('>1  IDENTIFY'), 'syntax', 3, /expected a word .* got ''/],
      [withCrc('>1 identify'), 'syntax', 3, /expected a word .* got 'identify'/],
      [withCrc('>1 WRITE-NET mode=dhcp EXTRA'), 'syntax', 23, /word 'EXTRA' after the fields/],
      [withCrc('>1 WRITE-NET Mode=dhcp'), 'syntax', 13, /expected a key .* got 'Mode'/],
      [withCrc('>1 WRITE-NET mode='), 'syntax', 18, /expected a value after 'mode='/],
      [withCrc('>1 WRITE-NET mode=dh"cp'), 'syntax', 20, /unexpected '"' inside an unquoted value/],
      [withCrc('>1 WRITE-NET mode="dhcp'), 'syntax', 18, /quoted value of 'mode' has no closing '"'/],
      [withCrc('>1 WRITE-NET mode="dhcp"x'), 'syntax', 24, /expected a space after the closing '"'/],
      [withCrc('>1 WRITE-NET mode="a\\b"'), 'syntax', 20, /expected '\\"' or '\\\\' in a quoted value/],
      [withCrc('>1 WRITE-NET mode=dhcp mode=static'), 'invalid-field', 28, /field 'mode' at offset 28: given twice \(first at offset 18\)/],
    ];
    for (const [text, reason, offset, message] of cases) {
      const e = errorOf(text, 0);
      expect({ text, reason: e.reason, offset: e.offset }).toEqual({ text, reason, offset });
      expect(e.detail, text).toMatch(message);
    }
    expect(errorOf('>1 IDENTIFY*0973', 1000).detail).toBe('CRC mismatch at offset 1012: got 0x0973, computed 0x0972');
  });

  it('knows the seq and verb of a line that fails after them', () => {
    const e = errorOf(withCrc('>42 WRITE-NET mode=dhcp mode=static'));
    expect([e.seq, e.verb]).toEqual([42, 'WRITE-NET']);
  });

  it('limits the length of a line', () => {
    const long = '>1 WRITE-NET mode=' + 'x'.repeat(MAX_LINE);
    expect(errorOf(withCrc(long)).reason).toBe('too-long');
    expect(() => formatLine('<', 1, ['OK'], [{ key: 'text', value: 'x'.repeat(MAX_LINE) }])).toThrow(/at most 512 allowed/);
    expect(() => formatLine('<', 1, ['OK'], [{ key: 'text', value: 'Ağ' }])).toThrow(/field 'text' at offset 1: character "ğ" at 1 is not printable ASCII/);
    expect(() => formatLine('<', 70000, ['OK'], [])).toThrow(RangeError);
    expect(() => formatLine('<', 1, ['ok'], [])).toThrow(RangeError);
  });
});

/** `body*CRC` for any body, with the CRC computed by the codec's CRC-16. */
function withCrc(body: string): string {
  return `${body}*${crc16(ascii(body)).toString(16).toUpperCase().padStart(4, '0')}`;
}
