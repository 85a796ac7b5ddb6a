/**
 * Schema of a meter brand profile: what an emulated IEC 62056-21 meter of one brand and model
 * says and how (identification, baud rate, reaction time, addressing, readout lines and their
 * number formats, programming mode, load profile, quirks). A profile is data; one engine reads all.
 *
 * Cross-field rules checked here (beyond field types):
 * - `fastReaction` is true exactly when the third FLAG letter is lower case (IEC 62056-21: a lower
 *   case third letter announces a 20 ms minimum reaction time instead of 200 ms);
 * - `reactionTimeMs` lies within 20 (fast) or 200 .. 1500 ms, min <= max;
 * - `maxBaud` is a mode C rate (300..19200), protocol mode C is always supported;
 * - the identification is printable, has no `/` or `!`, and shows at most 16 characters once
 *   `\W` enhanced-identification pairs are removed and `{serial}` is replaced by the example serial;
 * - every readout line is bound to a known quantity with a format that fits its value, or is fixed;
 *   printed units are spellings of the quantity's unit; OBIS codes (with history lines) are unique;
 * - the address policy agrees with the ports, and an address taken from the serial needs a
 *   readout line for `meter.serial`.
 */
import * as z from 'zod';
import { closestQuantityNames, isQuantityName, quantityDef } from './quantities.ts';
import type { QuantityName, QuantityValue } from './quantities.ts';

/** Mode C baud rates in the order of the identification's baud character `0`..`6`. */
export const MODE_C_BAUD_RATES = [300, 600, 1200, 2400, 4800, 9600, 19200] as const;
export type ModeCBaud = (typeof MODE_C_BAUD_RATES)[number];

/** The identification message's baud character for a mode C maximum rate (`'5'` for 9600). */
export function baudCharacter(baud: ModeCBaud): string {
  return String(MODE_C_BAUD_RATES.indexOf(baud));
}

export const DATE_PATTERNS = ['YY-MM-DD', 'YYMMDD', '0YYMMDD', 'DD-MM-YY'] as const;
export const TIME_PATTERNS = ['hh:mm:ss', 'hhmmss', '0hhmmss', 'hh:mm'] as const;
export const DATETIME_PATTERNS = ['YY-MM-DD,hh:mm', 'YY-MM-DD,hh:mm:ss', 'YYMMDDhhmm', 'YYMMDDhhmmss', '0YYMMDDhhmmss'] as const;
export const INTERVAL_PATTERNS = ['YY-MM-DD,hh:mm,YY-MM-DD,hh:mm'] as const;

/** Data set address as printed before `(`: `[A-B:]C.D[.E][*F|&F]`, C may be a letter (C, F, P). */
const OBIS_RE = /^(?:\d{1,3}-\d{1,3}:)?[0-9A-Z]{1,3}(?:\.[0-9A-Z]{1,3}){0,2}(?:[*&]\d{1,3})?$/;
const FIXED_RE = /^[\x20-\x27\x2a-\x7e]*$/; // printable, no parentheses

function intRange(min: number, max: number) {
  const error = `expected a whole number ${min}..${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
}
function text(what: string, max = 200) {
  const error = `expected ${what}`;
  return z.string({ error }).min(1, { error }).max(max, { error });
}
function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.enum(values, { error: `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}` });
}

const OBIS_ERROR = 'expected an OBIS code as text such as "1.8.0", "F.F" or "1.8.1*1" (quote codes like \'96.70\' in YAML)';
const Obis = z.string({ error: OBIS_ERROR }).regex(OBIS_RE, { error: OBIS_ERROR });

const Quantity = z.custom<QuantityName>((v) => isQuantityName(v), {
  error: (iss) => {
    const got = iss.input;
    if (typeof got !== 'string') return `expected a quantity name from quantities.ts, got ${describe(got)}`;
    const near = closestQuantityNames(got);
    return `unknown quantity ${JSON.stringify(got)}; the vocabulary is closed (quantities.ts)` +
      (near.length > 0 ? `; did you mean ${near.map((n) => JSON.stringify(n)).join(' or ')}?` : '');
  },
});

const NumberFormat = z.strictObject({
  kind: z.literal('number'),
  /** Digits before the decimal point, zero-padded. */
  integer: intRange(1, 12),
  /** Digits after the decimal point; 0 prints no point. */
  decimals: intRange(0, 8),
  /** `leading`: one sign position, `+`, `-`, or a space for zero (Turkish power factor lines). */
  sign: oneOf(['none', 'leading']).default('none'),
});
const HexFormat = z.strictObject({ kind: z.literal('hex'), digits: intRange(1, 16) });
const TextFormat = z.strictObject({ kind: z.literal('text'), maxLength: intRange(1, 128) });
const DateFormat = z.strictObject({ kind: z.literal('date'), pattern: oneOf(DATE_PATTERNS) });
const TimeFormat = z.strictObject({ kind: z.literal('time'), pattern: oneOf(TIME_PATTERNS) });
const DateTimeFormat = z.strictObject({ kind: z.literal('datetime'), pattern: oneOf(DATETIME_PATTERNS) });
const IntervalFormat = z.strictObject({ kind: z.literal('interval'), pattern: oneOf(INTERVAL_PATTERNS) });

/** A value format; an object without `kind` is a number format (`{ integer: 6, decimals: 3 }`). */
export const FormatSchema = z.preprocess(
  (v) => (v !== null && typeof v === 'object' && !Array.isArray(v) && !('kind' in v) ? { kind: 'number', ...v } : v),
  z.discriminatedUnion('kind', [NumberFormat, HexFormat, TextFormat, DateFormat, TimeFormat, DateTimeFormat, IntervalFormat], {
    error: 'expected a format: { integer, decimals } or { kind: hex|text|date|time|datetime|interval, ... }',
  }),
);
export type ValueFormat = z.output<typeof FormatSchema>;

/** Which format kinds can render a value of each shape. */
const FORMATS_FOR: Record<QuantityValue, readonly ValueFormat['kind'][]> = {
  number: ['number'],
  text: ['text', 'hex'],
  date: ['date'],
  time: ['time'],
  datetime: ['datetime'],
  interval: ['interval'],
};

const Fixed = z.union([
  z.string().regex(FIXED_RE, { error: 'expected printable text without parentheses' }),
  z.array(z.string().regex(FIXED_RE, { error: 'expected printable text without parentheses' })).min(1),
], { error: 'expected printable text without parentheses, or a list of them (one per bracket group)' });

/** A further bracket group after the main value, e.g. the time stamp of a max demand. */
const ExtraSchema = z.strictObject({
  quantity: Quantity.optional(),
  format: FormatSchema.optional(),
  unit: text('a unit as printed, e.g. "kWh"', 12).optional(),
  fixed: Fixed.optional(),
});

/**
 * Older values printed right after the line: `1.8.0*1`, `1.8.0*2`, ... (previous billing periods,
 * or the entries of an event log). `back-index`: 1 is the most recent. `reset-counter`: the suffix
 * is the billing reset counter of that period (Landis+Gyr ZMD, Elster AS3000), modulo `modulo`
 * (0 printed as `modulo`), `digits` wide. `base: false` prints only the suffixed lines
 * (`0.1.2*1`..`*12`). `quantity` + `format` bind the suffixed lines to another quantity, e.g. the
 * count `96.77.4(02)` followed by the log `96.77.4*1(start,end)`.
 */
const HistorySchema = z.strictObject({
  count: intRange(1, 99),
  base: z.boolean({ error: 'expected true or false' }).default(true),
  quantity: Quantity.optional(),
  format: FormatSchema.optional(),
  numbering: oneOf(['back-index', 'reset-counter']).default('back-index'),
  digits: intRange(1, 2).default(1),
  modulo: intRange(1, 99).optional(),
  /** Whether history lines repeat the `*unit`. */
  unit: z.boolean({ error: 'expected true or false' }).default(true),
  /** Whether history lines repeat the extra groups (max demand time stamps). */
  extra: z.boolean({ error: 'expected true or false' }).default(true),
});

/** One data line of the readout: bound to a quantity, or fixed text. */
export const ReadoutLineSchema = z.strictObject({
  obis: Obis,
  quantity: Quantity.optional(),
  format: FormatSchema.optional(),
  /** Unit exactly as the meter prints it (`kVArh`, `kvarh`); omit when printed without unit. */
  unit: text('a unit as printed, e.g. "kWh"', 12).optional(),
  extra: z.array(ExtraSchema).optional(),
  history: HistorySchema.optional(),
  /** Raw content of the bracket group(s) for lines the engine does not compute. */
  fixed: Fixed.optional(),
  note: text('a note').optional(),
});
export type ReadoutLine = z.output<typeof ReadoutLineSchema>;

const LoadProfileChannelSchema = z.strictObject({
  code: Obis,
  quantity: Quantity,
  unit: text('a unit as printed, e.g. "kWh"', 12).optional(),
  format: FormatSchema,
});

const LoadProfileSchema = z.strictObject({
  supported: z.boolean({ error: 'expected true or false' }),
  obis: z.string().regex(/^P\.\d{2}$/, { error: 'expected a profile code such as "P.01"' }).optional(),
  periodMin: z.literal([1, 5, 10, 15, 30, 60], { error: 'expected one of 1, 5, 10, 15, 30, 60' }).optional(),
  /** How the request's `(from;to)` is written. */
  requestPattern: oneOf(['YY-MM-DD,hh:mm', 'YYMMDDhhmm', '0YYMMDDhhmm']).optional(),
  channels: z.array(LoadProfileChannelSchema).optional(),
  /** Each entry starts with a status word (EMH/Elster style). */
  statusWord: z.boolean({ error: 'expected true or false' }).default(false),
});

const ProgrammingSchema = z.strictObject({
  /** Default P1 password; see `passwordOrigin`. */
  passwordP1: z.string().regex(/^[\x20-\x27\x2a-\x7e]{1,32}$/, { error: 'expected 1..32 printable characters' }).optional(),
  passwordOrigin: oneOf(['documented', 'assumed']).optional(),
  passwordCommand: oneOf(['P1', 'P2']).default('P1'),
  readCommand: oneOf(['R1', 'R2', 'R5', 'R6']).default('R1'),
  writeCommand: oneOf(['W1', 'W2', 'W5']).default('W1'),
  readable: z.array(Obis).default([]),
  writable: z.array(Obis).default([]),
  /** Programming is locked after `attempts` wrong passwords for `minutes`. */
  lockout: z.strictObject({ attempts: intRange(1, 10), minutes: intRange(1, 1440) }).optional(),
});

/** Behaviours outside the standard's defaults, switched on per profile. Unknown names fail. */
const QuirksSchema = z.strictObject({
  /** Without an acknowledgement within this time the meter sends its readout at the start rate. */
  autoReadoutAfterMs: intRange(1500, 10000).optional(),
  /** Request characters other than `?` that select further readout tables (`/1!`, `/2!`, ...). */
  requestTables: z.array(z.string().regex(/^[0-9A-Z]$/, { error: 'expected one character 0-9 or A-Z' })).min(1).optional(),
});

const MeterProfileBase = z.strictObject({
  brand: text('the brand name, e.g. "Landis+Gyr"', 40),
  /** Other spellings findMeterProfile accepts (e.g. "Landis", "Kohler"). */
  aliases: z.array(text('a brand alias', 40)).default([]),
  model: text('the model name, e.g. "ZMD310"', 40),
  firmware: z.strictObject({ min: text('a firmware version', 20).optional(), max: text('a firmware version', 20).optional() }).optional(),
  /** Where the facts come from: document titles, URLs, repository paths. */
  source: z.array(text('a source: document title, URL or repository path', 400), { error: 'expected a list of sources' })
    .min(1, { error: 'expected at least one source' }),
  /** Manufacturer FLAG id exactly as sent; a lower case third letter means fast reaction. */
  flag: z.string({ error: 'expected a 3-letter FLAG id such as "LGZ"' }).regex(/^[A-Z]{2}[A-Za-z]$/, { error: 'expected a 3-letter FLAG id such as "LGZ"' }),
  fastReaction: z.boolean({ error: 'expected true or false' }),
  /** Everything after `/XXXZ` up to CR LF; may contain `\W` pairs and `{serial}`. */
  identification: z.string({ error: 'expected the identification text after "/XXXZ"' }).min(1, { error: 'expected the identification text after "/XXXZ"' }),
  serialNumber: z.strictObject({
    /** Regular expression a serial of this model matches. */
    pattern: text('a regular expression for the serial', 100),
    example: text('an example serial', 32),
  }),
  maxBaud: z.literal(MODE_C_BAUD_RATES, { error: `expected a mode C baud rate: ${MODE_C_BAUD_RATES.join(', ')}` }),
  reactionTimeMs: z.strictObject({ min: intRange(20, 1500), max: intRange(20, 1500) }),
  protocolModes: z.array(oneOf(['A', 'B', 'C', 'D', 'E'])).min(1),
  ports: z.strictObject({
    optical: z.boolean({ error: 'expected true or false' }),
    rs232: z.boolean({ error: 'expected true or false' }),
    rs485: intRange(0, 2),
  }),
  address: z.strictObject({
    /** When a request must carry the device address: never, on RS-485 only, or always. */
    required: oneOf(['never', 'rs485', 'always']),
    /** `serial`: the address is the serial number; `custom`: a separately programmed address. */
    source: oneOf(['serial', 'custom']),
    /** Text put before the serial in the request (`/?MSY80099921!`). */
    prefix: z.string().regex(/^[A-Z]{1,4}$/, { error: 'expected 1..4 upper case letters' }).optional(),
    /** Whether the meter answers a request without address (`/?!`) while on a bus. */
    answersWithoutAddress: z.boolean({ error: 'expected true or false' }),
  }),
  /** The optical probe path echoes the request back (half duplex probes). */
  opticalEcho: z.boolean({ error: 'expected true or false' }),
  readout: z.array(ReadoutLineSchema, { error: 'expected a list of readout lines' }).min(1, { error: 'expected at least one readout line' }),
  programming: ProgrammingSchema,
  loadProfile: LoadProfileSchema,
  quirks: QuirksSchema.default({}),
  notes: z.array(text('a note', 400)).default([]),
});

/** The profile schema: field types plus the cross-field rules listed at the top of this file. */
export const MeterProfileSchema = MeterProfileBase.superRefine(checkProfile);

/** A validated meter profile. */
export type MeterProfile = z.output<typeof MeterProfileSchema>;

type Ctx = z.RefinementCtx;
type Path = (string | number)[];

function issue(ctx: Ctx, path: Path, message: string): void {
  ctx.addIssue({ code: 'custom', path, message });
}

function describe(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'string') return JSON.stringify(v);
  if (Array.isArray(v)) return 'a list';
  if (v !== null && typeof v === 'object') return 'a mapping';
  return String(v);
}

function checkProfile(p: z.output<typeof MeterProfileBase>, ctx: Ctx): void {
  const fastByFlag = /[a-z]$/.test(p.flag);
  if (p.fastReaction !== fastByFlag) {
    issue(ctx, ['fastReaction'], `expected ${fastByFlag} because FLAG "${p.flag}" has a ${fastByFlag ? 'lower' : 'upper'} case third letter, got ${p.fastReaction}`);
  }
  const minReaction = fastByFlag ? 20 : 200;
  if (p.reactionTimeMs.min < minReaction) {
    issue(ctx, ['reactionTimeMs', 'min'], `expected at least ${minReaction} ms (${fastByFlag ? 'fast' : 'normal'} reaction), got ${p.reactionTimeMs.min}`);
  }
  if (p.reactionTimeMs.min > p.reactionTimeMs.max) {
    issue(ctx, ['reactionTimeMs', 'max'], `expected at least min (${p.reactionTimeMs.min} ms), got ${p.reactionTimeMs.max}`);
  }
  if (!p.protocolModes.includes('C')) issue(ctx, ['protocolModes'], `expected mode C among the modes, got ${JSON.stringify(p.protocolModes)}`);
  if (new Set(p.protocolModes).size !== p.protocolModes.length) issue(ctx, ['protocolModes'], 'expected each mode once');

  let serialRe: RegExp | undefined;
  try {
    serialRe = new RegExp(`^(?:${p.serialNumber.pattern})$`);
  } catch (err) {
    issue(ctx, ['serialNumber', 'pattern'], `expected a valid regular expression, got ${JSON.stringify(p.serialNumber.pattern)} (${(err as Error).message})`);
  }
  if (serialRe && !serialRe.test(p.serialNumber.example)) {
    issue(ctx, ['serialNumber', 'example'], `expected a serial matching /${p.serialNumber.pattern}/, got ${JSON.stringify(p.serialNumber.example)}`);
  }
  checkIdentification(p.identification, p.serialNumber.example, ctx);

  if (!p.ports.optical && !p.ports.rs232 && p.ports.rs485 === 0) issue(ctx, ['ports'], 'expected at least one port');
  if (p.opticalEcho && !p.ports.optical) issue(ctx, ['opticalEcho'], 'expected false: the profile has no optical port');
  const a = p.address;
  if (a.required === 'rs485' && p.ports.rs485 === 0) issue(ctx, ['address', 'required'], 'expected "never" or "always": the profile has no RS-485 port, got "rs485"');
  if (a.required === 'always' && a.answersWithoutAddress) issue(ctx, ['address', 'answersWithoutAddress'], 'expected false: the address is required on every port, got true');
  if (a.required === 'never' && !a.answersWithoutAddress) issue(ctx, ['address', 'answersWithoutAddress'], 'expected true: the address is never required, got false');
  const readout = p.readout;
  if (a.source === 'serial' && !readout.some((l) => l.quantity === 'meter.serial')) {
    issue(ctx, ['address', 'source'], 'expected a readout line with quantity "meter.serial" for an address taken from the serial');
  }

  const seen = new Map<string, number>();
  readout.forEach((line, i) => {
    checkLine(line, ['readout', i], ctx);
    for (const code of expandObis(line)) {
      const first = seen.get(code);
      if (first !== undefined) issue(ctx, ['readout', i, 'obis'], `expected each OBIS code once, got "${code}" again (first at readout[${first}])`);
      else seen.set(code, i);
    }
  });

  const lp = p.loadProfile;
  if (lp.supported) {
    for (const key of ['obis', 'periodMin', 'channels'] as const) {
      if (lp[key] === undefined) issue(ctx, ['loadProfile', key], `expected a value when loadProfile.supported is true, got nothing`);
    }
    const codes = new Set<string>();
    (lp.channels ?? []).forEach((ch, i) => {
      checkBinding(ch.quantity, ch.format, ch.unit, ['loadProfile', 'channels', i], ctx);
      if (codes.has(ch.code)) issue(ctx, ['loadProfile', 'channels', i, 'code'], `expected each channel code once, got "${ch.code}" again`);
      codes.add(ch.code);
    });
    if (lp.channels !== undefined && lp.channels.length === 0) issue(ctx, ['loadProfile', 'channels'], 'expected at least one channel');
  }
  const pr = p.programming;
  if (pr.passwordP1 !== undefined && pr.passwordOrigin === undefined) {
    issue(ctx, ['programming', 'passwordOrigin'], 'expected "documented" or "assumed" for the default password, got nothing');
  }
  for (const key of ['readable', 'writable'] as const) {
    const list = pr[key];
    if (new Set(list).size !== list.length) issue(ctx, ['programming', key], 'expected each OBIS code once');
  }
}

function checkIdentification(ident: string, serialExample: string, ctx: Ctx): void {
  for (let i = 0; i < ident.length; i++) {
    const c = ident.charCodeAt(i);
    if (c < 0x20 || c > 0x7e || ident[i] === '/' || ident[i] === '!') {
      issue(ctx, ['identification'], `expected printable characters other than "/" and "!", got ${JSON.stringify(ident[i])} at position ${i}`);
      return;
    }
  }
  if (/\\$/.test(ident.replace(/\\./g, ''))) {
    issue(ctx, ['identification'], 'expected a character after every "\\" (enhanced identification "\\W")');
    return;
  }
  const visible = ident.replace(/\\./g, '').replaceAll('{serial}', serialExample);
  if (visible.length > 16) {
    issue(ctx, ['identification'], `expected at most 16 characters besides "\\W" pairs (IEC 62056-21), got ${visible.length} in ${JSON.stringify(visible)}`);
  }
}

function checkLine(line: ReadoutLine, path: Path, ctx: Ctx): void {
  const bound = line.quantity !== undefined || line.format !== undefined;
  if (line.fixed !== undefined && bound) {
    issue(ctx, path, 'expected either quantity + format or fixed, got both');
    return;
  }
  if (line.fixed !== undefined) {
    for (const key of ['unit', 'extra', 'history'] as const) {
      if (line[key] !== undefined) issue(ctx, [...path, key], 'expected nothing on a fixed line');
    }
    return;
  }
  if (line.quantity === undefined) issue(ctx, [...path, 'quantity'], 'expected a quantity (or fixed text), got nothing');
  if (line.format === undefined) issue(ctx, [...path, 'format'], 'expected a format, got nothing');
  if (line.quantity === undefined || line.format === undefined) return;
  checkBinding(line.quantity, line.format, line.unit, path, ctx);
  (line.extra ?? []).forEach((ex, j) => {
    const ep = [...path, 'extra', j];
    if (ex.fixed !== undefined) {
      if (ex.quantity !== undefined || ex.format !== undefined || ex.unit !== undefined) issue(ctx, ep, 'expected either quantity + format or fixed, got both');
      return;
    }
    if (ex.quantity === undefined || ex.format === undefined) {
      issue(ctx, [...ep, ex.quantity === undefined ? 'quantity' : 'format'], 'expected quantity + format (or fixed), got nothing');
      return;
    }
    checkBinding(ex.quantity, ex.format, ex.unit, ep, ctx);
  });
  const h = line.history;
  if (h !== undefined && /[*&]\d+$/.test(line.obis)) {
    issue(ctx, [...path, 'history'], `expected no history on a line that is itself a history value ("${line.obis}")`);
  }
  if (h !== undefined && (h.quantity === undefined) !== (h.format === undefined)) {
    issue(ctx, [...path, 'history', h.quantity === undefined ? 'quantity' : 'format'], 'expected history quantity and format together, got only one');
  }
  if (h?.quantity !== undefined && h.format !== undefined) checkBinding(h.quantity, h.format, undefined, [...path, 'history'], ctx);
}

function checkBinding(quantity: string, format: { kind: string } | undefined, unit: string | undefined, path: Path, ctx: Ctx): void {
  const def = quantityDef(quantity);
  if (def === undefined || format === undefined) return;
  const allowed = FORMATS_FOR[def.value];
  if (!allowed.includes(format.kind as ValueFormat['kind'])) {
    issue(ctx, [...path, 'format', 'kind'], `expected ${allowed.map((k) => JSON.stringify(k)).join(' or ')} for ${def.value} quantity "${quantity}", got "${format.kind}"`);
  }
  if (unit !== undefined) {
    if (def.unit === null) issue(ctx, [...path, 'unit'], `expected no unit: "${quantity}" is dimensionless, got ${JSON.stringify(unit)}`);
    else if (unit.toLowerCase() !== def.unit.toLowerCase()) issue(ctx, [...path, 'unit'], `expected a spelling of "${def.unit}" for "${quantity}", got ${JSON.stringify(unit)}`);
  }
}

/**
 * The OBIS codes a readout line prints: its own code (unless `history.base` is false), then its
 * `back-index` history codes. Reset-counter numbering depends on runtime state and adds none.
 */
export function expandObis(line: { obis: string; history?: { count: number; base?: boolean; numbering?: string; digits?: number } | undefined }): string[] {
  const h = line.history;
  const out = h === undefined || h.base !== false ? [line.obis] : [];
  if (h !== undefined && (h.numbering ?? 'back-index') === 'back-index') {
    for (let n = 1; n <= h.count; n++) out.push(`${line.obis}*${String(n).padStart(h.digits ?? 1, '0')}`);
  }
  return out;
}
