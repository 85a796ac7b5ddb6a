/**
 * A draft meter brand profile (`emulators/meters/profiles/*.yaml`) from a captured IEC 62056-21
 * mode C readout: the identification gives FLAG, baud, ident and fast reaction; the readout gives
 * the lines, their OBIS codes, number formats and unit spellings; the times give reaction-time
 * samples. What the capture cannot tell is listed in the file's header comment and defaulted:
 * programming mode, load profile, ports, addressing beyond what was asked, a FLAG id the shipped
 * profiles do not know. The YAML written is checked against the profile schema before it is
 * returned.
 */
import { isoTime } from '../../core/clock/index.ts';
import { concatBytes } from '../../core/bytes.ts';
import { InputError } from '../../core/errors.ts';
import type { TraceRecord } from '../../core/trace/index.ts';
import {
  decodeAll,
  identificationInfo,
  parseDataBlock,
  reactionTimeMinMs,
  REACTION_TIME_MAX_MS,
  type DataSet,
  type IdentificationMessage,
  type Message,
} from '../../protocols/iec62056-21/index.ts';
import { MeterProfileError, parseMeterProfile, validateMeterProfile } from '../../emulators/meters/profile-loader.ts';
import { MODE_C_BAUD_RATES, type MeterProfile } from '../../emulators/meters/profile-schema.ts';
import { quantityDef, type QuantityName } from '../../emulators/meters/quantities.ts';
import { shippedMeterProfiles } from '../profiles.ts';
import { buildReplayScript, type ReplayMessage } from '../replay/script.ts';
import { demandTimeQuantity, formatForValue, quantityForObis } from './obis-quantities.ts';

export interface DraftOptions {
  /** Names the capture in the profile's `source` and in messages. */
  file?: string;
  /** The line of the trace with the meter (needed when the trace has several). */
  line?: string;
}

export interface DraftResult {
  /** The draft profile, YAML with comments. */
  yaml: string;
  /** The same, validated. */
  profile: MeterProfile;
  /** What could not be inferred (also in the YAML header). */
  notInferred: string[];
}

const OBIS_RE = /^(?:\d{1,3}-\d{1,3}:)?[0-9A-Z]{1,3}(?:\.[0-9A-Z]{1,3}){0,2}(?:[*&]\d{1,3})?$/;

interface Session {
  request?: string;
  identification?: IdentificationMessage;
  block?: string;
  badBcc: boolean;
  readoutBaud?: number;
  samples: number[];
}

function decode(messages: readonly ReplayMessage[], side: 'master' | 'meter'): { frames: Message[]; badBcc: boolean } {
  const events = decodeAll(concatBytes(messages.map((m) => m.bytes)), { side, parity: 'strip' });
  const frames: Message[] = [];
  let badBcc = false;
  for (const e of events) {
    if (e.type === 'frame') frames.push(e.frame);
    else if (e.error.kind === 'bcc-mismatch' && e.error.details.candidate) {
      frames.push(e.error.details.candidate);
      badBcc = true;
    }
  }
  return { frames, badBcc };
}

/** Builds the draft from a trace's records. Throws an `InputError` when the trace holds no identification. */
export function draftMeterProfile(records: readonly TraceRecord[], o: DraftOptions = {}): DraftResult {
  const file = o.file ?? 'trace';
  const script = buildReplayScript(records, { ...(o.line ? { line: o.line } : {}), file });
  if (script.protocol !== 'iec') throw new InputError(file, `line ${script.line} does not carry IEC 62056-21 (7 data bits, /?…! requests)`);
  const s: Session = { badBcc: false, samples: [] };
  for (const ex of script.exchanges) {
    const req = decode(ex.request, 'master').frames.at(-1);
    const ans = decode(ex.answer, 'meter');
    const reaction = ex.request.length && ex.answer.length ? ex.answer[0]!.t - ex.request[ex.request.length - 1]!.end : undefined;
    const ident = ans.frames.find((f) => f.kind === 'identification');
    if (req?.kind === 'request' && ident?.kind === 'identification' && !s.identification) {
      s.request = req.address;
      s.identification = ident;
    }
    const readout = ans.frames.find((f) => f.kind === 'readout');
    if (readout?.kind === 'readout' && s.block === undefined) {
      s.block = readout.block;
      s.badBcc = ans.badBcc;
      s.readoutBaud = ex.answer[0]!.settings.baudRate;
    }
    if (reaction !== undefined && (ident || readout) && reaction >= 0) s.samples.push(reaction);
  }
  if (!s.identification) throw new InputError(file, `line ${script.line} holds no identification answering a request (/?…!): nothing to draft from`);
  if (s.block === undefined) throw new InputError(file, `line ${script.line} holds an identification but no readout (STX … ! CR LF ETX BCC)`);
  const start = records.find((r) => r.kind === 'header');
  const when = start?.kind === 'header' ? isoTime(start.start) : 'unknown time';
  return build(s as Session & { identification: IdentificationMessage; block: string }, script.line, file, when);
}

type Line = Record<string, unknown> & { obis: string };

function build(s: Session & { identification: IdentificationMessage; block: string }, lineName: string, file: string, when: string): DraftResult {
  const notes: string[] = [];
  const id = s.identification;
  const info = identificationInfo(id);
  const shipped = shippedMeterProfiles().find((p) => p.flag === id.manufacturer);
  const brand = shipped?.brand ?? `FLAG ${id.manufacturer}`;
  if (!shipped) notes.push(`FLAG ${id.manufacturer} is not among the shipped profiles: look the maker up in the DLMS UA FLAG id list (dlms.com/flag-id/flag-id-list) and set brand`);

  let lines: DataSet[][];
  try {
    lines = parseDataBlock(s.block);
  } catch (err) {
    throw new InputError(file, `the readout's data block does not parse: ${(err as Error).message}`);
  }
  const readout: Line[] = [];
  const captured: (string | string[])[] = [];
  const seen = new Set<string>();
  for (const set of lines.flat()) {
    if (!OBIS_RE.test(set.address)) {
      notes.push(`data set ${JSON.stringify(set.address || '(no address)')} has no OBIS-style address: left out`);
      continue;
    }
    if (seen.has(set.address)) {
      notes.push(`OBIS ${set.address} appears twice in the readout: the second is left out`);
      continue;
    }
    seen.add(set.address);
    const raw = set.values.map((v) => (v.unit !== undefined ? `${v.value}*${v.unit}` : v.value));
    captured.push(raw.length === 1 ? raw[0]! : raw);
    readout.push(readoutLine(set, captured[captured.length - 1]!));
  }
  const serialLine = lines.flat().find((d) => quantityForObis(d.address) === 'meter.serial');
  const serial = serialLine?.values[0]?.value || (/^[A-Z]{0,4}(\d+)$/.exec(s.request ?? '')?.[1] ?? '');
  let identification = id.enhanced.map((w) => `\\${w}`).join('') + id.ident;
  if (serial && id.ident.includes(serial)) identification = identification.replace(serial, '{serial}');
  const prefix = serial && s.request?.endsWith(serial) ? s.request.slice(0, -serial.length) : '';
  const model = id.ident.replace(serial || '\u0000', '').replace(/^<\d>/, '').replace(/[^\x21-\x7e ]/g, '').trim().slice(0, 40) || 'unknown';
  notes.push(`model "${model}" is taken from the identification: check the name plate`);

  const optical = /optic/i.test(lineName);
  const rs232 = /rs-?232/i.test(lineName);
  notes.push(`ports assumed from the line name "${lineName}"`);
  const ports = { optical, rs232, rs485: optical || rs232 ? 0 : 1 };
  const withoutAddress = s.request === '';
  const address = withoutAddress || ports.rs485 === 0
    ? { required: 'never', source: serialLine ? 'serial' : 'custom', ...(/^[A-Z]{1,4}$/.test(prefix) ? { prefix } : {}), answersWithoutAddress: true }
    : { required: 'rs485', source: serialLine ? 'serial' : 'custom', ...(/^[A-Z]{1,4}$/.test(prefix) ? { prefix } : {}), answersWithoutAddress: false };
  if (!withoutAddress) notes.push(`whether the meter answers /?! without its address is not in the capture (it was asked as ${JSON.stringify(s.request)})`);

  const minStd = reactionTimeMinMs(info.fastReaction);
  const samples = s.samples.map((x) => Math.round(x));
  const rMin = samples.length ? Math.min(REACTION_TIME_MAX_MS, Math.max(minStd, Math.min(...samples))) : minStd;
  const rMax = samples.length ? Math.min(REACTION_TIME_MAX_MS, Math.max(rMin, Math.max(...samples))) : REACTION_TIME_MAX_MS;
  if (samples.length < 2) notes.push(`reaction time from ${samples.length === 0 ? 'no sample: the standard window' : `one sample only (${samples[0]} ms)`}`);
  else notes.push(`reaction time from ${samples.length} samples (${samples.join(', ')} ms)`);

  const offered = info.baud ?? 300;
  const maxBaud = (MODE_C_BAUD_RATES as readonly number[]).includes(offered) ? offered : 9600;
  if (s.readoutBaud !== undefined && s.readoutBaud !== offered) notes.push(`the readout ran at ${s.readoutBaud} baud; the identification offers ${offered}`);
  const modes = info.mode === 'E' ? ['C', 'E'] : ['C'];
  notes.push(`protocol modes ${modes.join(', ')} from the identification; other modes not tried`);
  notes.push('no programming mode in the capture: password, commands and readable/writable lists are defaults');
  notes.push('no load profile in the capture: loadProfile.supported is false');
  notes.push('opticalEcho assumed false');
  if (s.badBcc) notes.push('the captured readout had a wrong BCC: its lines are used as received');

  const raw: Record<string, unknown> = {
    brand,
    model,
    source: [`capture ${file}, line ${lineName}, ${when}: identification and readout`],
    flag: id.manufacturer,
    fastReaction: info.fastReaction,
    identification,
    serialNumber: { pattern: serial ? (/^\d+$/.test(serial) ? `\\d{${serial.length}}` : `[0-9A-Za-z]{${serial.length}}`) : '[0-9A-Za-z]{1,16}', example: serial || '00000001' },
    maxBaud,
    reactionTimeMs: { min: rMin, max: rMax },
    protocolModes: modes,
    ports,
    address,
    opticalEcho: false,
    readout,
    programming: { readable: [], writable: [] },
    loadProfile: { supported: false },
  };
  settle(raw, readout, captured, notes, file);
  const yaml = emit(raw, readout, notes, brand, id.manufacturer, file, lineName);
  // The text itself is checked, as `loadMeterProfile` will read it.
  return { yaml, profile: parseMeterProfile(yaml, file), notInferred: notes };
}

/** One readout line: bound to a quantity when the code and value allow it, else fixed as captured. */
function readoutLine(set: DataSet, raw: string | string[]): Line {
  const fixed: Line = { obis: set.address, fixed: raw };
  const q = quantityForObis(set.address);
  const main = set.values[0];
  if (!q || !main) return fixed;
  const def = quantityDef(q)!;
  const format = formatForValue(q, main.value);
  if (!format) return fixed;
  if (main.unit !== undefined && (def.unit === null || main.unit.toLowerCase() !== def.unit.toLowerCase())) return fixed;
  const line: Line = { obis: set.address, quantity: q, format, ...(main.unit !== undefined ? { unit: main.unit } : {}) };
  const extra = set.values.slice(1).map((v) => {
    const eq = extraQuantity(q, set.address, v.value);
    const ef = eq ? formatForValue(eq, v.value) : undefined;
    return eq && ef && v.unit === undefined ? { quantity: eq, format: ef } : { fixed: v.unit !== undefined ? `${v.value}*${v.unit}` : v.value };
  });
  if (extra.length) line.extra = extra;
  return line;
}

function extraQuantity(q: QuantityName, obis: string, value: string): QuantityName | undefined {
  if (q.startsWith('demand.max.')) return demandTimeQuantity(q);
  if (obis.startsWith('96.71') && /^\d+$/.test(value)) return 'cover.terminal.count';
  return undefined;
}

/** Validates; a readout line the schema refuses becomes a fixed line (noted), until the profile passes. */
function settle(raw: Record<string, unknown>, readout: Line[], captured: readonly (string | string[])[], notes: string[], file: string): MeterProfile {
  for (let round = 0; round < 50; round++) {
    try {
      return validateMeterProfile(raw, file);
    } catch (err) {
      if (!(err instanceof MeterProfileError)) throw err;
      const bad = new Set<number>();
      for (const i of err.issues) {
        const m = /^readout\[(\d+)\]/.exec(i.path);
        if (!m) throw new InputError(file, `the draft does not fit the profile schema: ${i.path}: ${i.message}`);
        bad.add(Number(m[1]));
      }
      for (const i of bad) {
        const line = readout[i]!;
        if (line.fixed !== undefined) throw new InputError(file, `readout line ${line.obis} cannot be drafted: ${err.message}`);
        notes.push(`${line.obis}: kept as captured text (${err.issues.find((x) => x.path.startsWith(`readout[${i}]`))?.message ?? 'schema'})`);
        readout[i] = { obis: line.obis, fixed: captured[i]! };
      }
    }
  }
  throw new InputError(file, 'the draft does not settle against the profile schema');
}

/** YAML text: one scalar per string, flow mappings one per readout line, notes as comments. */
function emit(raw: Record<string, unknown>, readout: readonly Line[], notes: readonly string[], brand: string, flag: string, file: string, lineName: string): string {
  // A number format is written as the profiles write it: `{ integer: 6, decimals: 3 }`.
  const shorten = (k: string, x: unknown, o: object) => x === undefined || ('integer' in o && ((k === 'kind' && x === 'number') || (k === 'sign' && x === 'none')));
  const flow = (v: unknown): string => {
    if (Array.isArray(v)) return `[${v.map(flow).join(', ')}]`;
    if (v !== null && typeof v === 'object') return `{ ${Object.entries(v).filter(([k, x]) => !shorten(k, x, v)).map(([k, x]) => `${k}: ${flow(x)}`).join(', ')} }`;
    return JSON.stringify(v);
  };
  const out = [
    `# Draft meter profile from ${file} (line ${lineName}), written by \`ht-hil profile draft\`.`,
    '# Review every value, then save it as emulators/meters/profiles/<brand>/<model>.yaml.',
    '#',
    '# Not inferred from the capture:',
    ...notes.map((n) => `#   - ${n}`),
    `brand: ${JSON.stringify(brand)}${brand.startsWith('FLAG ') ? '   # unknown maker: see above' : `   # FLAG ${flag} in the shipped profiles`}`,
  ];
  for (const [k, v] of Object.entries(raw)) {
    if (k === 'brand') continue;
    if (k === 'readout') {
      out.push('readout:');
      for (const l of readout) out.push(`  - ${flow(l)}`);
    } else if (k === 'source') {
      out.push('source:', ...(v as string[]).map((x) => `  - ${JSON.stringify(x)}`));
    } else out.push(`${k}: ${flow(v)}`);
  }
  return out.join('\n') + '\n';
}
