/**
 * Data sets and data lines (IEC 62056-21 6.5):
 *
 *   data set  = [address] `(` [value] [`*` unit] `)` { `(` [value] [`*` unit] `)` }
 *   data line = data set { data set }          (lines end with CR LF in a data block)
 *
 * address ≤ 16 characters (no `(`, `)`, `/`, `!`); value ≤ 128 characters (no `(`, `)`, `*`,
 * `/`, `!`; a decimal point, not a comma); unit ≤ 16 characters. A data line should not exceed
 * 78 characters (a recommendation; not enforced). Parenthesised groups that follow a data set
 * without an address of their own are further values of that set, as in
 * `1.6.0(012.345*kW)(24-01-05 12:30)`; a line that starts with `(` (a load profile row, an
 * answer in programming mode) makes one set with the empty address.
 *
 * The parser accepts `/` and `!` inside parentheses, which real meters send (`(0.83*P/S)`);
 * the builder refuses them, as the standard does.
 */
import { firstNonPrintable } from './ascii.ts';
import { Iec62056Error, invalidField } from './errors.ts';

export const MAX_ADDRESS_LENGTH = 16;
export const MAX_VALUE_LENGTH = 128;
export const MAX_UNIT_LENGTH = 16;
/** Recommended maximum of a data line, boundary and control characters included. */
export const RECOMMENDED_LINE_LENGTH = 78;

export interface DataValue {
  value: string;
  unit?: string;
}

export interface DataSet {
  /** '' for a set without an address. */
  address: string;
  values: DataValue[];
}

/**
 * Parses one data line (without its CR LF). Offsets in errors are `base` + the character index.
 */
export function parseDataLine(line: string, base = 0): DataSet[] {
  const sets: DataSet[] = [];
  let i = 0;
  while (i < line.length) {
    const open = line.indexOf('(', i);
    if (open < 0) throw invalidField(base + i, `data set ${JSON.stringify(line.slice(i))} has no '('`);
    const address = line.slice(i, open);
    const badA = address.search(/[()/!]/);
    if (badA >= 0) throw invalidField(base + i + badA, `address character ${JSON.stringify(address[badA])} is not allowed`);
    if (address.length > MAX_ADDRESS_LENGTH) throw invalidField(base + i, `address ${JSON.stringify(address)} is ${address.length} characters; at most ${MAX_ADDRESS_LENGTH}`);
    const close = line.indexOf(')', open + 1);
    const nested = line.indexOf('(', open + 1);
    if (close < 0) throw invalidField(base + open, `data set value opened by '(' is not closed by ')'`);
    if (nested >= 0 && nested < close) throw invalidField(base + nested, `'(' inside a data set value`);
    const content = line.slice(open + 1, close);
    const star = content.indexOf('*');
    const value = star < 0 ? content : content.slice(0, star);
    if (value.length > MAX_VALUE_LENGTH) throw invalidField(base + open + 1, `value is ${value.length} characters; at most ${MAX_VALUE_LENGTH}`);
    const dv: DataValue = { value };
    if (star >= 0) {
      const unit = content.slice(star + 1);
      if (unit.length > MAX_UNIT_LENGTH) throw invalidField(base + open + 2 + star, `unit is ${unit.length} characters; at most ${MAX_UNIT_LENGTH}`);
      dv.unit = unit;
    }
    const last = sets[sets.length - 1];
    if (address === '' && last) last.values.push(dv);
    else sets.push({ address, values: [dv] });
    i = close + 1;
  }
  return sets;
}

/**
 * Parses a data block: lines separated by CR LF. Empty lines are skipped; the last line may
 * lack its CR LF (answers in programming mode have none). A lone CR or LF is an error.
 */
export function parseDataBlock(block: string, base = 0): DataSet[][] {
  const lines: DataSet[][] = [];
  let start = 0;
  for (let i = 0; i <= block.length; i++) {
    const c = block[i];
    if (i === block.length || c === '\r' || c === '\n') {
      if (c === '\r' && block[i + 1] !== '\n') throw new Iec62056Error('missing-crlf', base + i + 1, `CR at offset ${base + i} is not followed by LF`);
      if (c === '\n') throw new Iec62056Error('missing-crlf', base + i, `LF at offset ${base + i} without CR before it`);
      if (i > start) lines.push(parseDataLine(block.slice(start, i), base + start));
      i += 1;
      start = i + 1;
    }
  }
  return lines;
}

function checkText(text: string, what: string, forbidden: RegExp, max: number): void {
  if (text.length > max) throw invalidField(0, `${what} ${JSON.stringify(text)} is ${text.length} characters; at most ${max}`);
  const np = firstNonPrintable(text);
  if (np >= 0) throw invalidField(np, `${what} ${JSON.stringify(text)} has a non-printable character`);
  const bad = text.search(forbidden);
  if (bad >= 0) throw invalidField(bad, `${what} ${JSON.stringify(text)} has the forbidden character ${JSON.stringify(text[bad])}`);
}

/** `address(value*unit)(value)…`; throws an Iec62056Error for a field the standard does not allow. */
export function formatDataSet(set: DataSet): string {
  checkText(set.address, 'address', /[()/!]/, MAX_ADDRESS_LENGTH);
  if (set.values.length === 0) throw invalidField(0, `data set ${JSON.stringify(set.address)} has no value (use { value: '' } for '()')`);
  let out = set.address;
  for (const v of set.values) {
    checkText(v.value, 'value', /[()*/!]/, MAX_VALUE_LENGTH);
    out += `(${v.value}`;
    if (v.unit !== undefined) {
      checkText(v.unit, 'unit', /[()*/!]/, MAX_UNIT_LENGTH);
      out += `*${v.unit}`;
    }
    out += ')';
  }
  return out;
}

/** The data sets of one line, without CR LF. */
export function formatDataLine(sets: readonly DataSet[]): string {
  if (sets.length > 1 && sets.slice(1).some((s) => s.address === '')) {
    throw invalidField(0, 'only the first data set of a line may have an empty address (it would merge into the previous set)');
  }
  return sets.map(formatDataSet).join('');
}

/** Lines, each followed by CR LF. */
export function formatDataBlock(lines: readonly (readonly DataSet[])[]): string {
  return lines.map((l) => `${formatDataLine(l)}\r\n`).join('');
}

export interface FixedFormat {
  /** Digits before the point, zero-padded (`6` → `001234`). */
  integerDigits: number;
  /** Digits after the point; 0 writes no point. */
  decimalDigits: number;
}

/**
 * A number as meters write it: zero-padded integer part, fixed decimals, `-` before a
 * negative value. A `bigint` is an exact count of 10^-decimalDigits units (Wh with 3 decimals
 * of kWh); a `number` is rounded half away from zero on its decimal representation. Throws an
 * Iec62056Error when the integer part needs more than `integerDigits` digits.
 */
export function formatFixed(value: number | bigint, fmt: FixedFormat): string {
  const { integerDigits, decimalDigits } = fmt;
  if (!Number.isInteger(integerDigits) || integerDigits < 1 || !Number.isInteger(decimalDigits) || decimalDigits < 0) {
    throw new RangeError(`bad fixed format ${integerDigits}.${decimalDigits}`);
  }
  let scaled: bigint;
  if (typeof value === 'bigint') scaled = value;
  else {
    if (!Number.isFinite(value)) throw invalidField(0, `value ${value} is not a finite number`);
    scaled = roundScaled(value, decimalDigits);
  }
  const negative = scaled < 0n;
  const digits = (negative ? -scaled : scaled).toString().padStart(decimalDigits + 1, '0');
  const intPart = digits.slice(0, digits.length - decimalDigits);
  const fracPart = digits.slice(digits.length - decimalDigits);
  if (intPart.length > integerDigits) {
    throw invalidField(0, `value ${String(value)} needs ${intPart.length} integer digits; the format has ${integerDigits}`);
  }
  return `${negative ? '-' : ''}${intPart.padStart(integerDigits, '0')}${decimalDigits > 0 ? `.${fracPart}` : ''}`;
}

/** value × 10^decimals rounded half away from zero, exact on the decimal text of `value`. */
function roundScaled(value: number, decimals: number): bigint {
  const [mant, expText] = Math.abs(value).toExponential().split('e') as [string, string];
  const exp = Number(expText) + decimals;
  const [ip, fp = ''] = mant.split('.') as [string, string?];
  const all = ip + fp;
  const pointAt = 1 + exp;
  let intDigits: string;
  let roundUp = false;
  if (pointAt <= 0) {
    intDigits = '0';
    roundUp = pointAt === 0 && all[0]! >= '5';
  } else if (pointAt >= all.length) intDigits = all + '0'.repeat(pointAt - all.length);
  else {
    intDigits = all.slice(0, pointAt);
    roundUp = all[pointAt]! >= '5';
  }
  const mag = BigInt(intDigits) + (roundUp ? 1n : 0n);
  return value < 0 ? -mag : mag;
}

/** A one-value data set with a fixed-format number: `1.8.0(001234.567*kWh)`. */
export function numericDataSet(address: string, value: number | bigint, fmt: FixedFormat & { unit?: string }): DataSet {
  const dv: DataValue = { value: formatFixed(value, fmt) };
  if (fmt.unit !== undefined) dv.unit = fmt.unit;
  return { address, values: [dv] };
}
