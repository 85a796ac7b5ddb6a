/**
 * The one error type of the uplink codec. Every problem names where it sits: the byte offset in
 * the stream (framing faults) or the field of a message (payload faults), and what was expected.
 */
import { InputError } from '../../core/errors.ts';

/** What is wrong, for code that reacts to the kind of fault. */
export type UplinkErrorReason =
  | 'bad-magic' // bytes that do not start with 'HT' (skipped while hunting for the next frame)
  | 'bad-version' // a header with a protocol version this codec does not speak
  | 'unknown-type' // a header with a message type code this version does not define
  | 'oversize' // a header announcing a payload longer than the limit
  | 'crc-mismatch' // the CRC-32 does not match the frame's bytes
  | 'bad-payload' // the payload is not UTF-8 JSON holding an object
  | 'invalid-field'; // a field is missing, of the wrong type, or out of range

/**
 * `offset` is the absolute stream offset of the fault (or of the frame's first byte for payload
 * faults), `field` the dotted path of the faulty field (`values[2].address`), `detail` the
 * message without the `uplink: ` prefix.
 */
export class UplinkError extends InputError {
  readonly reason: UplinkErrorReason;
  readonly offset: number | undefined;
  readonly field: string | undefined;
  readonly detail: string;

  constructor(reason: UplinkErrorReason, detail: string, at: { offset?: number; field?: string } = {}) {
    super('uplink', detail);
    this.reason = reason;
    this.detail = detail;
    this.offset = at.offset;
    this.field = at.field;
  }
}

/** `0x3a` */
export function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** `0x1f2e3d4c` */
export function hex8(n: number): string {
  return `0x${(n >>> 0).toString(16).padStart(8, '0')}`;
}

/** `values[2].address` from a zod-style path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out ? `.${String(p)}` : String(p);
  }
  return out;
}
