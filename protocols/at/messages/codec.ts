/**
 * The contract of the typed response and command codecs, and the field readers they share.
 * A response codec turns one information line (`+CSQ: 17,0`) into a typed value and back; a
 * command codec does the same for the arguments of a set command (`AT+QIOPEN=1,0,"TCP",…`).
 */
import { formatArgs, parseArgSpans, type AtArg } from '../args.ts';
import type { ExtendedCommand } from '../command-line.ts';
import { AtError } from '../errors.ts';

/** One information-response line ⇄ a typed value. `parse` throws `AtError`; `format` throws `AtError` (`encode`). */
export interface ResponseCodec<T> {
  /** The line prefix without the colon (`+CSQ`), or `''` for lines without one (IMEI, IP address). */
  readonly prefix: string;
  parse(line: string): T;
  format(value: T): string;
}

/** The arguments of a set command ⇄ a typed value. */
export interface CommandCodec<T> {
  /** The command name (`+QIOPEN`). */
  readonly name: string;
  parse(command: ExtendedCommand): T;
  format(value: T): ExtendedCommand;
}

/** A parse that does not throw: the value, or the `AtError` that says why not. */
export function tryParse<T>(codec: { parse(line: string): T }, line: string): { ok: true; value: T } | { ok: false; error: AtError } {
  try {
    return { ok: true, value: codec.parse(line) };
  } catch (e) {
    if (e instanceof AtError) return { ok: false, error: e };
    throw e;
  }
}

/** Reads typed fields out of an argument list, naming the field and its offset when one is wrong. */
export class Fields {
  constructor(
    readonly args: readonly AtArg[],
    readonly what: string,
    private readonly starts: readonly number[] = [],
    private readonly end = 0,
  ) {}

  /** Arguments of the line after `prefix:`; throws `shape` when the prefix is missing. */
  static ofLine(line: string, prefix: string): Fields {
    const head = `${prefix}:`;
    if (!line.startsWith(head)) throw new AtError('shape', `not a ${prefix} line: ${JSON.stringify(line.slice(0, 40))}`, { offset: 0, expected: `'${head}'` });
    const { args, starts } = parseArgSpans(line.slice(head.length), 'response', head.length);
    return new Fields(args, prefix, starts, line.length);
  }

  /** Arguments of a set command (any other form has none). */
  static ofCommand(command: ExtendedCommand, name: string): Fields {
    if (command.name !== name) throw new AtError('shape', `command ${command.name} is not ${name}`);
    if (command.form !== 'set') throw new AtError('shape', `${name}: expected the set form (${name}=…), got ${command.form}`);
    return new Fields(command.args, name);
  }

  get length(): number {
    return this.args.length;
  }

  /** Offset in the line where field i starts (the line end when it is missing). */
  offsetOf(i: number): number {
    return this.starts[i] ?? this.end;
  }

  /** Fails unless the count is within [min, max]. */
  count(min: number, max = min): this {
    if (this.args.length < min || this.args.length > max) {
      const want = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
      throw new AtError('shape', `${this.what}: ${this.args.length} fields`, { offset: this.offsetOf(Math.min(this.args.length, max)), expected: `${want} fields` });
    }
    return this;
  }

  /** True when field i is absent or empty. */
  absent(i: number): boolean {
    const a = this.args[i];
    return a === undefined || a.kind === 'empty';
  }

  /** An integer field, checked against the range. */
  int(i: number, name: string, min = -Infinity, max = Infinity): number {
    const a = this.args[i];
    if (a === undefined || a.kind !== 'number') throw new AtError('shape', `${this.what}: <${name}> is ${describe(a)}`, { offset: this.offsetOf(i), expected: 'an integer' });
    if (a.value < min || a.value > max) throw new AtError('value', `${this.what}: <${name}> ${a.value} out of range`, { offset: this.offsetOf(i), expected: `${min}..${max}` });
    return a.value;
  }

  /** An integer field, or undefined when absent or empty. */
  optInt(i: number, name: string, min = -Infinity, max = Infinity): number | undefined {
    return this.absent(i) ? undefined : this.int(i, name, min, max);
  }

  /** A quoted string field (an unquoted value is accepted too, as modems are not consistent). */
  str(i: number, name: string): string {
    const a = this.args[i];
    if (a?.kind === 'string') return a.value;
    if (a?.kind === 'bare') return a.text;
    if (a?.kind === 'number') return a.text ?? String(a.value);
    throw new AtError('shape', `${this.what}: <${name}> is ${describe(a)}`, { offset: this.offsetOf(i), expected: 'a string' });
  }

  /** A string field, or undefined when absent or empty. */
  optStr(i: number, name: string): string | undefined {
    return this.absent(i) ? undefined : this.str(i, name);
  }

  /** A string field that must be hex digits (LAC, TAC, cell id), upper-cased. */
  hex(i: number, name: string, maxDigits: number): string {
    const s = this.str(i, name);
    if (!/^[0-9A-Fa-f]+$/.test(s) || s.length > maxDigits) throw new AtError('value', `${this.what}: <${name}> ${JSON.stringify(s)}`, { offset: this.offsetOf(i), expected: `1..${maxDigits} hex digits` });
    return s.toUpperCase();
  }

  /** A string field that must be one of `values`. */
  oneOf<V extends string>(i: number, name: string, values: readonly V[]): V {
    const s = this.str(i, name);
    if (!(values as readonly string[]).includes(s)) throw new AtError('value', `${this.what}: <${name}> ${JSON.stringify(s)}`, { offset: this.offsetOf(i), expected: `one of ${values.map((v) => JSON.stringify(v)).join(', ')}` });
    return s as V;
  }

  /** The arguments from index i on (kept raw for round trips). */
  rest(i: number): AtArg[] {
    return this.args.slice(i);
  }
}

function describe(a: AtArg | undefined): string {
  if (a === undefined) return 'missing';
  switch (a.kind) {
    case 'empty':
      return 'empty';
    case 'number':
      return `the number ${a.value}`;
    case 'string':
      return `the string ${JSON.stringify(a.value)}`;
    default:
      return JSON.stringify(a.text);
  }
}

/** `+NAME: args` with the arguments written by `formatArgs`. */
export function line(prefix: string, args: readonly AtArg[]): string {
  return args.length === 0 ? `${prefix}:` : `${prefix}: ${formatArgs(args)}`;
}

/** A number argument (shorthands for building argument lists follow). */
export const n = (value: number): AtArg => ({ kind: 'number', value });
/** A quoted string argument. */
export const q = (value: string): AtArg => ({ kind: 'string', value });
/** An unquoted (bare) argument. */
export const b = (text: string): AtArg => ({ kind: 'bare', text });
/** An omitted argument. */
export const empty: AtArg = { kind: 'empty' };
/** A number, or an empty field when undefined. */
export const on = (value: number | undefined): AtArg => (value === undefined ? empty : n(value));
/** A quoted string, or an empty field when undefined. */
export const oq = (value: string | undefined): AtArg => (value === undefined ? empty : q(value));

/** Drops trailing empty fields (optional parameters that were not given). */
export function trimEmpty(args: AtArg[]): AtArg[] {
  while (args.length > 0 && args[args.length - 1]!.kind === 'empty') args.pop();
  return args;
}
