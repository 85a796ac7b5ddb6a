/**
 * The line grammar shared by requests and answers (see README.md for the layout):
 *
 *   line  = lead seq *( SP word ) *( SP key "=" value ) "*" crc [CR] LF
 *   lead  = ">" (host → terminal) / "<" (terminal → host)
 *   seq   = 1*5DIGIT, 0..65535
 *   word  = "-" / UPPER *15( UPPER / DIGIT / "-" )
 *   key   = LOWER *15( LOWER / DIGIT / "-" )
 *   value = 1*( %x21-7E except DQUOTE ) / DQUOTE *( %x20-7E except DQUOTE and "\" / "\" DQUOTE / "\\" ) DQUOTE
 *   crc   = 4HEXDIG: CRC-16/CCITT-FALSE of every byte from the lead up to, not including, "*"
 *
 * Every byte of a line is printable ASCII (0x20..0x7e) apart from the CR LF ending; a line is at
 * most `MAX_LINE` bytes with its ending. Offsets in errors count from the lead (plus `base`).
 */
import { ascii, fromAscii } from '../../core/bytes.ts';
import { crc16 } from './crc16.ts';
import { hex2, hex4, UsbConfigError } from './errors.ts';
import type { FieldText } from './settings.ts';

/** Longest line in bytes, CR LF included. */
export const MAX_LINE = 512;

export type Lead = '>' | '<';

export interface Word {
  text: string;
  offset: number;
}

/** A line taken apart; `end` is the offset of the `*` before the CRC. */
export interface ParsedLine {
  lead: Lead;
  seq: number;
  words: Word[];
  fields: FieldText[];
  end: number;
}

const WORD = /^(-|[A-Z][A-Z0-9-]{0,15})$/;
const KEY = /^[a-z][a-z0-9-]{0,15}$/;
const isHex = (b: number) => (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66);

/** The line's bytes without a trailing LF and the CR before it. */
export function stripEnding(line: Uint8Array): Uint8Array {
  let n = line.length;
  if (n > 0 && line[n - 1] === 0x0a) n--;
  if (n > 0 && line[n - 1] === 0x0d) n--;
  return line.subarray(0, n);
}

/**
 * Takes one line apart (with or without its CR LF). Checks, in order: length, printable bytes,
 * the CRC field, the CRC, the lead, the sequence number, then words and fields. Throws a
 * `UsbConfigError` naming the offset (and, once read, the line's seq and first word).
 */
export function parseLine(raw: Uint8Array, base = 0): ParsedLine {
  const line = stripEnding(raw);
  const n = line.length;
  if (n + 2 > MAX_LINE) throw new UsbConfigError('too-long', `line at offset ${base} is ${n + 2} bytes with its CR LF; at most ${MAX_LINE} allowed`, { offset: base });
  for (let i = 0; i < n; i++) {
    const b = line[i]!;
    if (b < 0x20 || b > 0x7e) throw new UsbConfigError('syntax', `byte ${hex2(b)} at offset ${base + i}: expected printable ASCII (0x20..0x7e)`, { offset: base + i });
  }
  const star = n - 5;
  if (star < 1 || line[star] !== 0x2a) {
    const at = Math.max(0, star);
    throw new UsbConfigError('syntax', `expected '*' and the 4 hex digits of the CRC-16 at offset ${base + at} (the end of the line)`, { offset: base + at });
  }
  for (let i = star + 1; i < n; i++) {
    if (!isHex(line[i]!)) throw new UsbConfigError('syntax', `expected a hex digit of the CRC-16 at offset ${base + i}, got '${String.fromCharCode(line[i]!)}'`, { offset: base + i });
  }
  const got = Number.parseInt(fromAscii(line.subarray(star + 1, n)), 16);
  const computed = crc16(line, 0, star);
  if (got !== computed) throw new UsbConfigError('checksum', `CRC mismatch at offset ${base + star + 1}: got ${hex4(got)}, computed ${hex4(computed)}`, { offset: base + star + 1 });

  const text = fromAscii(line.subarray(0, star));
  const lead = text[0];
  if (lead !== '>' && lead !== '<') throw new UsbConfigError('syntax', `expected '>' or '<' at offset ${base}, got '${lead}'`, { offset: base });
  let i = 1;
  while (i < star && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
  const digits = text.slice(1, i);
  if (digits.length === 0 || digits.length > 5 || Number(digits) > 65535) {
    throw new UsbConfigError('syntax', `expected a sequence number 0..65535 at offset ${base + 1}, got '${text.slice(1, Math.max(i, 2))}'`, { offset: base + 1 });
  }
  const seq = Number(digits);
  const words: Word[] = [];
  const fields: FieldText[] = [];
  const fail = (offset: number, problem: string, reason: 'syntax' | 'invalid-field' = 'syntax', field?: string): never => {
    const at = { offset: base + offset, seq, ...(words[0] ? { verb: words.at(-1)!.text } : {}) };
    throw new UsbConfigError(reason, field ? problem : `${problem} at offset ${base + offset}`, field ? { ...at, field } : at);
  };
  while (i < star) {
    if (text[i] !== ' ') fail(i, `expected one space, got '${text[i]}'`);
    i++;
    const start = i;
    while (i < star && text[i] !== ' ' && text[i] !== '=') i++;
    const name = text.slice(start, i);
    if (text[i] !== '=') {
      if (!WORD.test(name)) fail(start, `expected a word (capital letters, digits, '-'; at most 16) or key=value, got '${name}'`);
      if (fields.length) fail(start, `word '${name}' after the fields; words come first`);
      words.push({ text: name, offset: base + start });
      continue;
    }
    if (!KEY.test(name)) fail(start, `expected a key (small letters, digits, '-'; at most 16), got '${name}'`);
    i++; // '='
    const vStart = i;
    let value: string;
    if (text[i] === '"') {
      let v = '';
      i++;
      for (;;) {
        if (i >= star) fail(vStart, `quoted value of '${name}' has no closing '"'`);
        const c = text[i]!;
        if (c === '"') break;
        if (c === '\\') {
          const e = text[i + 1];
          if (e !== '"' && e !== '\\') fail(i, `expected '\\"' or '\\\\' in a quoted value, got '\\${e ?? ''}'`);
          v += e;
          i += 2;
          continue;
        }
        v += c;
        i++;
      }
      i++; // closing quote
      if (i < star && text[i] !== ' ') fail(i, `expected a space after the closing '"', got '${text[i]}'`);
      value = v;
    } else {
      while (i < star && text[i] !== ' ') i++;
      value = text.slice(vStart, i);
      if (value.length === 0) fail(vStart, `expected a value after '${name}=' (write "" for an empty one)`);
      const q = value.indexOf('"');
      if (q >= 0) fail(vStart + q, `unexpected '"' inside an unquoted value`);
    }
    const first = fields.find((f) => f.key === name);
    if (first) fail(vStart, `given twice (first at offset ${first.offset})`, 'invalid-field', name);
    fields.push({ key: name, value, offset: base + vStart + (text[vStart] === '"' ? 1 : 0) });
  }
  return { lead, seq, words, fields, end: base + star };
}

/** A value as the grammar wants it: bare when it can be, quoted otherwise. */
function formatValue(key: string, value: string): string {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) throw new UsbConfigError('invalid-field', `character ${JSON.stringify(value[i])} at ${i} is not printable ASCII`, { field: key, offset: i });
  }
  if (value.length > 0 && !/[ "\\]/.test(value)) return value;
  return `"${value.replace(/[\\"]/g, (c) => `\\${c}`)}"`;
}

/**
 * Builds a line with its CRC and CR LF. Throws a `UsbConfigError` for a value that is not
 * printable ASCII or a line longer than `MAX_LINE`; a bad word or key is a programming error
 * (RangeError).
 */
export function formatLine(lead: Lead, seq: number, words: readonly string[], fields: readonly { key: string; value: string }[]): Uint8Array {
  if (!Number.isInteger(seq) || seq < 0 || seq > 65535) throw new RangeError(`sequence number ${seq} is outside 0..65535`);
  let text = `${lead}${seq}`;
  for (const w of words) {
    if (!WORD.test(w)) throw new RangeError(`'${w}' is not a word of the line grammar`);
    text += ` ${w}`;
  }
  for (const f of fields) {
    if (!KEY.test(f.key)) throw new RangeError(`'${f.key}' is not a key of the line grammar`);
    text += ` ${f.key}=${formatValue(f.key, f.value)}`;
  }
  const body = ascii(text);
  const crc = crc16(body).toString(16).toUpperCase().padStart(4, '0');
  const out = ascii(`${text}*${crc}\r\n`);
  if (out.length > MAX_LINE) throw new UsbConfigError('too-long', `line would be ${out.length} bytes; at most ${MAX_LINE} allowed`);
  return out;
}
