/**
 * The one error type of the USB configuration codec. Every problem names where it sits: the
 * byte offset in the line or stream, the field when one is at fault, and what was expected.
 */
import { InputError } from '../../core/errors.ts';

/** What is wrong, for code that reacts to the kind of fault (the `code` of an ERR answer). */
export type UsbConfigErrorReason =
  | 'too-long' // a line longer than the limit without its LF
  | 'syntax' // a byte or token that breaks the line grammar
  | 'checksum' // the CRC-16 does not match the line's bytes
  | 'unknown-command' // a verb this protocol version does not define
  | 'invalid-field'; // a field missing, unknown, repeated, or its value out of range

/** Where a fault sits; each part only when known. */
export interface UsbConfigErrorAt {
  /** Byte offset of the fault (in the line, or the stream when a base was given). */
  offset?: number;
  /** Name of the faulty field (`gateway`). */
  field?: string;
  /** Sequence number of the line, once the line was read far enough to know it. */
  seq?: number;
  /** Verb of the line (`WRITE-NET`), once read. */
  verb?: string;
}

/**
 * `problem` says what is wrong; for a field fault it does not say where
 * (`10.0.0.1 is outside 192.168.1.0/24`) and `detail` adds the place
 * (`field 'gateway' at offset 41: …`); for a line fault the problem names the offset itself
 * (`CRC mismatch at offset 30: got 0x1234, computed 0xabcd`) and `detail` is the same text.
 * The message is `usb-config: ` followed by `detail`.
 */
export class UsbConfigError extends InputError {
  readonly reason: UsbConfigErrorReason;
  readonly problem: string;
  readonly detail: string;
  readonly offset: number | undefined;
  readonly field: string | undefined;
  seq: number | undefined;
  verb: string | undefined;

  constructor(reason: UsbConfigErrorReason, problem: string, at: UsbConfigErrorAt = {}) {
    const detail = place(at) + problem;
    super('usb-config', detail);
    this.reason = reason;
    this.problem = problem;
    this.detail = detail;
    this.offset = at.offset;
    this.field = at.field;
    this.seq = at.seq;
    this.verb = at.verb;
  }
}

function place(at: UsbConfigErrorAt): string {
  if (at.field !== undefined && at.offset !== undefined) return `field '${at.field}' at offset ${at.offset}: `;
  if (at.field !== undefined) return `field '${at.field}': `;
  return ''; // without a field, the problem text itself names the offset
}

/** `0x3a` */
export function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** `0x1f2e` */
export function hex4(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}
