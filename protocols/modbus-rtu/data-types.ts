/**
 * Values spread over 16-bit registers, as device register maps describe them.
 *
 * Byte order names follow the usual register-map notation for a 32-bit value whose big-endian
 * bytes are A B C D (A most significant):
 *   ABCD  high word first, bytes as sent       regs [AB, CD]   (Modbus "big endian")
 *   CDAB  low word first                       regs [CD, AB]   (word swap)
 *   BADC  high word first, bytes swapped       regs [BA, DC]   (byte swap)
 *   DCBA  low word first, bytes swapped        regs [DC, BA]   (little endian)
 * 16-bit types only see the byte swap (BADC, DCBA); 64-bit types reverse all four words for
 * the word-swapped orders.
 */

import { InputError } from '../../core/errors.ts';

/** How a value is stored: 16-bit types in 1 register, 32-bit in 2, 64-bit in 4. */
export type RegisterType = 'uint16' | 'int16' | 'uint32' | 'int32' | 'float32' | 'uint64' | 'int64';
/** Byte and word order of a multi-byte value, named by where bytes A B C D (big-endian) end up. */
export type WordOrder = 'ABCD' | 'CDAB' | 'BADC' | 'DCBA';

/** All register types, for validation of register maps. */
export const REGISTER_TYPES: readonly RegisterType[] = Object.freeze(['uint16', 'int16', 'uint32', 'int32', 'float32', 'uint64', 'int64']);
/** All word orders, for validation of register maps. */
export const WORD_ORDERS: readonly WordOrder[] = Object.freeze(['ABCD', 'CDAB', 'BADC', 'DCBA']);

type BigType = 'uint64' | 'int64';
type SmallType = Exclude<RegisterType, BigType>;

const WHERE = 'register value';

/** How many registers a type takes: 1, 2 or 4. */
export function registerCount(type: RegisterType): 1 | 2 | 4 {
  return type.endsWith('16') ? 1 : type.endsWith('32') ? 2 : 4;
}

function wordSwap(order: WordOrder): boolean {
  return order === 'CDAB' || order === 'DCBA';
}

function byteSwap(order: WordOrder): boolean {
  return order === 'BADC' || order === 'DCBA';
}

/** Registers (in wire order) → big-endian bytes of the value. */
function toBytes(regs: readonly number[], offset: number, n: number, order: WordOrder): DataView {
  const view = new DataView(new ArrayBuffer(2 * n));
  for (let i = 0; i < n; i++) {
    const r = regs[offset + i];
    if (r === undefined) throw new InputError(WHERE, `needs ${n} registers from index ${offset}, only ${regs.length - offset} there`);
    if (!Number.isInteger(r) || r < 0 || r > 0xffff) throw new InputError(WHERE, `register at index ${offset + i} is ${String(r)}, not 0..65535`);
    const word = byteSwap(order) ? ((r & 0xff) << 8) | (r >>> 8) : r;
    view.setUint16(2 * (wordSwap(order) ? n - 1 - i : i), word);
  }
  return view;
}

/** Big-endian bytes of the value → registers in wire order. */
function fromBytes(view: DataView, n: number, order: WordOrder): number[] {
  const regs: number[] = new Array<number>(n);
  for (let i = 0; i < n; i++) {
    const word = view.getUint16(2 * (wordSwap(order) ? n - 1 - i : i));
    regs[i] = byteSwap(order) ? ((word & 0xff) << 8) | (word >>> 8) : word;
  }
  return regs;
}

/**
 * Reads one value of `type` from `regs[offset…]`. 64-bit types come back as bigint, the rest as
 * number. Throws an InputError when registers are missing or not 0..65535.
 */
export function decodeRegisters(regs: readonly number[], type: BigType, order?: WordOrder, offset?: number): bigint;
export function decodeRegisters(regs: readonly number[], type: SmallType, order?: WordOrder, offset?: number): number;
export function decodeRegisters(regs: readonly number[], type: RegisterType, order?: WordOrder, offset?: number): number | bigint;
export function decodeRegisters(regs: readonly number[], type: RegisterType, order: WordOrder = 'ABCD', offset = 0): number | bigint {
  const v = toBytes(regs, offset, registerCount(type), order);
  switch (type) {
    case 'uint16': return v.getUint16(0);
    case 'int16': return v.getInt16(0);
    case 'uint32': return v.getUint32(0);
    case 'int32': return v.getInt32(0);
    case 'float32': return v.getFloat32(0);
    case 'uint64': return v.getBigUint64(0);
    case 'int64': return v.getBigInt64(0);
  }
}

const INT_RANGE: Readonly<Record<SmallType, readonly [number, number]>> = {
  uint16: [0, 0xffff],
  int16: [-0x8000, 0x7fff],
  uint32: [0, 0xffffffff],
  int32: [-0x80000000, 0x7fffffff],
  float32: [-Infinity, Infinity],
};

const BIG_RANGE: Readonly<Record<BigType, readonly [bigint, bigint]>> = {
  uint64: [0n, 0xffffffffffffffffn],
  int64: [-0x8000000000000000n, 0x7fffffffffffffffn],
};

/**
 * Registers (wire order) holding `value` as `type`. Integer types need an integer in range
 * (a bigint or a safe integer for 64-bit types); float32 rounds to single precision. Throws an
 * InputError naming the value and range otherwise.
 */
export function encodeRegisters(value: number | bigint, type: RegisterType, order: WordOrder = 'ABCD'): number[] {
  const n = registerCount(type);
  const view = new DataView(new ArrayBuffer(2 * n));
  if (type === 'uint64' || type === 'int64') {
    if (typeof value === 'number' && !Number.isSafeInteger(value)) throw new InputError(WHERE, `${value} is not a safe integer for ${type}; pass a bigint`);
    const big = BigInt(value);
    const [lo, hi] = BIG_RANGE[type];
    if (big < lo || big > hi) throw new InputError(WHERE, `${big} is outside ${type} (${lo}..${hi})`);
    if (type === 'uint64') view.setBigUint64(0, big);
    else view.setBigInt64(0, big);
    return fromBytes(view, n, order);
  }
  const num = Number(value);
  if (type === 'float32') {
    view.setFloat32(0, num);
    return fromBytes(view, n, order);
  }
  const [lo, hi] = INT_RANGE[type];
  if (!Number.isInteger(num) || num < lo || num > hi) throw new InputError(WHERE, `${String(value)} is not an integer in ${type} (${lo}..${hi})`);
  switch (type) {
    case 'uint16': view.setUint16(0, num); break;
    case 'int16': view.setInt16(0, num); break;
    case 'uint32': view.setUint32(0, num); break;
    case 'int32': view.setInt32(0, num); break;
  }
  return fromBytes(view, n, order);
}

/** A register map entry's encoding: type, order (default ABCD) and scale (default 1). */
export interface ValueSpec {
  type: RegisterType;
  order?: WordOrder;
  /** engineering value = raw * scale (e.g. 0.1 for a register in tenths). */
  scale?: number;
}

/** Engineering value of the entry at `regs[offset…]`: raw * scale (64-bit raws become numbers). */
export function readValue(regs: readonly number[], spec: ValueSpec, offset = 0): number {
  const raw = decodeRegisters(regs, spec.type, spec.order ?? 'ABCD', offset);
  return Number(raw) * (spec.scale ?? 1);
}

/**
 * Registers for an engineering value: raw = value / scale, rounded to the nearest integer for
 * integer types. Throws an InputError when the raw value is out of the type's range or the scale
 * is zero or not finite.
 */
export function writeValue(value: number, spec: ValueSpec): number[] {
  const scale = spec.scale ?? 1;
  if (!Number.isFinite(scale) || scale === 0) throw new InputError(WHERE, `scale ${scale} must be finite and not 0`);
  const raw = value / scale;
  if (spec.type === 'float32') return encodeRegisters(raw, 'float32', spec.order ?? 'ABCD');
  if (!Number.isFinite(raw)) throw new InputError(WHERE, `${value} / scale ${scale} is not finite`);
  const rounded = Math.round(raw);
  if (spec.type === 'uint64' || spec.type === 'int64') {
    if (!Number.isSafeInteger(rounded)) throw new InputError(WHERE, `${value} / scale ${scale} = ${rounded} is beyond exact integers; encode a bigint with encodeRegisters`);
    return encodeRegisters(BigInt(rounded), spec.type, spec.order ?? 'ABCD');
  }
  return encodeRegisters(rounded, spec.type, spec.order ?? 'ABCD');
}
