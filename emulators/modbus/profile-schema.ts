/**
 * The schema of a Modbus device model profile: one validated file per vendor model, read by one
 * device engine. `modbusProfileSchema` checks the shape and the cross-field rules; the
 * `ModbusProfile` type is what a successful parse returns. `profiles/README.md` explains every
 * field with examples.
 */
import { z } from 'zod';
import { InputError } from '../../core/errors.ts';
import { BAUD_RATES } from '../../lines/settings.ts';
import {
  closestQuantityNames, ioPointOf, isQuantityName, needsThreePhases, quantityInfo, relayStepOf,
  UNIT_FACTORS, type QuantityName,
} from './quantities.ts';

export const DEVICE_CLASSES = ['compensation-relay', 'energy-analyzer', 'io-module', 'sensor'] as const;
export const REGISTER_TABLES = ['holding', 'input', 'coil', 'discrete'] as const;
export const REGISTER_TYPES = ['bool', 'u16', 'i16', 'u32', 'i32', 'f32', 'u64'] as const;
/** Byte order of a value over its words: A is the most significant byte. See the README. */
export const WORD_ORDERS = ['ABCD', 'CDAB', 'BADC', 'DCBA'] as const;
/** Function codes a profile may declare (15, write multiple coils, besides the usual ones). */
export const MODBUS_FUNCTIONS = [1, 2, 3, 4, 5, 6, 15, 16, 17, 43] as const;
export const ADDRESS_RULES = ['fixed', 'serial-last-two-plus-100', 'menu'] as const;

export type DeviceClass = (typeof DEVICE_CLASSES)[number];
export type RegisterTable = (typeof REGISTER_TABLES)[number];
export type RegisterType = (typeof REGISTER_TYPES)[number];
export type WordOrder = (typeof WORD_ORDERS)[number];
export type ModbusFunction = (typeof MODBUS_FUNCTIONS)[number];

/** One document a map was taken from. */
export interface ProfileSourceDocument { title: string; version?: string | undefined; url?: string | undefined; covers?: string | undefined }
/** Where the map comes from; `public: false` needs `notes` saying how its shape was chosen. */
export interface ProfileSource { public: boolean; documents: ProfileSourceDocument[]; notes?: string | undefined }

/** How a device's Modbus address is chosen. */
export type AddressRule =
  | { rule: 'fixed'; default: number }
  | { rule: 'menu'; default: number; min: number; max: number }
  | { rule: 'serial-last-two-plus-100' };

/** Factory serial settings; Modbus RTU always uses 8 data bits. */
export interface SerialDefaults { baud: number; dataBits: 8; parity: 'none' | 'even' | 'odd'; stopBits: 1 | 2; address: AddressRule }

/** One mapped register (or coil/discrete input). Engineering value = raw × scale, in `unit`. */
export interface ModbusRegister {
  table: RegisterTable;
  /** 0-based protocol address (what goes in the request PDU), not the 30001/40001 number. */
  address: number;
  quantity: QuantityName;
  type: RegisterType;
  wordOrder: WordOrder;
  scale: number;
  /** Unit of raw × scale; defaults to the quantity's canonical unit. */
  unit: string;
  /** For a state packed in a u16: the bit (0 = least significant) that carries it. */
  bit?: number | undefined;
  writable: boolean;
  /** Allowed engineering values (for writes, and for what the engine may produce). */
  range?: { min: number; max: number } | undefined;
  /** Raw value → engineering value, for registers holding a code (baud rate 2 = 9600). */
  codes?: Record<string, number> | undefined;
  /** The vendor's name for the register. */
  label?: string | undefined;
  /** True when address, quantity, type and scale were read in the cited document (word order: see the profile's notes). */
  verified: boolean;
  note?: string | undefined;
}

export interface RelayBehaviour {
  steps: number;
  /** Rated power of each step, step 1 first. */
  stepKvar: number[];
  switchDelayS: number;
  dischargeTimeS: number;
  /** Signed cos φ (+ inductive); min is the most capacitive, max the most inductive target. */
  targetCosPhi: { default: number; min: number; max: number };
  /** Half-width of the dead band around the target, in cos φ. */
  band: number;
}
export interface AnalyzerBehaviour { phases: 1 | 3; hasThd: boolean; /** kWh per counter step. */ energyResolution: number }
export interface IoBehaviour { inputs: number; outputs: number }

interface ProfileBase {
  vendor: string;
  model: string;
  aliases: string[];
  source: ProfileSource;
  serial: SerialDefaults;
  /** Time from the end of a request to the start of the answer. */
  latencyMs: { min: number; max: number };
  functions: ModbusFunction[];
  identification?: { vendorName?: string | undefined; productCode?: string | undefined; revision?: string | undefined; serverIdHex?: string | undefined } | undefined;
  /** How a read that touches an address no register maps is answered. */
  unmapped: 'exception' | 'zero';
  limits: { maxReadRegisters: number; maxWriteRegisters: number; blockBoundary?: number | undefined };
  registers: ModbusRegister[];
}
export interface CompensationRelayProfile extends ProfileBase { class: 'compensation-relay'; relay: RelayBehaviour }
export interface EnergyAnalyzerProfile extends ProfileBase { class: 'energy-analyzer'; analyzer: AnalyzerBehaviour }
export interface IoModuleProfile extends ProfileBase { class: 'io-module'; io: IoBehaviour }
export interface SensorProfile extends ProfileBase { class: 'sensor' }
/** A validated Modbus device model profile. */
export type ModbusProfile = CompensationRelayProfile | EnergyAnalyzerProfile | IoModuleProfile | SensorProfile;

/** Words a value of `type` occupies (a bool occupies one coil or discrete input). */
export function registerWords(type: RegisterType): number {
  return type === 'u32' || type === 'i32' || type === 'f32' ? 2 : type === 'u64' ? 4 : 1;
}

const RAW_LIMITS: Record<RegisterType, [number, number]> = {
  bool: [0, 1], u16: [0, 0xffff], i16: [-0x8000, 0x7fff], u32: [0, 0xffffffff],
  i32: [-0x80000000, 0x7fffffff], f32: [-3.4028234663852886e38, 3.4028234663852886e38], u64: [0, 2 ** 64 - 1],
};

/** Phase angle in degrees of a signed cos φ: + inductive, − capacitive, 0 at unity. */
export function cosPhiAngleDeg(cosPhi: number): number {
  const deg = (Math.acos(Math.min(1, Math.abs(cosPhi))) * 180) / Math.PI;
  return cosPhi < 0 ? -deg : deg;
}

/**
 * The address a device answers on. `serial-last-two-plus-100` takes the last two decimal digits
 * of the serial number (non-digits ignored) and adds 100: serial …0347 → 147. Throws an
 * InputError when the rule needs a serial number with at least two digits and none is given.
 */
export function resolveModbusAddress(rule: AddressRule, serialNumber?: string): number {
  if (rule.rule !== 'serial-last-two-plus-100') return rule.default;
  const digits = (serialNumber ?? '').replace(/\D/g, '');
  if (digits.length < 2) {
    throw new InputError('modbus address', `rule serial-last-two-plus-100 needs a serial number with at least two digits; got '${serialNumber ?? ''}'`);
  }
  return Number(digits.slice(-2)) + 100;
}

const quantitySchema = z.string().transform((name, ctx) => {
  if (isQuantityName(name)) return name;
  ctx.addIssue({ code: 'custom', message: `unknown quantity '${name}'; expected a name from quantities.ts, closest: ${closestQuantityNames(name).join(', ')}` });
  return z.NEVER;
});

const num = z.number().refine(Number.isFinite, 'expected a finite number');
const nonEmpty = z.string().trim().min(1, 'expected a non-empty string');

const registerSchema = z
  .strictObject({
    table: z.enum(REGISTER_TABLES),
    address: z.number().int().min(0).max(0xffff),
    quantity: quantitySchema,
    type: z.enum(REGISTER_TYPES),
    wordOrder: z.enum(WORD_ORDERS).default('ABCD'),
    scale: num.refine((s) => s !== 0, 'expected a non-zero scale').default(1),
    unit: nonEmpty.optional(),
    bit: z.number().int().min(0).max(15).optional(),
    writable: z.boolean().default(false),
    range: z.strictObject({ min: num, max: num }).refine((r) => r.min <= r.max, 'expected min <= max').optional(),
    codes: z.record(z.string().regex(/^-?\d+(\.\d+)?$/, 'expected a raw numeric value as key'), num).optional(),
    label: z.string().optional(),
    verified: z.boolean().default(false),
    note: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    // Runs after non-fatal field issues too; skip what cannot be judged without a valid name and type.
    if (!isQuantityName(r.quantity) || !Object.hasOwn(RAW_LIMITS, r.type)) return;
    const issue = (path: string, message: string): void => { ctx.addIssue({ code: 'custom', path: [path], message }); };
    const info = quantityInfo(r.quantity);
    const bitTable = r.table === 'coil' || r.table === 'discrete';
    if (bitTable !== (r.type === 'bool')) {
      issue('type', bitTable ? `expected bool in a ${r.table} table; got ${r.type}` : `expected a word type in a ${r.table} table; bool belongs to coil or discrete`);
    }
    if (bitTable && info.kind !== 'state') issue('quantity', `expected an on/off quantity in a ${r.table} table; '${r.quantity}' is a ${info.kind}`);
    if (r.writable && (r.table === 'input' || r.table === 'discrete')) issue('writable', `the ${r.table} table is read-only; expected writable: false`);
    if (r.bit !== undefined) {
      if (r.type !== 'u16') issue('bit', `expected type u16 for a bit register; got ${r.type}`);
      if (info.kind !== 'state') issue('bit', `expected an on/off quantity for a bit register; '${r.quantity}' is a ${info.kind}`);
    }
    if (registerWords(r.type) === 1 && (r.wordOrder === 'CDAB' || r.wordOrder === 'DCBA')) {
      issue('wordOrder', `${r.wordOrder} swaps words, but ${r.type} has one word; expected ABCD or BADC`);
    }
    if (r.unit !== undefined && UNIT_FACTORS[info.unit][r.unit] === undefined) {
      issue('unit', `'${r.unit}' does not fit '${r.quantity}'; expected one of ${Object.keys(UNIT_FACTORS[info.unit]).join(', ')}`);
    }
    const [lo, hi] = RAW_LIMITS[r.type];
    if (r.codes) {
      for (const key of Object.keys(r.codes)) {
        const raw = Number(key);
        if (raw < lo || raw > hi || (r.type !== 'f32' && !Number.isInteger(raw))) issue('codes', `raw code ${key} does not fit type ${r.type} (${lo}…${hi})`);
      }
    } else if (r.range && r.type !== 'f32') {
      const a = r.range.min / r.scale;
      const b = r.range.max / r.scale;
      if (Math.min(a, b) < lo - 1e-9 || Math.max(a, b) > hi + 1e-9) {
        issue('range', `${r.range.min}…${r.range.max} at scale ${r.scale} needs raw ${Math.min(a, b)}…${Math.max(a, b)}, outside ${r.type} (${lo}…${hi})`);
      }
    }
  })
  .transform((r): ModbusRegister => ({ ...r, unit: r.unit ?? (isQuantityName(r.quantity) ? quantityInfo(r.quantity).unit : 'none') }));

const addressRuleSchema = z.discriminatedUnion('rule', [
  z.strictObject({ rule: z.literal('fixed'), default: z.number().int().min(1).max(247) }),
  z.strictObject({
    rule: z.literal('menu'),
    default: z.number().int().min(1).max(247),
    min: z.number().int().min(1).max(247).default(1),
    max: z.number().int().min(1).max(247).default(247),
  }).refine((a) => a.min <= a.default && a.default <= a.max, { message: 'expected min <= default <= max', path: ['default'] }),
  z.strictObject({ rule: z.literal('serial-last-two-plus-100') }),
]);

const baseShape = {
  vendor: nonEmpty,
  model: nonEmpty,
  aliases: z.array(nonEmpty).default([]),
  source: z
    .strictObject({
      public: z.boolean(),
      documents: z.array(z.strictObject({ title: nonEmpty, version: z.string().optional(), url: z.string().url().optional(), covers: z.string().optional() })).default([]),
      notes: z.string().optional(),
    })
    .superRefine((s, ctx) => {
      if (s.public && s.documents.length === 0) ctx.addIssue({ code: 'custom', path: ['documents'], message: 'a public map needs at least one document (title, version, url)' });
      if (!s.public && !s.notes?.trim()) ctx.addIssue({ code: 'custom', path: ['notes'], message: 'a map that is not public needs notes saying how its shape was chosen' });
    }),
  serial: z.strictObject({
    baud: z.number().int().refine((b) => (BAUD_RATES as readonly number[]).includes(b), `expected one of ${BAUD_RATES.join(', ')}`),
    dataBits: z.literal(8).default(8),
    parity: z.enum(['none', 'even', 'odd']),
    stopBits: z.union([z.literal(1), z.literal(2)]),
    address: addressRuleSchema,
  }),
  latencyMs: z.strictObject({ min: z.number().min(0), max: z.number().min(0) }).refine((l) => l.min <= l.max, { message: 'expected min <= max', path: ['max'] }),
  functions: z.array(z.union(MODBUS_FUNCTIONS.map((f) => z.literal(f)) as [z.ZodLiteral<ModbusFunction>, ...z.ZodLiteral<ModbusFunction>[]])).min(1),
  identification: z.strictObject({ vendorName: z.string().optional(), productCode: z.string().optional(), revision: z.string().optional(), serverIdHex: z.string().regex(/^([0-9a-fA-F]{2})+$/, 'expected hex bytes').optional() }).optional(),
  unmapped: z.enum(['exception', 'zero']).default('exception'),
  limits: z
    .strictObject({
      maxReadRegisters: z.number().int().min(1).max(125).default(125),
      maxWriteRegisters: z.number().int().min(1).max(123).default(123),
      blockBoundary: z.number().int().min(2).max(0xffff).optional(),
    })
    .default({ maxReadRegisters: 125, maxWriteRegisters: 123 }),
  registers: z.array(registerSchema).min(1),
};

const targetCosPhi = z.strictObject({ default: z.number().min(-1).max(1), min: z.number().min(-1).max(1), max: z.number().min(-1).max(1) });

const variants = z.discriminatedUnion('class', [
  z.strictObject({
    ...baseShape,
    class: z.literal('compensation-relay'),
    relay: z.strictObject({
      steps: z.number().int().min(1).max(20),
      stepKvar: z.array(z.number().positive()).min(1),
      switchDelayS: z.number().positive(),
      dischargeTimeS: z.number().min(0),
      targetCosPhi,
      band: z.number().positive().max(0.2),
    }),
  }),
  z.strictObject({
    ...baseShape,
    class: z.literal('energy-analyzer'),
    analyzer: z.strictObject({ phases: z.union([z.literal(1), z.literal(3)]), hasThd: z.boolean(), energyResolution: z.number().positive() }),
  }),
  z.strictObject({ ...baseShape, class: z.literal('io-module'), io: z.strictObject({ inputs: z.number().int().min(0).max(16), outputs: z.number().int().min(0).max(16) }) }),
  z.strictObject({ ...baseShape, class: z.literal('sensor') }),
]);

type Issue = { path: (string | number)[]; message: string };

/** Cross-field rules that need the whole profile; returns one issue per violation. */
export function crossFieldIssues(p: ModbusProfile): Issue[] {
  const issues: Issue[] = [];
  const at = (i: number, field: string, message: string): void => { issues.push({ path: ['registers', i, field], message }); };
  const describe = (r: ModbusRegister, i: number): string => {
    const end = r.address + (r.table === 'coil' || r.table === 'discrete' ? 1 : registerWords(r.type)) - 1;
    return `registers[${i}] (${r.quantity} at ${r.address}${end > r.address ? `…${end}` : ''}${r.bit !== undefined ? ` bit ${r.bit}` : ''})`;
  };
  const occupied = new Map<string, { index: number; bits: number }[]>();
  const seenQuantity = new Map<string, number>();
  const needs = new Set<number>();
  p.registers.forEach((r, i) => {
    const words = r.table === 'coil' || r.table === 'discrete' ? 1 : registerWords(r.type);
    const last = r.address + words - 1;
    if (last > 0xffff) at(i, 'address', `${r.type} at ${r.address} ends at ${last}, past the last address 65535`);
    const qKey = `${r.table}/${r.quantity}`;
    const prevQ = seenQuantity.get(qKey);
    if (prevQ !== undefined) at(i, 'quantity', `'${r.quantity}' is already mapped in the ${r.table} table by ${describe(p.registers[prevQ]!, prevQ)}; expected each quantity at most once per table`);
    else seenQuantity.set(qKey, i);
    const bits = r.bit === undefined ? 0xffff : 1 << r.bit;
    for (let a = r.address; a <= Math.min(last, 0xffff); a++) {
      const key = `${r.table}/${a}`;
      const list = occupied.get(key) ?? [];
      const clash = list.find((o) => (o.bits & bits) !== 0);
      if (clash) {
        at(i, 'address', `${describe(r, i)} overlaps ${describe(p.registers[clash.index]!, clash.index)} in the ${r.table} table`);
        break;
      }
      list.push({ index: i, bits });
      occupied.set(key, list);
    }
    const boundary = p.limits.blockBoundary;
    if (boundary && words > 1 && Math.floor(r.address / boundary) !== Math.floor(last / boundary)) {
      at(i, 'address', `${describe(r, i)} crosses the vendor's ${boundary}-register block boundary at ${Math.floor(last / boundary) * boundary}`);
    }
    if (words > p.limits.maxReadRegisters) at(i, 'type', `${r.type} needs ${words} registers, more than limits.maxReadRegisters (${p.limits.maxReadRegisters})`);
    needs.add({ holding: 3, input: 4, coil: 1, discrete: 2 }[r.table]);
    const domain = quantityInfo(r.quantity).domain;
    const allowed = domain === 'electrical' || domain === 'device' || ({ relay: 'compensation-relay', io: 'io-module', sensor: 'sensor' } as const)[domain] === p.class;
    if (!allowed) at(i, 'quantity', `'${r.quantity}' belongs to ${domain} devices; ${/^[aeiou]/.test(p.class) ? 'an' : 'a'} ${p.class} profile cannot map it`);
    if (p.class === 'compensation-relay') {
      const step = relayStepOf(r.quantity);
      if (step !== undefined && step > p.relay.steps) at(i, 'quantity', `'${r.quantity}' names step ${step}, but relay.steps is ${p.relay.steps}`);
    }
    if (p.class === 'energy-analyzer') {
      if (p.analyzer.phases === 1 && needsThreePhases(r.quantity)) at(i, 'quantity', `'${r.quantity}' needs three phases, but analyzer.phases is 1`);
      if (!p.analyzer.hasThd && r.quantity.startsWith('thd.')) at(i, 'quantity', `'${r.quantity}' is a THD value, but analyzer.hasThd is false`);
    }
    if (p.class === 'io-module') {
      const point = ioPointOf(r.quantity);
      const count = point?.dir === 'input' ? p.io.inputs : p.io.outputs;
      if (point && point.n > count) at(i, 'quantity', `'${r.quantity}' names ${point.dir} ${point.n}, but io.${point.dir}s is ${count}`);
    }
  });
  for (const [fc, what] of [[3, 'holding registers'], [4, 'input registers'], [1, 'coils'], [2, 'discrete inputs']] as const) {
    if (needs.has(fc) && !p.functions.includes(fc)) issues.push({ path: ['functions'], message: `the map has ${what}, so expected function ${fc} in functions` });
  }
  const writes = (table: RegisterTable): boolean => p.registers.some((r) => r.table === table && r.writable);
  if (writes('holding') && !p.functions.includes(6) && !p.functions.includes(16)) issues.push({ path: ['functions'], message: 'writable holding registers need function 6 or 16' });
  if (writes('coil') && !p.functions.includes(5) && !p.functions.includes(15)) issues.push({ path: ['functions'], message: 'writable coils need function 5 or 15' });
  const id = p.identification;
  if (p.functions.includes(43) && !(id?.vendorName && id.productCode && id.revision)) issues.push({ path: ['identification'], message: 'function 43 needs identification.vendorName, productCode and revision' });
  if (p.functions.includes(17) && !id?.serverIdHex) issues.push({ path: ['identification'], message: 'function 17 needs identification.serverIdHex' });
  if (p.class === 'compensation-relay') {
    const { relay } = p;
    if (relay.stepKvar.length !== relay.steps) issues.push({ path: ['relay', 'stepKvar'], message: `expected ${relay.steps} entries (one per step); got ${relay.stepKvar.length}` });
    const t = relay.targetCosPhi;
    for (const k of ['default', 'min', 'max'] as const) if (t[k] === 0) issues.push({ path: ['relay', 'targetCosPhi', k], message: 'expected a non-zero cos φ' });
    if (!(cosPhiAngleDeg(t.min) <= cosPhiAngleDeg(t.default) && cosPhiAngleDeg(t.default) <= cosPhiAngleDeg(t.max))) {
      issues.push({ path: ['relay', 'targetCosPhi'], message: `expected min (most capacitive) <= default <= max (most inductive) by phase angle; got ${t.min}, ${t.default}, ${t.max}` });
    }
  }
  return issues;
}

/**
 * The profile schema: shape, defaults and per-register rules first; `crossFieldIssues` runs only
 * on a profile whose shape is valid (a pipe stops at the first stage's issues).
 */
export const modbusProfileSchema: z.ZodType<ModbusProfile, unknown> = variants.pipe(
  z.custom<ModbusProfile>().superRefine((p, ctx) => {
    for (const issue of crossFieldIssues(p)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
  }),
) as unknown as z.ZodType<ModbusProfile, unknown>;

// Compile-time check: what the schema produces is a ModbusProfile (the line fails to compile otherwise).
const schemaOutputIsProfile: z.output<typeof variants> extends ModbusProfile ? true : never = true;
void schemaOutputIsProfile;
