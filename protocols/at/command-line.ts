/**
 * Command lines, DTE → DCE (ITU-T V.250 §5.2–§5.4, 3GPP TS 27.007 §4):
 *
 * ```
 *   AT  E0  V1  &W  S0=0  +CREG=2 ; +CGREG? ; +QCFG="nwscanmode",0,1  <CR>
 *   ──  ── basic ──  s-par  ─────────── extended, ';' after each ────  S3
 *   A/                      (repeat the last line; no AT, no <CR>)
 * ```
 *
 * - The prefix is `AT` or `at` (other mixes are accepted and reported in `prefix`).
 * - Basic commands: one letter (or `&` plus a letter) and an optional decimal number; `D`
 *   takes the rest of the line as its dial string; `S<n>=<v>` / `S<n>?` are S-parameters.
 * - Extended commands: a prefix character (`+`, or a maker's `#`, `$`, `%`, `^`) and name
 *   characters `A-Z 0-9 ! % - . / : _`; forms `+X` (execute), `+X=...` (set), `+X?` (read),
 *   `+X=?` (test). A `;` must follow an extended command when another command follows.
 * - Names are case-insensitive (kept upper case here); spaces outside strings are ignored.
 */
import { ascii } from '../../core/bytes.ts';
import { formatArgs, parseArgs, toArgs, type AtArg } from './args.ts';
import { AtError, charLabel } from './errors.ts';

/** The four forms of an extended command. */
export type CommandForm = 'execute' | 'set' | 'read' | 'test';

/** `E0`, `I`, `&W`, `Z`, `H0`: a letter (or `&` and a letter) and an optional number. */
export interface BasicCommand {
  syntax: 'basic';
  name: string;
  value?: number;
}

/** `D<dial string>`: the rest of the command line, spaces removed (`D*99#`, `D+4930123;`). */
export interface DialCommand {
  syntax: 'dial';
  dialString: string;
}

/** `S3=13` (set) or `S3?` (read). */
export interface SParameterCommand {
  syntax: 's-parameter';
  register: number;
  form: 'set' | 'read';
  value?: number;
}

/** `+CREG=2`, `+CSQ`, `+CPIN?`, `+COPS=?`; `name` upper case with its prefix character. */
export interface ExtendedCommand {
  syntax: 'extended';
  name: string;
  form: CommandForm;
  args: AtArg[];
}

/** Any command of a command line. */
export type AtCommand = BasicCommand | DialCommand | SParameterCommand | ExtendedCommand;

/** A command line with its prefix as typed; `commands` is empty for a bare `AT`. */
export interface CommandLine {
  kind: 'commands';
  prefix: string;
  commands: AtCommand[];
}

/** `A/`: repeat the previous command line. */
export interface RepeatLine {
  kind: 'repeat';
}

/** What `parseCommandLine` returns. */
export type ParsedLine = CommandLine | RepeatLine;

const EXT_PREFIX = /[+#$%^]/;
const NAME_CHAR = /[A-Za-z0-9!%\-./:_]/;

/** The line with spaces outside strings removed, and the original offset of every kept character. */
function compact(text: string): { s: string; map: number[] } {
  let s = '';
  const map: number[] = [];
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') quoted = !quoted;
    if (c === ' ' && !quoted) continue;
    s += c;
    map.push(i);
  }
  map.push(text.length);
  return { s, map };
}

/**
 * Parses a command line as typed, without its S3 terminator: `AT+CREG=2;+CGREG=2`, `ATE0`,
 * `at`, `A/`. Throws `AtError` naming the offset in `text` and what was expected there.
 */
export function parseCommandLine(text: string): ParsedLine {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) throw new AtError('syntax', `control character ${charLabel(text, i)} in a command line`, { offset: i, expected: 'printable characters' });
  }
  const { s, map } = compact(text);
  const at = (k: number): number => map[Math.min(k, map.length - 1)]!;
  if (/^a\/$/i.test(s)) return { kind: 'repeat' };
  if (!/^at/i.test(s)) {
    const bad = s.length < 1 || !/a/i.test(s[0]!) ? 0 : 1;
    throw new AtError('prefix', `command line does not start with AT`, { offset: at(bad), expected: bad === 0 ? "'AT', 'at' or 'A/'" : "'T' after 'A'" });
  }
  const commands: AtCommand[] = [];
  let i = 2;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ';') {
      i++;
      continue;
    }
    if (EXT_PREFIX.test(c)) {
      let j = i + 1;
      while (j < s.length && NAME_CHAR.test(s[j]!)) j++;
      if (j === i + 1) throw new AtError('syntax', `extended command without a name`, { offset: at(j), expected: 'a name character (A-Z, 0-9, ! % - . / : _)' });
      const name = s.slice(i, j).toUpperCase();
      let form: CommandForm = 'execute';
      let args: AtArg[] = [];
      if (s.startsWith('=?', j)) {
        form = 'test';
        j += 2;
      } else if (s[j] === '?') {
        form = 'read';
        j += 1;
      } else if (s[j] === '=') {
        form = 'set';
        const start = j + 1;
        let k = start;
        let quoted = false;
        while (k < s.length && (quoted || s[k] !== ';')) {
          if (s[k] === '"') quoted = !quoted;
          k++;
        }
        args = parseArgsAt(text, s, map, start, k);
        j = k;
      }
      commands.push({ syntax: 'extended', name, form, args });
      if (j < s.length && s[j] !== ';') throw new AtError('syntax', `unexpected ${charLabel(s, j)} after ${name}`, { offset: at(j), expected: "';' or end of line" });
      i = j;
      continue;
    }
    const upper = c.toUpperCase();
    if (upper === 'D') {
      commands.push({ syntax: 'dial', dialString: s.slice(i + 1) });
      break;
    }
    if (upper === 'S') {
      const m = /^[sS](\d+)(\?|=(\d*))/.exec(s.slice(i));
      if (!m) throw new AtError('syntax', `bad S-parameter command`, { offset: at(i + 1), expected: "'S<n>=<value>' or 'S<n>?'" });
      const register = Number(m[1]);
      if (m[2] === '?') commands.push({ syntax: 's-parameter', register, form: 'read' });
      else commands.push(m[3] === '' ? { syntax: 's-parameter', register, form: 'set' } : { syntax: 's-parameter', register, form: 'set', value: Number(m[3]) });
      i += m[0].length;
      continue;
    }
    const m = /^([&\\]?)([A-Za-z])(\d*)/.exec(s.slice(i));
    if (!m) throw new AtError('syntax', `unexpected ${charLabel(s, i)}`, { offset: at(i), expected: 'a command (letter, &letter, S<n>, D or +NAME)' });
    const name = `${m[1]}${m[2]!.toUpperCase()}`;
    commands.push(m[3] === '' ? { syntax: 'basic', name } : { syntax: 'basic', name, value: Number(m[3]) });
    i += m[0].length;
  }
  return { kind: 'commands', prefix: s.slice(0, 2), commands };
}

/** Parses the argument text s[start, end) and reports errors at offsets of the original line. */
function parseArgsAt(text: string, s: string, map: number[], start: number, end: number): AtArg[] {
  try {
    return parseArgs(s.slice(start, end), 'command', 0);
  } catch (e) {
    if (e instanceof AtError && e.offset !== undefined) {
      const original = map[Math.min(start + e.offset, map.length - 1)]!;
      throw new AtError(e.reason, e.detail, { offset: original, ...(e.expected === undefined ? {} : { expected: e.expected }) });
    }
    throw e;
  }
}

/** The name a command is known by: `+CREG`, `E`, `&W`, `D`, `S3`. */
export function commandName(cmd: AtCommand): string {
  switch (cmd.syntax) {
    case 'extended':
    case 'basic':
      return cmd.name;
    case 'dial':
      return 'D';
    case 's-parameter':
      return `S${cmd.register}`;
  }
}

function formatOne(cmd: AtCommand): string {
  switch (cmd.syntax) {
    case 'basic':
      if (!/^[&\\]?[A-Z]$/.test(cmd.name) || cmd.name === 'D' || cmd.name === 'S') throw new AtError('encode', `basic command name ${JSON.stringify(cmd.name)} is not a letter or &letter (D and S have their own forms)`);
      return cmd.name + optionalNumber(cmd.value, cmd.name);
    case 'dial':
      if (/[\x00-\x1f"]/.test(cmd.dialString)) throw new AtError('encode', `dial string ${JSON.stringify(cmd.dialString)} holds a control character or quote`);
      return `D${cmd.dialString}`;
    case 's-parameter':
      if (!Number.isSafeInteger(cmd.register) || cmd.register < 0) throw new AtError('encode', `S-register ${cmd.register} is not a non-negative integer`);
      return cmd.form === 'read' ? `S${cmd.register}?` : `S${cmd.register}=${optionalNumber(cmd.value, `S${cmd.register}`)}`;
    case 'extended': {
      if (!/^[+#$%^][A-Z0-9!%\-./:_]+$/.test(cmd.name)) throw new AtError('encode', `extended command name ${JSON.stringify(cmd.name)} is not a prefix character and upper-case name characters`);
      if (cmd.form !== 'set' && cmd.args.length > 0) throw new AtError('encode', `${cmd.name}: only the set form carries arguments`);
      for (const a of cmd.args) if (a.kind === 'bare' && a.text.includes(';')) throw new AtError('encode', `${cmd.name}: unquoted value ${JSON.stringify(a.text)} holds ';'`);
      const suffix = { execute: '', read: '?', test: '=?', set: `=${formatArgs(cmd.args)}` }[cmd.form];
      return cmd.name + suffix;
    }
  }
}

function optionalNumber(value: number | undefined, name: string): string {
  if (value === undefined) return '';
  if (!Number.isSafeInteger(value) || value < 0) throw new AtError('encode', `${name}: value ${value} is not a non-negative integer`);
  return String(value);
}

/**
 * Writes a command line without its terminator: `AT` (or the line's own prefix when it is a
 * case variant of `AT`), the commands, `;` after each extended command that is followed by
 * another. A dial command must be last. `A/` for a repeat. Throws `AtError` (`encode`).
 */
export function formatCommandLine(line: ParsedLine | readonly AtCommand[]): string {
  if (!Array.isArray(line) && (line as ParsedLine).kind === 'repeat') return 'A/';
  const commands = Array.isArray(line) ? (line as readonly AtCommand[]) : (line as CommandLine).commands;
  const prefix = !Array.isArray(line) && /^at$/i.test((line as CommandLine).prefix) ? (line as CommandLine).prefix : 'AT';
  let out = prefix;
  commands.forEach((cmd, k) => {
    if (cmd.syntax === 'dial' && k !== commands.length - 1) throw new AtError('encode', 'a dial command must be the last command of its line');
    out += formatOne(cmd);
    if (cmd.syntax === 'extended' && k < commands.length - 1) out += ';';
  });
  return out;
}

/** The bytes a DTE sends: the formatted line and S3 (default CR); `A/` goes without a terminator. */
export function encodeCommandLine(line: ParsedLine | readonly AtCommand[], s3 = 0x0d): Uint8Array {
  const text = formatCommandLine(line);
  return text === 'A/' ? ascii(text) : ascii(text + String.fromCharCode(s3));
}

/** An extended command of the given form; `values` become set arguments (see `toArgs`). */
export function extended(name: string, form: CommandForm = 'execute', values: readonly (number | string | undefined)[] = []): ExtendedCommand {
  return { syntax: 'extended', name: name.toUpperCase(), form, args: form === 'set' ? toArgs(values) : [] };
}

/** `+NAME=v1,v2,…` with numbers as numbers, strings quoted, `undefined` omitted. */
export function setCommand(name: string, ...values: (number | string | undefined)[]): ExtendedCommand {
  return extended(name, 'set', values);
}

/** A basic command such as `E0`, `I`, `&W`, `Z`. */
export function basic(name: string, value?: number): BasicCommand {
  return value === undefined ? { syntax: 'basic', name: name.toUpperCase() } : { syntax: 'basic', name: name.toUpperCase(), value };
}
