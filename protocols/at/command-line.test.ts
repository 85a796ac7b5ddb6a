import { describe, expect, it } from 'vitest';
import { toHex } from '../../core/bytes.ts';
import { basic, encodeCommandLine, extended, formatCommandLine, parseCommandLine, setCommand, type ParsedLine } from './command-line.ts';
import { AtError } from './errors.ts';
import { thrownBy } from '../../core/thrown.ts';

const errorOf = (fn: () => unknown): AtError => thrownBy(fn, AtError);

describe('command lines', () => {
  it('reads basic commands with and without values', () => {
    expect(parseCommandLine('ATE0')).toEqual({ kind: 'commands', prefix: 'AT', commands: [{ syntax: 'basic', name: 'E', value: 0 }] });
    expect(parseCommandLine('ATI')).toEqual({ kind: 'commands', prefix: 'AT', commands: [{ syntax: 'basic', name: 'I' }] });
    expect(parseCommandLine('at&w')).toEqual({ kind: 'commands', prefix: 'at', commands: [{ syntax: 'basic', name: '&W' }] });
    expect(parseCommandLine('ATZ').kind).toBe('commands');
    expect(parseCommandLine('ATH')).toEqual({ kind: 'commands', prefix: 'AT', commands: [{ syntax: 'basic', name: 'H' }] });
    expect(parseCommandLine('ATE0V1Q0')).toMatchObject({ commands: [{ name: 'E', value: 0 }, { name: 'V', value: 1 }, { name: 'Q', value: 0 }] });
  });

  it('reads a bare AT and the repeat A/', () => {
    expect(parseCommandLine('AT')).toEqual({ kind: 'commands', prefix: 'AT', commands: [] });
    expect(parseCommandLine('A/')).toEqual({ kind: 'repeat' });
    expect(parseCommandLine('a/')).toEqual({ kind: 'repeat' });
  });

  it('reads the four forms of extended commands', () => {
    expect(parseCommandLine('AT+CREG=?')).toMatchObject({ commands: [{ syntax: 'extended', name: '+CREG', form: 'test', args: [] }] });
    expect(parseCommandLine('AT+CREG?')).toMatchObject({ commands: [{ name: '+CREG', form: 'read' }] });
    expect(parseCommandLine('AT+CSQ')).toMatchObject({ commands: [{ name: '+CSQ', form: 'execute' }] });
    expect(parseCommandLine('AT+CREG=2')).toMatchObject({ commands: [{ name: '+CREG', form: 'set', args: [{ kind: 'number', value: 2 }] }] });
    expect(parseCommandLine('at+creg?')).toMatchObject({ commands: [{ name: '+CREG', form: 'read' }] });
  });

  it('reads several commands on one line', () => {
    const line = parseCommandLine('AT+CREG=2;+CGREG=2;E0');
    expect(line).toMatchObject({
      commands: [
        { name: '+CREG', form: 'set' },
        { name: '+CGREG', form: 'set' },
        { syntax: 'basic', name: 'E', value: 0 },
      ],
    });
    expect(parseCommandLine('ATE0+CMEE=2')).toMatchObject({ commands: [{ name: 'E' }, { name: '+CMEE' }] });
    expect(parseCommandLine('AT+CSQ;')).toMatchObject({ commands: [{ name: '+CSQ' }] });
  });

  it('keeps a semicolon inside a string', () => {
    expect(parseCommandLine('AT+CSTT="a;b","",""')).toMatchObject({ commands: [{ args: [{ kind: 'string', value: 'a;b' }, { kind: 'string', value: '' }, { kind: 'string', value: '' }] }] });
  });

  it('reads maker prefixes, S-parameters and dial strings', () => {
    expect(parseCommandLine('AT+QCFG="nwscanmode",0,1')).toMatchObject({ commands: [{ name: '+QCFG', args: [{ kind: 'string', value: 'nwscanmode' }, { kind: 'number', value: 0 }, { kind: 'number', value: 1 }] }] });
    expect(parseCommandLine('AT^SYSINFO')).toMatchObject({ commands: [{ name: '^SYSINFO' }] });
    expect(parseCommandLine('ATS0=1')).toMatchObject({ commands: [{ syntax: 's-parameter', register: 0, form: 'set', value: 1 }] });
    expect(parseCommandLine('ATS3?')).toMatchObject({ commands: [{ syntax: 's-parameter', register: 3, form: 'read' }] });
    expect(parseCommandLine('ATD*99#')).toMatchObject({ commands: [{ syntax: 'dial', dialString: '*99#' }] });
    expect(parseCommandLine('ATD+90 555 123;')).toMatchObject({ commands: [{ syntax: 'dial', dialString: '+90555123;' }] });
  });

  it('ignores spaces outside strings', () => {
    expect(parseCommandLine('AT + CGDCONT = 1 , "IP" , "my apn"')).toMatchObject({
      commands: [{ name: '+CGDCONT', args: [{ value: 1 }, { value: 'IP' }, { value: 'my apn' }] }],
    });
  });

  it('names the offset and what was expected', () => {
    let e = errorOf(() => parseCommandLine('XT+CSQ'));
    expect([e.reason, e.offset, e.expected]).toEqual(['prefix', 0, "'AT', 'at' or 'A/'"]);
    e = errorOf(() => parseCommandLine('AX'));
    expect([e.reason, e.offset]).toEqual(['prefix', 1]);
    e = errorOf(() => parseCommandLine('AT+CSQ+CREG?'));
    expect([e.offset, e.expected]).toEqual([6, "';' or end of line"]);
    e = errorOf(() => parseCommandLine('AT+=1'));
    expect(e.offset).toBe(3);
    e = errorOf(() => parseCommandLine('AT+CSTT="a'));
    expect(e.message).toMatch(/not closed at offset 10/);
    e = errorOf(() => parseCommandLine('AT + X = "a\\q"'));
    expect(e.offset).toBe(11);
    e = errorOf(() => parseCommandLine('ATS=1'));
    expect(e.offset).toBe(3);
    e = errorOf(() => parseCommandLine('AT!'));
    expect([e.offset, e.expected]).toEqual([2, 'a command (letter, &letter, S<n>, D or +NAME)']);
    e = errorOf(() => parseCommandLine('AT\rE0'));
    expect(e.offset).toBe(2);
  });

  it('writes lines with ";" only after extended commands that are followed by another', () => {
    expect(formatCommandLine([setCommand('+CREG', 2), setCommand('+CGREG', 2)])).toBe('AT+CREG=2;+CGREG=2');
    expect(formatCommandLine([basic('E', 0), basic('&W')])).toBe('ATE0&W');
    expect(formatCommandLine([extended('+CPIN', 'read'), basic('E', 1)])).toBe('AT+CPIN?;E1');
    expect(formatCommandLine([extended('+COPS', 'test')])).toBe('AT+COPS=?');
    expect(formatCommandLine({ kind: 'repeat' })).toBe('A/');
    expect(formatCommandLine({ kind: 'commands', prefix: 'at', commands: [] })).toBe('at');
    expect(formatCommandLine([setCommand('+CMGS', '+905551234567')])).toBe('AT+CMGS="+905551234567"');
  });

  it('encodes with S3 and refuses what cannot be written', () => {
    expect(toHex(encodeCommandLine([extended('+CSQ')]))).toBe('41 54 2b 43 53 51 0d');
    expect(toHex(encodeCommandLine({ kind: 'repeat' }))).toBe('41 2f');
    expect(() => formatCommandLine([{ syntax: 'dial', dialString: '123' }, basic('E', 0)])).toThrow(/last command/);
    expect(() => formatCommandLine([extended('+C SQ')])).toThrow(AtError);
    expect(() => formatCommandLine([{ syntax: 'extended', name: '+X', form: 'read', args: [{ kind: 'number', value: 1 }] }])).toThrow(/only the set form/);
    expect(() => formatCommandLine([basic('S')])).toThrow(AtError);
    expect(() => formatCommandLine([{ syntax: 'extended', name: '+X', form: 'set', args: [{ kind: 'bare', text: 'a;b' }] }])).toThrow(/';'/);
  });

  it('round-trips', () => {
    const lines = [
      'ATE0',
      'AT+CREG=2;+CGREG=2',
      'AT+QICSGP=1,1,"internet","","",1',
      'AT+QIOPEN=1,0,"TCP","220.180.239.212",8009,0,1',
      'AT+CIPSTART="TCP","116.228.221.51","8500"',
      'ATS0=0&W',
      'AT+CUSD=1,"*100#",15',
      'AT+CSTT="a\\22b"',
      'ATD*99#',
      'AT+CMGF=1;+CNMI=2,1,0,0,0',
      'A/',
    ];
    for (const text of lines) {
      const parsed: ParsedLine = parseCommandLine(text);
      expect(formatCommandLine(parsed)).toBe(text);
      expect(parseCommandLine(formatCommandLine(parsed))).toEqual(parsed);
    }
  });
});
