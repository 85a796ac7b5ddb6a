/**
 * Programming command messages (IEC 62056-21 6.3.6), either direction:
 *
 *   SOH C D STX data ETX BCC        (EOT instead of ETX: a partial block, more follow)
 *   SOH C D ETX BCC                 (no data: the break message SOH B 0 ETX BCC)
 *
 * C command message identifier: P password, W write, R read, E execute, B exit (break).
 * D command type identifier, a digit; its meaning per command is in COMMAND_TYPES.
 * data: a data set; `(password)` for P, `address(value)` for W, `address()` or
 * `address(n)` for R. The meter opens programming mode with `SOH P0 STX (operand) ETX BCC`.
 * Answers: ACK, NAK (repeat request), a data message or an error message (data-message.ts).
 * BCC: XOR of every byte after SOH up to and including ETX/EOT.
 */
import { EOT, ETX, SOH, STX, ascii, concatBytes } from '../../core/bytes.ts';
import { firstNonPrintable, isDigit, isPrintable } from './ascii.ts';
import { appendBcc, xorBytes } from './bcc.ts';
import { Iec62056Error, bccMismatch, invalidField, unexpectedByte } from './errors.ts';

export type CommandId = 'P' | 'W' | 'R' | 'E' | 'B';
export const COMMAND_IDS: readonly CommandId[] = ['P', 'W', 'R', 'E', 'B'];

export interface CommandMessage {
  command: CommandId;
  /** Command type identifier, one digit `0`…`9`. */
  type: string;
  /** The data between STX and ETX/EOT; undefined for a message without STX (break). */
  data?: string;
  /** True when the data block ends with EOT (partial block); decoding always sets it. */
  partial?: boolean;
}

/**
 * Meanings of the command types the standard defines; other digits are reserved. R5/R6 and W5
 * are "national" types: VDEW/DIN meters use R5 to read (formatted, OBIS) and R6 to read with
 * partial blocks, e.g. `R5 P.01(;)` for a load profile.
 */
export const COMMAND_TYPES: Readonly<Record<string, string>> = Object.freeze({
  P0: 'data is operand for secure algorithm',
  P1: 'data is operand for comparison with internally held password',
  P2: 'data is result of secure algorithm',
  W1: 'write ASCII-coded data',
  W2: 'formatted communication coding method write',
  W3: 'write ASCII-coded with partial block',
  W4: 'formatted communication coding method write with partial block',
  W5: 'write, national use (VDEW: formatted, OBIS)',
  R1: 'read ASCII-coded data',
  R2: 'formatted communication coding method read',
  R3: 'read ASCII-coded with partial block',
  R4: 'formatted communication coding method read with partial block',
  R5: 'read, national use (VDEW: formatted, OBIS)',
  R6: 'read, national use (VDEW: formatted, OBIS, partial blocks)',
  E2: 'formatted communication coding method execute',
  B0: 'complete sign-off',
  B1: 'complete sign-off for battery operated devices using the fast wake-up method',
});

/** Meaning of a command type, or `reserved`. */
export function commandTypeName(command: CommandId, type: string): string {
  return COMMAND_TYPES[`${command}${type}`] ?? 'reserved';
}

function checkHeader(command: string, type: string): void {
  if (!(COMMAND_IDS as readonly string[]).includes(command)) throw invalidField(1, `command identifier ${JSON.stringify(command)} is not P, W, R, E or B`);
  if (type.length !== 1 || !isDigit(type.charCodeAt(0))) throw invalidField(2, `command type ${JSON.stringify(type)} is not a digit`);
}

/** SOH C D [STX data] ETX|EOT BCC; throws an Iec62056Error for a field outside the standard. */
export function encodeCommand(msg: CommandMessage): Uint8Array {
  checkHeader(msg.command, msg.type);
  const parts: Uint8Array[] = [Uint8Array.of(SOH), ascii(msg.command + msg.type)];
  if (msg.data !== undefined) {
    const bad = firstNonPrintable(msg.data, true);
    if (bad >= 0) throw invalidField(4 + bad, 'command data has a character that is not printable 7-bit ASCII');
    parts.push(Uint8Array.of(STX), ascii(msg.data));
  } else if (msg.partial) {
    throw invalidField(3, 'a partial block needs data');
  }
  parts.push(Uint8Array.of(msg.partial ? EOT : ETX));
  return appendBcc(concatBytes(parts));
}

/** The break message SOH B D ETX BCC (`B0`: complete sign-off). */
export function encodeBreak(type = '0'): Uint8Array {
  return encodeCommand({ command: 'B', type });
}

/** P command with a password operand: SOH P1 STX (password) ETX BCC. */
export function passwordCommand(password: string, type = '1'): CommandMessage {
  return { command: 'P', type, data: `(${password})` };
}

/** R command: SOH R1 STX address(argument) ETX BCC. */
export function readCommand(address: string, argument = '', type = '1'): CommandMessage {
  return { command: 'R', type, data: `${address}(${argument})` };
}

/** W command: SOH W1 STX address(value) ETX BCC. */
export function writeCommand(address: string, value: string, type = '1'): CommandMessage {
  return { command: 'W', type, data: `${address}(${value})` };
}

/** Decodes exactly one command message, BCC checked; offsets in errors are `base` + index. */
export function decodeCommand(bytes: Uint8Array, base = 0): CommandMessage {
  const state = 'command';
  if (bytes[0] !== SOH) throw unexpectedByte(base, bytes[0] ?? 0, state, 'SOH');
  const truncated = (i: number, what: string): Iec62056Error =>
    new Iec62056Error('truncated', base + i, `command message at offset ${base} ends before its ${what}`, { frameStart: base, state });
  if (bytes.length < 2) throw truncated(1, 'command identifier');
  const c = String.fromCharCode(bytes[1]!);
  if (!(COMMAND_IDS as readonly string[]).includes(c)) throw unexpectedByte(base + 1, bytes[1]!, state, 'a command identifier P, W, R, E or B');
  if (bytes.length < 3) throw truncated(2, 'command type');
  if (!isDigit(bytes[2]!)) throw unexpectedByte(base + 2, bytes[2]!, state, 'a command type digit');
  const msg: CommandMessage = { command: c as CommandId, type: String.fromCharCode(bytes[2]!) };
  let i = 3;
  if (i >= bytes.length) throw truncated(i, 'STX, ETX or EOT');
  if (bytes[i] === STX) {
    let data = '';
    for (i = 4; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b === ETX || b === EOT) break;
      if (!isPrintable(b) && b !== 0x0d && b !== 0x0a) throw unexpectedByte(base + i, b, state, 'a printable character, ETX or EOT');
      data += String.fromCharCode(b);
    }
    if (i >= bytes.length) throw truncated(i, 'ETX or EOT');
    msg.data = data;
  } else if (bytes[i] !== ETX && bytes[i] !== EOT) {
    throw unexpectedByte(base + i, bytes[i]!, state, 'STX, ETX or EOT');
  }
  msg.partial = bytes[i] === EOT;
  if (i + 1 >= bytes.length) throw truncated(i + 1, 'BCC');
  const computed = xorBytes(bytes, 1, i + 1);
  if (bytes[i + 1] !== computed) throw bccMismatch(base + i + 1, bytes[i + 1]!, computed, { frameStart: base, state });
  if (i + 2 !== bytes.length) throw unexpectedByte(base + i + 2, bytes[i + 2]!, state, 'the end of the message after the BCC');
  return msg;
}
