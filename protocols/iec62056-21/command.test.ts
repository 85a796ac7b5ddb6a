import { describe, expect, it } from 'vitest';
import { ascii, fromAscii, fromHex } from '../../core/bytes.ts';
import {
  commandTypeName,
  decodeCommand,
  encodeBreak,
  encodeCommand,
  passwordCommand,
  readCommand,
  writeCommand,
  type CommandMessage,
} from './command.ts';

describe('programming command messages', () => {
  it('break: SOH B0 ETX q', () => {
    expect(fromAscii(encodeBreak())).toBe('\x01B0\x03q');
    expect(decodeCommand(ascii('\x01B0\x03q'))).toEqual({ command: 'B', type: '0', partial: false });
  });

  it('public client test vectors: R1 1.8.0(1) → k, P0 (1234567) → P', () => {
    expect(fromAscii(encodeCommand(readCommand('1.8.0', '1')))).toBe('\x01R1\x021.8.0(1)\x03k');
    expect(decodeCommand(ascii('\x01P0\x02(1234567)\x03P'))).toEqual({ command: 'P', type: '0', data: '(1234567)', partial: false });
  });

  it('decodes a W2 command captured from an Elster LIS-200 (public test vector)', () => {
    expect(decodeCommand(fromHex('01573202433030332839313033323430393232333929031b'))).toEqual({
      command: 'W',
      type: '2',
      data: 'C003(910324092239)',
      partial: false,
    });
  });

  it('round-trips every command and type, with and without data, full and partial', () => {
    for (const command of ['P', 'W', 'R', 'E', 'B'] as const) {
      for (const type of '0123456789') {
        const cases: CommandMessage[] = [
          { command, type, data: '1.8.0()', partial: false },
          { command, type, data: '1.8.0(1)', partial: true },
          { command, type, partial: false },
        ];
        for (const m of cases) expect(decodeCommand(encodeCommand(m))).toEqual(m);
      }
    }
  });

  it('helpers build the usual operands', () => {
    expect(passwordCommand('00000000')).toEqual({ command: 'P', type: '1', data: '(00000000)' });
    expect(writeCommand('0.9.1', '12:30:00')).toEqual({ command: 'W', type: '1', data: '0.9.1(12:30:00)' });
    expect(readCommand('P.01', ';', '5').data).toBe('P.01(;)');
    expect(commandTypeName('R', '5')).toMatch(/national/);
    expect(commandTypeName('E', '7')).toBe('reserved');
  });

  it('refuses bad fields and reports offsets', () => {
    expect(() => encodeCommand({ command: 'X' as 'P', type: '1' })).toThrow(/not P, W, R, E or B/);
    expect(() => encodeCommand({ command: 'R', type: '10' })).toThrow(/not a digit/);
    expect(() => encodeCommand({ command: 'R', type: '1', partial: true })).toThrow(/partial block needs data/);
    expect(() => decodeCommand(ascii('\x01X1\x03\x00'), 10)).toThrow(/0x58 'X' at offset 11/);
    // R1 1.8.0(1) has BCC 0x6b; without the '1' (0x31) it is 0x6b ^ 0x31 = 0x5a; the BCC is byte 12
    expect(() => decodeCommand(ascii('\x01R1\x021.8.0()\x03j'), 10)).toThrow(/BCC mismatch at offset 22: got 0x6a, computed 0x5a/);
    expect(() => decodeCommand(ascii('\x01R1\x021.8.0()'), 10)).toThrow(/ends before its ETX or EOT/);
    expect(() => decodeCommand(ascii('\x01R1\x05'), 10)).toThrow(/offset 13/);
  });
});
