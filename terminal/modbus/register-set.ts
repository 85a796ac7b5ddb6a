/**
 * A register set: what the terminal reads from one device model of one device type, and how it
 * turns the words into values. One validated YAML file per model under `device-types/<type>/`,
 * citing the vendor map it follows. The terminal's own data: it does not share files with the
 * emulated devices, only the vendor documents both follow.
 */
import * as z from 'zod';
import { MODBUS_DEVICE_TYPES } from '../../protocols/uplink/modbus-config.ts';

export const READ_TABLES = ['holding', 'input', 'coil', 'discrete'] as const;
export type ReadTable = (typeof READ_TABLES)[number];

export const VALUE_TYPES = ['bool', 'u16', 'i16', 'u32', 'i32', 'f32', 'u64', 'i64'] as const;
export type ValueType = (typeof VALUE_TYPES)[number];

/** Largest quantities of one read request (Modbus application protocol V1.1b3, 6.1 to 6.4). */
export const MAX_READ_REGISTERS = 125;
export const MAX_READ_BITS = 2000;

const WORDS: Readonly<Record<ValueType, number>> = { bool: 1, u16: 1, i16: 1, u32: 2, i32: 2, f32: 2, u64: 4, i64: 4 };

/** Registers (or bits) a value occupies. */
export function widthOf(type: ValueType): number {
  return WORDS[type];
}

const name = z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)*$/, { error: 'expected a dotted quantity name such as voltage.l1' }).max(64);

const valueSchema = z.strictObject({
  /** Quantity name as the record carries it (`voltage.l1`, `relay.steps.mask`). */
  name,
  table: z.enum(READ_TABLES),
  /** 0-based protocol address (holding "40011" is 10). */
  address: z.number().int().min(0).max(0xffff),
  type: z.enum(VALUE_TYPES),
  wordOrder: z.enum(['ABCD', 'CDAB', 'BADC', 'DCBA']).default('ABCD'),
  /** value = raw × scale. */
  scale: z.number().refine((s) => Number.isFinite(s) && s !== 0, { error: 'expected a finite scale other than 0' }).default(1),
  unit: z.string().min(1).max(16).optional(),
  /** An on/off value packed in bit 0..15 of a u16 register. */
  bit: z.number().int().min(0).max(15).optional(),
  note: z.string().optional(),
});

const documentSchema = z.strictObject({ title: z.string().min(1), version: z.string().optional(), url: z.string().url().optional(), covers: z.string().optional() });

export const RegisterSetSchema = z
  .strictObject({
    type: z.enum(MODBUS_DEVICE_TYPES),
    vendor: z.string().min(1).max(32),
    model: z.string().min(1).max(48),
    aliases: z.array(z.string().min(1)).default([]),
    /** The type's register set when the cloud names no model (one per type). */
    default: z.boolean().default(false),
    source: z.strictObject({ public: z.boolean(), documents: z.array(documentSchema).min(1), notes: z.string().optional() }),
    limits: z
      .strictObject({
        /** The device's own cap on registers per read (≤ 125). */
        maxReadRegisters: z.number().int().min(1).max(MAX_READ_REGISTERS).default(MAX_READ_REGISTERS),
        maxReadBits: z.number().int().min(1).max(MAX_READ_BITS).default(MAX_READ_BITS),
        /**
         * Largest hole (registers or bits not in this set) read over to join two ranges into one
         * request. 0: only adjacent ranges join. Set it above 0 only for a device that answers
         * reads over unmapped addresses (its map says so).
         */
        mergeGap: z.number().int().min(0).max(MAX_READ_REGISTERS - 1).default(0),
      })
      .default({ maxReadRegisters: MAX_READ_REGISTERS, maxReadBits: MAX_READ_BITS, mergeGap: 0 }),
    values: z.array(valueSchema).min(1),
  })
  .superRefine((s, ctx) => {
    const names = new Map<string, number>();
    const used = new Map<string, { i: number; bit: boolean }>();
    s.values.forEach((v, i) => {
      const at = (field: string, message: string) => ctx.addIssue({ code: 'custom', path: ['values', i, field], message });
      const bits = v.table === 'coil' || v.table === 'discrete';
      if (bits !== (v.type === 'bool')) at('type', bits ? `a ${v.table} holds bool values` : `bool values live in coil or discrete tables, not ${v.table}`);
      if (v.bit !== undefined && v.type !== 'u16' && v.type !== 'i16') at('bit', 'a bit is taken from a u16 or i16 register');
      if (widthOf(v.type) === 1 && (v.wordOrder === 'CDAB' || v.wordOrder === 'DCBA')) at('wordOrder', 'a one-register value has no word order: ABCD or BADC (bytes swapped)');
      const width = widthOf(v.type);
      if (v.address + width > 0x10000) at('address', `${v.name} runs past address 65535`);
      const first = names.get(v.name);
      if (first !== undefined) at('name', `${v.name} is already read by values[${first}]`);
      else names.set(v.name, i);
      for (let a = v.address; a < v.address + width; a++) {
        const key = `${v.table}/${a}`;
        const other = used.get(key);
        if (other && !(other.bit && v.bit !== undefined)) at('address', `${v.table} ${a} is already taken by values[${other.i}]`);
        else used.set(key, { i, bit: v.bit !== undefined });
      }
    });
    const maxTable = (t: ReadTable) => (t === 'coil' || t === 'discrete' ? s.limits.maxReadBits : s.limits.maxReadRegisters);
    s.values.forEach((v, i) => {
      if (widthOf(v.type) > maxTable(v.table)) ctx.addIssue({ code: 'custom', path: ['values', i, 'type'], message: `${v.type} is wider than maxReadRegisters ${s.limits.maxReadRegisters}` });
    });
    if (!s.source.public && !s.source.notes) ctx.addIssue({ code: 'custom', path: ['source', 'notes'], message: 'a map that is not public needs notes saying how its shape was chosen' });
  });

export type RegisterSet = z.output<typeof RegisterSetSchema>;
export type RegisterValue = RegisterSet['values'][number];

/** `Grup Arge Screenless compensation relay`: the name a record carries in `model`. */
export function registerSetName(s: Pick<RegisterSet, 'vendor' | 'model'>): string {
  return `${s.vendor} ${s.model}`;
}
