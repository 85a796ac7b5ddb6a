/**
 * A profile's register map as the slave engine uses it: which quantity sits at which address, how
 * its engineering value becomes register words (unit, scale, codes, type, word order, a bit of a
 * u16) and back, and which reads and writes the map allows.
 *
 *   value (canonical unit) ─÷ unit factor─► register unit ─codes or ÷ scale─► raw ─type, order─► words
 *
 * Raw integers are rounded and held at the ends of their type's range (a real device saturates
 * a register rather than wrap a measurement). Reads of a multi-word value that start or end
 * inside it return the words of the whole value that fall in the range; writes must cover every
 * word of each value they touch.
 */
import { decodeRegisters, encodeRegisters, type DataTable, type RegisterType as CodecType, type WordOrder } from '../../protocols/modbus-rtu/index.ts';
import { registerWords, type ModbusProfile, type ModbusRegister, type RegisterTable, type RegisterType } from './profile-schema.ts';
import { unitFactor, type QuantityName } from './quantities.ts';

/** Supplies the value of a quantity in its canonical unit (undefined reads as zero). */
export type ValueSource = (name: QuantityName) => number | undefined;

/** One accepted write: the register and its new value in the quantity's canonical unit. */
export interface PlannedWrite {
  register: ModbusRegister;
  value: number;
}

/** A write the map refuses: exception 2 (address not writable) or 3 (value not allowed). */
export interface RefusedWrite {
  exception: 2 | 3;
  message: string;
}

export interface WordOptions {
  /** Word order of every multi-word value reversed (the "firmware update" fault). */
  swapWords?: boolean;
}

type WordSlot = { kind: 'word'; register: ModbusRegister; offset: number } | { kind: 'bits'; registers: ModbusRegister[] };

const CODEC_TYPE: Record<Exclude<RegisterType, 'bool'>, CodecType> = {
  u16: 'uint16', i16: 'int16', u32: 'uint32', i32: 'int32', f32: 'float32', u64: 'uint64',
};

const INT_LIMITS: Partial<Record<RegisterType, [number, number]>> = {
  u16: [0, 0xffff], i16: [-0x8000, 0x7fff], u32: [0, 0xffffffff], i32: [-0x80000000, 0x7fffffff], u64: [0, Number.MAX_SAFE_INTEGER],
};

const SWAPPED: Record<WordOrder, WordOrder> = { ABCD: 'CDAB', CDAB: 'ABCD', BADC: 'DCBA', DCBA: 'BADC' };

/** The codec table a profile table is. */
export const CODEC_TABLE: Record<RegisterTable, DataTable> = {
  holding: 'holdingRegisters', input: 'inputRegisters', coil: 'coils', discrete: 'discreteInputs',
};

function orderOf(r: ModbusRegister, o: WordOptions): WordOrder {
  return o.swapWords && registerWords(r.type) > 1 ? SWAPPED[r.wordOrder] : r.wordOrder;
}

/** Register words of an engineering value (canonical unit) for register `r`. */
export function encodeValue(r: ModbusRegister, value: number | undefined, options: WordOptions = {}): number[] {
  const n = registerWords(r.type);
  if (value === undefined || !Number.isFinite(value) || r.type === 'bool') return new Array<number>(n).fill(0);
  const inUnit = value / (unitFactor(r.quantity, r.unit) ?? 1);
  let raw: number | undefined;
  if (r.codes) {
    const hit = Object.entries(r.codes).find(([, v]) => Math.abs(v - inUnit) < 1e-9);
    raw = hit ? Number(hit[0]) : undefined;
  }
  raw ??= inUnit / r.scale;
  const type = CODEC_TYPE[r.type];
  if (r.type === 'f32') return encodeRegisters(raw, type, orderOf(r, options));
  const [lo, hi] = INT_LIMITS[r.type]!;
  const clamped = Math.min(hi, Math.max(lo, Math.round(raw)));
  return encodeRegisters(r.type === 'u64' ? BigInt(clamped) : clamped, type, orderOf(r, options));
}

/**
 * The engineering value (canonical unit) that words `words` write into register `r`, or the
 * reason it is refused (exception 3: a code the register does not have, outside `range`, not a number).
 */
export function decodeValue(r: ModbusRegister, words: readonly number[], options: WordOptions = {}): number | RefusedWrite {
  const raw = Number(decodeRegisters(words, CODEC_TYPE[r.type as Exclude<RegisterType, 'bool'>], orderOf(r, options)));
  let inUnit: number;
  if (r.codes) {
    const v = r.codes[String(raw)];
    if (v === undefined) return { exception: 3, message: `${r.quantity}: raw ${raw} is not one of the codes ${Object.keys(r.codes).join(', ')}` };
    inUnit = v;
  } else inUnit = Number((raw * r.scale).toPrecision(12)); // 950 × 0.001 is 0.95, not 0.9500000000000001
  if (!Number.isFinite(inUnit)) return { exception: 3, message: `${r.quantity}: ${raw} is not a number` };
  if (r.range && (inUnit < r.range.min - 1e-9 || inUnit > r.range.max + 1e-9)) {
    return { exception: 3, message: `${r.quantity}: ${inUnit} ${r.unit} is outside ${r.range.min}…${r.range.max}` };
  }
  return inUnit * (unitFactor(r.quantity, r.unit) ?? 1);
}

export class RegisterMap {
  private readonly words: Record<'holding' | 'input', Map<number, WordSlot>> = { holding: new Map(), input: new Map() };
  private readonly bits: Record<'coil' | 'discrete', Map<number, ModbusRegister>> = { coil: new Map(), discrete: new Map() };
  private readonly zeroGaps: boolean;

  constructor(readonly profile: ModbusProfile) {
    this.zeroGaps = profile.unmapped === 'zero';
    for (const r of profile.registers) {
      if (r.table === 'coil' || r.table === 'discrete') {
        this.bits[r.table].set(r.address, r);
        continue;
      }
      const map = this.words[r.table];
      if (r.bit !== undefined) {
        const slot = map.get(r.address);
        if (slot?.kind === 'bits') slot.registers.push(r);
        else map.set(r.address, { kind: 'bits', registers: [r] });
        continue;
      }
      for (let i = 0; i < registerWords(r.type); i++) map.set(r.address + i, { kind: 'word', register: r, offset: i });
    }
  }

  /**
   * True when a read of `quantity` items from `address` may be answered: every address is mapped,
   * or (profile `unmapped: zero`) at least one is.
   */
  canRead(table: RegisterTable, address: number, quantity: number): boolean {
    const has = (a: number): boolean => (table === 'coil' || table === 'discrete' ? this.bits[table].has(a) : this.words[table].has(a));
    let any = false;
    for (let a = address; a < address + quantity; a++) {
      if (has(a)) any = true;
      else if (!this.zeroGaps) return false;
    }
    return any;
  }

  /** Words of a register read; unmapped addresses read zero. */
  readWords(table: 'holding' | 'input', address: number, quantity: number, source: ValueSource, options: WordOptions = {}): number[] {
    const cache = new Map<ModbusRegister, number[]>();
    const out: number[] = [];
    for (let a = address; a < address + quantity; a++) {
      const slot = this.words[table].get(a);
      if (!slot) out.push(0);
      else if (slot.kind === 'bits') {
        out.push(slot.registers.reduce((w, r) => ((source(r.quantity) ?? 0) !== 0 ? w | (1 << r.bit!) : w), 0));
      } else {
        let words = cache.get(slot.register);
        if (!words) {
          words = encodeValue(slot.register, source(slot.register.quantity), options);
          cache.set(slot.register, words);
        }
        out.push(words[slot.offset]!);
      }
    }
    return out;
  }

  /** States of a coil or discrete input read; unmapped addresses read OFF. */
  readBits(table: 'coil' | 'discrete', address: number, quantity: number, source: ValueSource): boolean[] {
    const out: boolean[] = [];
    for (let a = address; a < address + quantity; a++) {
      const r = this.bits[table].get(a);
      out.push(r !== undefined && (source(r.quantity) ?? 0) !== 0);
    }
    return out;
  }

  /** Checks a holding-register write and returns what to apply, or why it is refused. */
  planWordWrite(address: number, values: readonly number[], options: WordOptions = {}): PlannedWrite[] | RefusedWrite {
    const out: PlannedWrite[] = [];
    const end = address + values.length;
    for (let a = address; a < end; ) {
      const slot = this.words.holding.get(a);
      if (!slot) return { exception: 2, message: `holding register ${a} is not mapped` };
      if (slot.kind === 'bits') {
        const readOnly = slot.registers.find((r) => !r.writable);
        if (readOnly) return { exception: 2, message: `holding register ${a} holds read-only ${readOnly.quantity}` };
        for (const r of slot.registers) out.push({ register: r, value: (values[a - address]! >> r.bit!) & 1 });
        a++;
        continue;
      }
      const r = slot.register;
      const n = registerWords(r.type);
      if (!r.writable) return { exception: 2, message: `holding register ${a} (${r.quantity}) is read-only` };
      if (r.address < address || r.address + n > end) {
        return { exception: 2, message: `${r.quantity} takes registers ${r.address}…${r.address + n - 1}; a write must cover all of them` };
      }
      const v = decodeValue(r, values.slice(r.address - address, r.address - address + n), options);
      if (typeof v !== 'number') return v;
      out.push({ register: r, value: v });
      a = r.address + n;
    }
    return out;
  }

  /** Checks a coil write and returns what to apply, or why it is refused. */
  planBitWrite(address: number, values: readonly boolean[]): PlannedWrite[] | RefusedWrite {
    const out: PlannedWrite[] = [];
    for (let i = 0; i < values.length; i++) {
      const r = this.bits.coil.get(address + i);
      if (!r) return { exception: 2, message: `coil ${address + i} is not mapped` };
      if (!r.writable) return { exception: 2, message: `coil ${address + i} (${r.quantity}) is read-only` };
      out.push({ register: r, value: values[i] ? 1 : 0 });
    }
    return out;
  }
}
