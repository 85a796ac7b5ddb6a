/**
 * Data messages, meter → master (IEC 62056-21 6.3.4, 6.3.5, 6.3.7):
 *
 *   readout (modes A–E):          STX data-block `!` CR LF ETX BCC
 *   programming mode answer:      STX data ETX BCC
 *   programming mode partial:     STX data EOT BCC
 *   error message:                STX `(` error text `)` ETX BCC
 *
 * The BCC is the XOR of every byte after STX up to and including ETX/EOT. The error text is 32
 * printable characters maximum, without `(`, `)`, `*`, `/` and `!`. On the line an error
 * message and a programming-mode answer without an address look alike; only the context (what
 * was asked) tells them apart: `parseErrorMessage` applies the syntax, not the meaning.
 */
import { EOT, ETX, STX, ascii, concatBytes } from '../../core/bytes.ts';
import { firstNonPrintable, isPrintable } from './ascii.ts';
import { appendBcc, xorBytes } from './bcc.ts';
import { formatDataBlock, type DataSet } from './data-set.ts';
import { Iec62056Error, bccMismatch, invalidField, unexpectedByte } from './errors.ts';

/** `!` CR LF that closes the data block of a readout. */
export const READOUT_END = '!\r\n';
export const MAX_ERROR_TEXT_LENGTH = 32;

export interface ReadoutMessage {
  /** Data lines, each ending with CR LF, without the closing `!` CR LF. */
  block: string;
}

export interface DataMessage {
  /** Text between STX and ETX/EOT. */
  text: string;
  /** True when the block ends with EOT: more blocks follow. */
  partial: boolean;
}

function checkBody(text: string, what: string, allowCrLf: boolean): void {
  const bad = firstNonPrintable(text, allowCrLf);
  if (bad >= 0) throw invalidField(1 + bad, `${what} has a character 0x${text.charCodeAt(bad).toString(16).padStart(2, '0')} that is not printable 7-bit ASCII`);
}

/**
 * STX block `!` CR LF ETX BCC. `block` is either formatted lines (each ending with CR LF) or
 * data sets per line.
 */
export function encodeReadout(block: string | readonly (readonly DataSet[])[]): Uint8Array {
  const text = typeof block === 'string' ? block : formatDataBlock(block);
  checkBody(text, 'data block', true);
  if (text.length > 0 && !text.endsWith('\r\n')) throw invalidField(1 + text.length, 'data block must end with CR LF');
  if (text.includes('!')) throw invalidField(1 + text.indexOf('!'), "data block must not contain '!' (it ends the block)");
  return appendBcc(concatBytes([Uint8Array.of(STX), ascii(text + READOUT_END), Uint8Array.of(ETX)]));
}

/** STX text ETX|EOT BCC. */
export function encodeDataMessage(msg: DataMessage): Uint8Array {
  checkBody(msg.text, 'data message', true);
  return appendBcc(concatBytes([Uint8Array.of(STX), ascii(msg.text), Uint8Array.of(msg.partial ? EOT : ETX)]));
}

/** STX `(text)` ETX BCC. */
export function encodeErrorMessage(text: string): Uint8Array {
  if (text.length > MAX_ERROR_TEXT_LENGTH) throw invalidField(2, `error message is ${text.length} characters; at most ${MAX_ERROR_TEXT_LENGTH}`);
  const bad = text.search(/[()*/!]/);
  if (bad >= 0) throw invalidField(2 + bad, `error message character ${JSON.stringify(text[bad])} is not allowed`);
  checkBody(text, 'error message', false);
  return encodeDataMessage({ text: `(${text})`, partial: false });
}

/** The error text when `text` is shaped like an error message (`(…)`, ≤ 32 allowed characters). */
export function parseErrorMessage(text: string): string | undefined {
  const m = /^\(([^()*/!]{0,32})\)$/.exec(text);
  return m ? m[1] : undefined;
}

interface Framed {
  text: string;
  end: number;
}

/** Checks STX … ETX|EOT BCC and returns the text; offsets in errors are `base` + index. */
function unframe(bytes: Uint8Array, base: number, state: string): Framed {
  if (bytes[0] !== STX) throw unexpectedByte(base, bytes[0] ?? 0, state, 'STX');
  let i = 1;
  let text = '';
  for (; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === ETX || b === EOT) break;
    if (!isPrintable(b) && b !== 0x0d && b !== 0x0a) throw unexpectedByte(base + i, b, state, 'a printable character, CR, LF, ETX or EOT');
    text += String.fromCharCode(b);
  }
  if (i >= bytes.length) throw new Iec62056Error('truncated', base + i, `message at offset ${base} has no ETX or EOT`, { frameStart: base, state });
  if (i + 1 >= bytes.length) throw new Iec62056Error('truncated', base + i + 1, `message at offset ${base} has no BCC after its ${bytes[i] === ETX ? 'ETX' : 'EOT'}`, { frameStart: base, state });
  const computed = xorBytes(bytes, 1, i + 1);
  const got = bytes[i + 1]!;
  if (got !== computed) throw bccMismatch(base + i + 1, got, computed, { frameStart: base, state });
  if (i + 2 !== bytes.length) throw unexpectedByte(base + i + 2, bytes[i + 2]!, state, 'the end of the message after the BCC');
  return { text, end: bytes[i]! };
}

/** Decodes STX block `!` CR LF ETX BCC, BCC checked. */
export function decodeReadout(bytes: Uint8Array, base = 0): ReadoutMessage {
  const { text, end } = unframe(bytes, base, 'readout');
  if (end !== ETX) throw unexpectedByte(base + 1 + text.length, end, 'readout', 'ETX (a readout is one block)');
  if (!text.endsWith(READOUT_END)) throw invalidField(base + 1 + text.length, "data block of a readout does not end with '!' CR LF");
  return { block: text.slice(0, text.length - READOUT_END.length) };
}

/** Decodes STX text ETX|EOT BCC, BCC checked. */
export function decodeDataMessage(bytes: Uint8Array, base = 0): DataMessage {
  const { text, end } = unframe(bytes, base, 'data');
  return { text, partial: end === EOT };
}
