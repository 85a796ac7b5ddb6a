/**
 * Argument lists of AT command lines and information responses (ITU-T V.250 §5.4.2):
 * `1,"internet",,(0-3),SIM PIN`.
 *
 * - numeric constants are decimal digits (responses also carry negative numbers, e.g. dBm);
 * - string constants are quoted; a `\` followed by two hex digits stands for that character
 *   (V.250 §5.4.2.2; 3GPP TS 27.007 writes `"` as `\22` and `\` as `\5C` in IRA strings);
 * - an omitted value between commas is `empty`;
 * - a parenthesised value (ranges in test-command responses) is kept as raw `list` text;
 * - anything else unquoted (`SIM PIN`, `0x5A1E`, `EUTRAN-BAND3`) is `bare` text.
 *
 * Command lines are strict (a bad escape is an error, spaces outside strings are ignored as
 * V.250 says); responses are lenient (a `\` not followed by two hex digits is kept as is, spaces
 * around fields are trimmed, spaces inside unquoted text kept).
 */
import { AtError, charLabel } from './errors.ts';

/** One argument value. `text` on numbers keeps the digits as written (leading zeros). */
export type AtArg =
  | { kind: 'number'; value: number; text?: string }
  | { kind: 'string'; value: string }
  | { kind: 'bare'; text: string }
  | { kind: 'empty' }
  | { kind: 'list'; text: string };

/** `command`: DTE → DCE argument text (strict). `response`: DCE → DTE information text (lenient). */
export type ArgMode = 'command' | 'response';

const HEX2 = /^[0-9a-fA-F]{2}$/;

/**
 * Parses `text` (everything after `=` of a command, or after `+NAME:` of a response) into
 * arguments. An empty or all-space text has no arguments. `offset` is added to every offset an
 * error reports, so that errors point into the whole line. Throws `AtError`.
 */
export function parseArgs(text: string, mode: ArgMode, offset = 0): AtArg[] {
  return parseArgSpans(text, mode, offset).args;
}

/** As `parseArgs`, also giving the offset where each argument starts (for error messages). */
export function parseArgSpans(text: string, mode: ArgMode, offset = 0): { args: AtArg[]; starts: number[] } {
  const out: AtArg[] = [];
  const starts: number[] = [];
  if (text.trim() === '') return { args: out, starts };
  let i = 0;
  for (;;) {
    i = skipSpaces(text, i);
    starts.push(offset + i);
    const c = text[i];
    let arg: AtArg;
    if (c === '"') {
      const s = readString(text, i, mode, offset);
      arg = { kind: 'string', value: s.value };
      i = skipSpaces(text, s.end);
      expectSeparator(text, i, offset);
    } else if (c === '(' && mode === 'response') {
      const end = closingParen(text, i, offset);
      arg = { kind: 'list', text: text.slice(i, end) };
      i = skipSpaces(text, end);
      expectSeparator(text, i, offset);
    } else {
      let j = i;
      while (j < text.length && text[j] !== ',') {
        if (text[j] === '"') throw new AtError('syntax', `unexpected '"' inside an unquoted value`, { offset: offset + j, expected: "',' before a quoted string" });
        j++;
      }
      const raw = mode === 'command' ? text.slice(i, j).replace(/ /g, '') : text.slice(i, j).trim();
      arg = bareOrNumber(raw, mode);
      i = j;
    }
    out.push(arg);
    if (i >= text.length) return { args: out, starts };
    i++; // the comma
  }
}

function skipSpaces(text: string, i: number): number {
  while (text[i] === ' ') i++;
  return i;
}

function expectSeparator(text: string, i: number, offset: number): void {
  if (i < text.length && text[i] !== ',') {
    throw new AtError('syntax', `unexpected ${charLabel(text, i)} after a value`, { offset: offset + i, expected: "',' or end of arguments" });
  }
}

function bareOrNumber(raw: string, mode: ArgMode): AtArg {
  if (raw === '') return { kind: 'empty' };
  const numeric = mode === 'command' ? /^\d+$/ : /^-?\d+$/;
  if (numeric.test(raw)) {
    const value = Number(raw);
    if (Number.isSafeInteger(value)) return String(value) === raw ? { kind: 'number', value } : { kind: 'number', value, text: raw };
  }
  return { kind: 'bare', text: raw };
}

/** Reads a quoted string starting at `text[start] === '"'`; returns its value and the index after the closing quote. */
export function readString(text: string, start: number, mode: ArgMode, offset = 0): { value: string; end: number } {
  let value = '';
  let i = start + 1;
  while (i < text.length) {
    const c = text[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\') {
      const hex = text.slice(i + 1, i + 3);
      if (HEX2.test(hex)) {
        value += String.fromCharCode(parseInt(hex, 16));
        i += 3;
        continue;
      }
      if (mode === 'command') throw new AtError('syntax', 'bad escape in a string', { offset: offset + i, expected: "two hex digits after '\\'" });
    }
    value += c;
    i++;
  }
  throw new AtError('syntax', `string opened at offset ${offset + start} is not closed`, { offset: offset + text.length, expected: "'\"'" });
}

function closingParen(text: string, start: number, offset: number): number {
  let depth = 0;
  let quoted = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"') quoted = false;
    } else if (c === '"') quoted = true;
    else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i + 1;
  }
  throw new AtError('syntax', `'(' at offset ${offset + start} is not closed`, { offset: offset + text.length, expected: "')'" });
}

/**
 * Writes a string constant: quoted, with `"`, `\`, control characters and bytes above 0x7e
 * written as `\hh`. Characters above 0xff cannot be written (throws `AtError` `encode`).
 */
export function quoteString(value: string): string {
  let out = '"';
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c > 0xff) throw new AtError('encode', `character ${JSON.stringify(value[i])} at ${i} of a string is not a single byte`);
    if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) out += `\\${c.toString(16).toUpperCase().padStart(2, '0')}`;
    else out += value[i];
  }
  return `${out}"`;
}

/** Writes one argument. Bare text may not hold a comma, quote or control character, nor start or end with a space. */
export function formatArg(arg: AtArg): string {
  switch (arg.kind) {
    case 'number':
      if (!Number.isSafeInteger(arg.value)) throw new AtError('encode', `number ${arg.value} is not an integer`);
      if (arg.text !== undefined && Number(arg.text) === arg.value && /^-?\d+$/.test(arg.text)) return arg.text;
      return String(arg.value);
    case 'string':
      return quoteString(arg.value);
    case 'empty':
      return '';
    case 'bare':
      if (/[,"\x00-\x1f]/.test(arg.text) || arg.text.trim() !== arg.text) {
        throw new AtError('encode', `unquoted value ${JSON.stringify(arg.text)} holds a character that needs quoting`);
      }
      return arg.text;
    case 'list':
      if (!/^\(.*\)$/.test(arg.text) || /[\x00-\x1f]/.test(arg.text)) {
        throw new AtError('encode', `list value ${JSON.stringify(arg.text)} must be '(' … ')' without control characters`);
      }
      return arg.text;
  }
}

/** Writes an argument list, comma separated. */
export function formatArgs(args: readonly AtArg[]): string {
  return args.map(formatArg).join(',');
}

/** A value as an argument: numbers stay numbers, strings are quoted, `undefined` is an omitted value. */
export function toArg(value: number | string | undefined): AtArg {
  if (value === undefined) return { kind: 'empty' };
  if (typeof value === 'number') return { kind: 'number', value };
  return { kind: 'string', value };
}

/** Several values as arguments (see `toArg`); trailing omitted values are dropped. */
export function toArgs(values: readonly (number | string | undefined)[]): AtArg[] {
  const out = values.map(toArg);
  while (out.length > 0 && out[out.length - 1]!.kind === 'empty') out.pop();
  return out;
}
