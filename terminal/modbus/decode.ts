/**
 * Values out of a read block's answer: type, word order, bit and scale as the register set says.
 *
 * value = raw × scale, rounded to the scale's decimals (0.1 → one decimal, 0.001 → three) so
 * that 2301 × 0.1 reads 230.1, not 230.10000000000002. A float32 keeps 7 significant digits
 * (what the format holds). A value that is not a finite number (a float32 NaN or infinity) is
 * left out and named in `skipped`.
 */
import { decodeRegisters, type RegisterType } from '../../protocols/modbus-rtu/index.ts';
import type { ModbusReadingValue } from '../../protocols/uplink/records.ts';
import type { ReadBlock } from './plan.ts';
import type { RegisterValue, ValueType } from './register-set.ts';

const CODEC_TYPE: Readonly<Record<Exclude<ValueType, 'bool'>, RegisterType>> = {
  u16: 'uint16', i16: 'int16', u32: 'uint32', i32: 'int32', f32: 'float32', u64: 'uint64', i64: 'int64',
};

/** Decimal places a scale carries: 0.1 → 1, 0.25 → 2, 10 → 0. */
export function scaleDecimals(scale: number): number {
  const [mantissa, exp] = Math.abs(scale).toExponential().split('e') as [string, string];
  const frac = mantissa.includes('.') ? mantissa.split('.')[1]!.length : 0;
  return Math.min(15, Math.max(0, frac - Number(exp)));
}

/** The engineering value of one register-table entry from `words` (the block's registers from its start). */
export function wordValue(v: RegisterValue, words: readonly number[], offset: number): number {
  if (v.type === 'bool') throw new TypeError(`${v.name} is a bit, not a register value`);
  if (v.bit !== undefined) return (words[offset]! >> v.bit) & 1;
  const raw = decodeRegisters(words, CODEC_TYPE[v.type], v.wordOrder, offset);
  if (v.type === 'f32') return Number((Number(raw) * v.scale).toPrecision(7));
  const value = Number(raw) * v.scale;
  return v.scale === 1 ? value : Number(value.toFixed(scaleDecimals(v.scale)));
}

/** The values of a block from its answer (registers or bits, as many as the request asked). */
export function decodeBlock(block: ReadBlock, answer: readonly number[] | readonly boolean[]): { values: ModbusReadingValue[]; skipped: string[] } {
  const values: ModbusReadingValue[] = [];
  const skipped: string[] = [];
  const start = block.request.address;
  for (const v of block.values) {
    let value: number;
    if (v.type === 'bool') value = (answer as readonly boolean[])[v.address - start] ? 1 : 0;
    else value = wordValue(v, answer as readonly number[], v.address - start);
    if (!Number.isFinite(value)) {
      skipped.push(v.name);
      continue;
    }
    values.push(v.unit === undefined ? { name: v.name, value } : { name: v.name, value, unit: v.unit });
  }
  return { values, skipped };
}
