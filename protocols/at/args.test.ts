import { describe, expect, it } from 'vitest';
import { formatArg, formatArgs, parseArgs, quoteString, toArgs, type AtArg } from './args.ts';
import { AtError } from './errors.ts';

describe('argument lists', () => {
  it('reads numbers, strings, empty values, bare text and lists', () => {
    expect(parseArgs('1,"internet",,(0-3),SIM PIN', 'response')).toEqual([
      { kind: 'number', value: 1 },
      { kind: 'string', value: 'internet' },
      { kind: 'empty' },
      { kind: 'list', text: '(0-3)' },
      { kind: 'bare', text: 'SIM PIN' },
    ]);
  });

  it('has no arguments for an empty text and an empty one after a trailing comma', () => {
    expect(parseArgs('', 'command')).toEqual([]);
    expect(parseArgs('  ', 'response')).toEqual([]);
    expect(parseArgs('1,', 'command')).toEqual([{ kind: 'number', value: 1 }, { kind: 'empty' }]);
    expect(parseArgs(',', 'command')).toEqual([{ kind: 'empty' }, { kind: 'empty' }]);
  });

  it('decodes \\hh escapes (\\22 is a quote, \\5C a backslash)', () => {
    expect(parseArgs('"say \\22hi\\22 \\5C o/"', 'command')).toEqual([{ kind: 'string', value: 'say "hi" \\ o/' }]);
  });

  it('refuses a bad escape in a command line, naming the offset', () => {
    const e = (() => {
      try {
        parseArgs('1,"a\\zz"', 'command', 10);
      } catch (err) {
        return err;
      }
    })() as AtError;
    expect(e).toBeInstanceOf(AtError);
    expect(e.offset).toBe(14);
    expect(e.message).toMatch(/bad escape.*offset 14.*two hex digits/);
  });

  it('keeps a lone backslash in a response', () => {
    expect(parseArgs('"C:\\x"', 'response')).toEqual([{ kind: 'string', value: 'C:\\x' }]);
  });

  it('reports an unclosed string and garbage after a string', () => {
    expect(() => parseArgs('"abc', 'command')).toThrow(/not closed at offset 4, expected '"'/);
    expect(() => parseArgs('"abc"x,1', 'command')).toThrow(/unexpected 'x' after a value at offset 5/);
    expect(() => parseArgs('ab"c"', 'response')).toThrow(/inside an unquoted value at offset 2/);
    expect(() => parseArgs('(1,2', 'response')).toThrow(/'\(' at offset 0 is not closed/);
  });

  it('reads negative numbers in responses only, and keeps leading zeros', () => {
    expect(parseArgs('-64', 'response')).toEqual([{ kind: 'number', value: -64 }]);
    expect(parseArgs('-64', 'command')).toEqual([{ kind: 'bare', text: '-64' }]);
    expect(parseArgs('007', 'response')).toEqual([{ kind: 'number', value: 7, text: '007' }]);
    expect(formatArg({ kind: 'number', value: 7, text: '007' })).toBe('007');
  });

  it('ignores spaces outside strings in command mode, trims them in responses', () => {
    expect(parseArgs(' 1 , "a b" , 2 3', 'command')).toEqual([{ kind: 'number', value: 1 }, { kind: 'string', value: 'a b' }, { kind: 'number', value: 23 }]);
    expect(parseArgs(' 27 EGSM 900 ,1', 'response')).toEqual([{ kind: 'bare', text: '27 EGSM 900' }, { kind: 'number', value: 1 }]);
  });

  it('quotes strings with escapes for quote, backslash, controls and high bytes', () => {
    expect(quoteString('a"b\\c\r\u00e9')).toBe('"a\\22b\\5Cc\\0D\\E9"');
    expect(() => quoteString('\u20ac')).toThrow(AtError);
  });

  it('refuses bare text that needs quoting', () => {
    expect(() => formatArg({ kind: 'bare', text: 'a,b' })).toThrow(/needs quoting/);
    expect(() => formatArg({ kind: 'list', text: '1-3' })).toThrow(AtError);
  });

  it('round-trips argument lists through format and parse', () => {
    const lists: AtArg[][] = [
      [{ kind: 'number', value: 1 }, { kind: 'string', value: 'IP' }, { kind: 'string', value: 'a "quoted" \\ apn' }],
      [{ kind: 'empty' }, { kind: 'number', value: 0 }, { kind: 'empty' }],
      [{ kind: 'list', text: '(2,"A","B","28601",7)' }, { kind: 'empty' }, { kind: 'list', text: '(0-4)' }],
      [{ kind: 'bare', text: 'EUTRAN-BAND3' }, { kind: 'number', value: -850 }],
    ];
    for (const args of lists) expect(parseArgs(formatArgs(args), 'response')).toEqual(args);
  });

  it('builds arguments from plain values, dropping trailing omitted ones', () => {
    expect(toArgs([1, 'TCP', undefined, 5, undefined])).toEqual([
      { kind: 'number', value: 1 },
      { kind: 'string', value: 'TCP' },
      { kind: 'empty' },
      { kind: 'number', value: 5 },
    ]);
  });
});
