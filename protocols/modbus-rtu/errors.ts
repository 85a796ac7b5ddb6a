import { InputError } from '../../core/errors.ts';

/** What is wrong with a frame or a value, for code that reacts to the kind of fault. */
export type ModbusErrorReason =
  | 'too-short' // fewer bytes than the smallest frame or field
  | 'too-long' // more than the 256-byte ADU or 253-byte PDU
  | 'crc' // the CRC does not match the bytes
  | 'address' // a slave address outside 0..247 (or 0 where a reply is expected)
  | 'function' // a function code this codec does not handle
  | 'length' // the byte count does not match the function's layout
  | 'value' // a field holds a value the standard forbids
  | 'mismatch'; // a response that does not answer the request it was matched against

/**
 * The one error type of the Modbus RTU codec. `offset` is the byte offset in the frame (or in the
 * PDU when a bare PDU was decoded) where the fault sits; `detail` is the message without the
 * `Modbus RTU: ` prefix. When the function code is known, `fn` holds it and `slave` the address.
 */
export class ModbusError extends InputError {
  readonly reason: ModbusErrorReason;
  readonly offset: number | undefined;
  readonly detail: string;
  readonly fn: number | undefined;
  readonly slave: number | undefined;

  constructor(
    reason: ModbusErrorReason,
    detail: string,
    at: { offset?: number; fn?: number; slave?: number } = {},
  ) {
    super('Modbus RTU', detail);
    this.reason = reason;
    this.detail = detail;
    this.offset = at.offset;
    this.fn = at.fn;
    this.slave = at.slave;
  }

  /** A copy of this error that also names the slave address of the frame it came from. */
  withSlave(slave: number): ModbusError {
    return new ModbusError(this.reason, this.detail, { offset: this.offset, fn: this.fn, slave });
  }
}

/** `0x2b`: two lowercase hex digits. */
export function hex2(n: number): string {
  return `0x${n.toString(16).padStart(2, '0')}`;
}

/** `0x006b`: four lowercase hex digits. */
export function hex4(n: number): string {
  return `0x${n.toString(16).padStart(4, '0')}`;
}
