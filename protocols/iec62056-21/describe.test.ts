import { describe, expect, it } from 'vitest';
import { ascii, concatBytes } from '../../core/bytes.ts';
import { encodeBreak } from './command.ts';
import { decodeAll } from './decoder.ts';
import { describeEvent, describeMessage } from './describe.ts';

describe('describeMessage', () => {
  it('one line per message kind', () => {
    expect(describeMessage({ kind: 'identification', manufacturer: 'ELS', baudChar: '5', enhanced: [], ident: 'ZMD4102' })).toBe(
      'identification ELS, 9600 baud (mode C), ident "ZMD4102"',
    );
    expect(describeMessage({ kind: 'identification', manufacturer: 'ISk', baudChar: '5', enhanced: ['2'], ident: 'ME162' })).toBe(
      'identification ISk, 9600 baud (mode E), ident "ME162", fast reaction (20 ms), enhanced \\2',
    );
    expect(describeMessage({ kind: 'identification', manufacturer: 'ABC', baudChar: 'Z', enhanced: [], ident: '' })).toBe(
      'identification ABC, no baud switch (mode A), ident ""',
    );
    expect(describeMessage({ kind: 'request', address: '' })).toBe('request (no address)');
    expect(describeMessage({ kind: 'request', address: '123' })).toBe('request for address "123"');
    expect(describeMessage({ kind: 'option-select', protocolControl: '0', baudChar: '5', modeControl: '1' })).toBe(
      'option select: normal protocol, 9600 baud, programming mode',
    );
    expect(describeMessage({ kind: 'option-select', protocolControl: '2', baudChar: '9', modeControl: '7' })).toBe(
      "option select: HDLC protocol, reserved baud character '9', manufacturer-specific mode 7",
    );
    expect(describeMessage({ kind: 'readout', block: '1(2)\r\n3(4)5(6)\r\n' })).toBe('readout, 2 lines, 3 data sets');
    expect(describeMessage({ kind: 'readout', block: 'garbage\r\n' })).toBe('readout, 1 line, data sets not parsable');
    expect(describeMessage({ kind: 'data', text: '(ERROR)', partial: false })).toBe('data "(ERROR)" (error message shape)');
    expect(describeMessage({ kind: 'data', text: '(001.5*kW)', partial: true })).toBe('partial data block "(001.5*kW)"');
    expect(describeMessage({ kind: 'command', command: 'R', type: '1', data: '1.8.0()', partial: false })).toBe(
      'command R1 (read ASCII-coded data) "1.8.0()"',
    );
    expect(describeMessage({ kind: 'break', type: '0' })).toBe('break B0 (complete sign-off)');
    expect(describeMessage({ kind: 'nak' })).toBe('NAK (repeat request)');
    expect(describeMessage({ kind: 'wakeup', count: 84 })).toBe('wake-up, 84 NUL');
  });

  it('events carry offsets; errors their kind and message', () => {
    const ev = decodeAll(concatBytes([ascii('zz'), encodeBreak()]));
    expect(ev.map(describeEvent)).toEqual([
      'error (skipped-bytes): IEC 62056-21: skipped 2 bytes at offset 0 that start no frame: zz',
      '[2..7) break B0 (complete sign-off)',
    ]);
  });
});
