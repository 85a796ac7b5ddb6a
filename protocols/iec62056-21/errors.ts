/**
 * The one error type of the IEC 62056-21 codec. Every decoding problem names the byte offset
 * (in the stream, or in the buffer handed to a single-message decoder) and what was expected.
 */
import { InputError } from '../../core/errors.ts';
import { byteLabel } from './ascii.ts';
import type { Frame } from './frames.ts';

/** What went wrong, for code that reacts differently (a terminal sends NAK on `bcc-mismatch`). */
export type Iec62056ErrorKind =
  | 'bcc-mismatch'
  | 'unexpected-byte'
  | 'missing-crlf'
  | 'line-too-long'
  | 'frame-too-long'
  | 'parity-bit'
  | 'skipped-bytes'
  | 'invalid-field'
  | 'truncated';

/** Extra facts carried by some kinds; all offsets are absolute in the same coordinates as `offset`. */
export interface Iec62056ErrorDetails {
  /** Decoder state when the problem was seen (`identification`, `data-body`, …). */
  state?: string;
  /** The offending byte, for `unexpected-byte`, `missing-crlf` and `parity-bit`. */
  byte?: number;
  /** BCC received, for `bcc-mismatch`. */
  got?: number;
  /** BCC computed over the received bytes, for `bcc-mismatch`. */
  computed?: number;
  /** Number of bytes concerned (`skipped-bytes`, `line-too-long`, `frame-too-long`). */
  length?: number;
  /** Offset of the first byte of the frame the problem belongs to. */
  frameStart?: number;
  /** The frame as it would have been decoded had its BCC matched (`bcc-mismatch` only). */
  candidate?: Frame;
}

/** A precise decoding or encoding error: kind, offset and a message that says both. */
export class Iec62056Error extends InputError {
  readonly kind: Iec62056ErrorKind;
  readonly offset: number;
  readonly details: Iec62056ErrorDetails;
  constructor(kind: Iec62056ErrorKind, offset: number, message: string, details: Iec62056ErrorDetails = {}, where = 'IEC 62056-21') {
    super(where, message);
    this.kind = kind;
    this.offset = offset;
    this.details = details;
  }
}

/** `BCC mismatch at offset 812: got 0x3a, computed 0x1f`. */
export function bccMismatch(offset: number, got: number, computed: number, details: Iec62056ErrorDetails = {}): Iec62056Error {
  return new Iec62056Error('bcc-mismatch', offset, `BCC mismatch at offset ${offset}: got ${hex2(got)}, computed ${hex2(computed)}`, {
    ...details,
    got,
    computed,
  });
}

/** `unexpected byte 0x02 <STX> at offset 17 in state identification: expected CR`. */
export function unexpectedByte(offset: number, byte: number, state: string, expected: string, details: Iec62056ErrorDetails = {}): Iec62056Error {
  return new Iec62056Error(
    'unexpected-byte',
    offset,
    `unexpected byte ${byteLabel(byte)} at offset ${offset} in state ${state}: expected ${expected}`,
    { ...details, state, byte },
  );
}

/** A field that is syntactically framed but breaks a rule of the standard (length, character set). */
export function invalidField(offset: number, message: string, details: Iec62056ErrorDetails = {}): Iec62056Error {
  return new Iec62056Error('invalid-field', offset, `${message} (at offset ${offset})`, details);
}

export function hex2(b: number): string {
  return `0x${b.toString(16).padStart(2, '0')}`;
}
