/** Field readers and writers shared by the PDU codecs: big-endian 16-bit fields, packed bits. */

import { ModbusError } from './errors.ts';

/**
 * Reads fields from `bytes[start..end)` and throws a `length` ModbusError naming the offset and
 * the field when the bytes run out. Offsets in errors are `base + index`, so a PDU read out of a
 * frame reports frame offsets.
 */
export class Cursor {
  private pos: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly what: string,
    private readonly base = 0,
    private readonly fn?: number,
  ) {
    this.pos = 0;
  }

  /** Frame offset of the next byte. */
  get offset(): number {
    return this.base + this.pos;
  }

  get remaining(): number {
    return this.bytes.length - this.pos;
  }

  u8(field: string): number {
    this.need(1, field);
    return this.bytes[this.pos++]!;
  }

  u16(field: string): number {
    this.need(2, field);
    const v = (this.bytes[this.pos]! << 8) | this.bytes[this.pos + 1]!;
    this.pos += 2;
    return v;
  }

  take(n: number, field: string): Uint8Array {
    this.need(n, field);
    const out = this.bytes.slice(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** Throws when bytes are left over. */
  end(): void {
    if (this.pos !== this.bytes.length) {
      const extra = this.bytes.length - this.pos;
      throw new ModbusError('length', `${this.what} has ${extra} byte${extra === 1 ? '' : 's'} more than its layout at offset ${this.offset}`, at(this.offset, this.fn));
    }
  }

  private need(n: number, field: string): void {
    if (this.pos + n > this.bytes.length) {
      const have = this.bytes.length - this.pos;
      throw new ModbusError('length', `${this.what} ends at offset ${this.offset}: expected ${field} (${n} byte${n === 1 ? '' : 's'}), ${have} left`, at(this.offset, this.fn));
    }
  }
}

function at(offset: number, fn: number | undefined): { offset: number; fn?: number } {
  return fn === undefined ? { offset } : { offset, fn };
}

/** Appends bytes while building a PDU. */
export class Builder {
  private readonly out: number[] = [];

  u8(v: number): this {
    this.out.push(v & 0xff);
    return this;
  }

  u16(v: number): this {
    this.out.push((v >>> 8) & 0xff, v & 0xff);
    return this;
  }

  bytes(b: Uint8Array): this {
    for (const x of b) this.out.push(x);
    return this;
  }

  build(): Uint8Array {
    return Uint8Array.from(this.out);
  }
}

/** Packs bits as Modbus does: first value in the least significant bit of the first byte, zero padded. */
export function packBits(values: readonly boolean[]): Uint8Array {
  const out = new Uint8Array(Math.ceil(values.length / 8));
  for (let i = 0; i < values.length; i++) if (values[i]) out[i >> 3]! |= 1 << (i & 7);
  return out;
}

/** The first `count` bits of `bytes`, least significant bit of the first byte first. */
export function unpackBits(bytes: Uint8Array, count = bytes.length * 8): boolean[] {
  const n = Math.min(count, bytes.length * 8);
  const out: boolean[] = new Array<boolean>(n);
  for (let i = 0; i < n; i++) out[i] = ((bytes[i >> 3]! >> (i & 7)) & 1) === 1;
  return out;
}

/** Big-endian 16-bit values of `bytes` (a trailing odd byte is ignored). */
export function unpackRegisters(bytes: Uint8Array): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < bytes.length; i += 2) out.push((bytes[i]! << 8) | bytes[i + 1]!);
  return out;
}

/** Checks that `v` is an integer in `lo..hi`; throws a `value` ModbusError naming the field. */
export function checkInt(v: number, lo: number, hi: number, field: string, fn?: number): void {
  if (!Number.isInteger(v) || v < lo || v > hi) {
    throw new ModbusError('value', `${field} ${String(v)} is outside ${lo}..${hi}`, fn === undefined ? {} : { fn });
  }
}
