/**
 * Load profile replies (VDEW / DIN 43863-3 style, as read with `R5 P.01(from;to)`):
 *
 *   P.01(tstamp)(status)(period)(n)(code1)(unit1)…(codeN)(unitN) CR LF   header
 *   (value1)…(valueN) CR LF                                             one row per period
 *   …
 *   P.01(tstamp)(status)(period)(n)(code1)(unit1)… CR LF                a new header when the
 *   (value1)…(valueN) CR LF                                             status or clock changed
 *
 * tstamp: `[s]YYMMDDhhmm[ss]` (see profile-time.ts) of the first row; status: hex digits (width
 * kept: EMH sends 8, Metcom 2); period: minutes; n: channel count; code: register code (`1.5`,
 * `1-0:1.5.0`); unit: `kW`, `kvar`. Row i starts at tstamp + i × period. The reply travels in a
 * data message (STX … ETX BCC, or partial blocks ending with EOT).
 * Real captures this shape follows: EMH `P.01(1220823161500)(00000000)(15)(6)(1.5)(kW)…` and
 * Metcom `P.01(1220823150000)(08)(15)(6)(1-0:1.5.0)(kW)…` from public meter-reading test suites.
 */
import { invalidField } from './errors.ts';
import { addMinutes, formatProfileTime, parseProfileTime, type ProfileTime } from './profile-time.ts';

export interface LoadProfileChannel {
  code: string;
  unit: string;
}

export interface LoadProfileHeader {
  /** Profile number: 1 for `P.01`, 2 for `P.02`. */
  profile: number;
  /** Time of the first row. */
  start: ProfileTime;
  /** Status word. */
  status: number;
  /** Hex digits the status is written with (default 2). */
  statusDigits?: number;
  periodMinutes: number;
  /** Digits the period is written with (default 2). */
  periodDigits?: number;
  /** Digits the channel count is written with (default: as many as needed). */
  countDigits?: number;
  channels: LoadProfileChannel[];
}

export interface LoadProfileBlock {
  header: LoadProfileHeader;
  /** One entry per period, one value string per channel. */
  rows: string[][];
}

/** One line split into its address and the raw contents of its parenthesised groups. */
interface Groups {
  address: string;
  items: { text: string; at: number }[];
}

function splitGroups(line: string, base: number): Groups {
  const open = line.indexOf('(');
  if (open < 0) throw invalidField(base, `load profile line ${JSON.stringify(line)} has no '('`);
  const items: { text: string; at: number }[] = [];
  let i = open;
  while (i < line.length) {
    if (line[i] !== '(') throw invalidField(base + i, `expected '(' in load profile line, found ${JSON.stringify(line[i])}`);
    const close = line.indexOf(')', i + 1);
    if (close < 0) throw invalidField(base + i, "'(' is not closed by ')'");
    const text = line.slice(i + 1, close);
    if (text.includes('(')) throw invalidField(base + i + 1 + text.indexOf('('), "'(' inside a load profile field");
    items.push({ text, at: base + i + 1 });
    i = close + 1;
  }
  return { address: line.slice(0, open), items };
}

function parseHeader(g: Groups, base: number): LoadProfileHeader {
  const m = /^P\.(\d{2})$/.exec(g.address);
  if (!m) throw invalidField(base, `load profile header address ${JSON.stringify(g.address)} is not P.nn`);
  const [ts, st, per, cnt] = g.items;
  if (!ts || !st || !per || !cnt) throw invalidField(base + g.address.length, 'load profile header needs (time)(status)(period)(channels)');
  if (!/^[0-9A-Fa-f]{1,8}$/.test(st.text)) throw invalidField(st.at, `load profile status ${JSON.stringify(st.text)} is not 1 to 8 hex digits`);
  if (!/^\d{1,4}$/.test(per.text) || Number(per.text) === 0) throw invalidField(per.at, `load profile period ${JSON.stringify(per.text)} is not a positive number of minutes`);
  if (!/^\d{1,3}$/.test(cnt.text)) throw invalidField(cnt.at, `load profile channel count ${JSON.stringify(cnt.text)} is not a number`);
  const n = Number(cnt.text);
  if (g.items.length !== 4 + 2 * n) {
    throw invalidField(base + g.address.length, `load profile header announces ${n} channels but carries ${(g.items.length - 4) / 2} code/unit pairs`);
  }
  const channels: LoadProfileChannel[] = [];
  for (let k = 0; k < n; k++) channels.push({ code: g.items[4 + 2 * k]!.text, unit: g.items[5 + 2 * k]!.text });
  return {
    profile: Number(m[1]),
    start: parseProfileTime(ts.text, ts.at),
    status: parseInt(st.text, 16),
    statusDigits: st.text.length,
    periodMinutes: Number(per.text),
    periodDigits: per.text.length,
    countDigits: cnt.text.length,
    channels,
  };
}

/**
 * Parses the text of a load profile reply (lines ending with CR LF; the last CR LF may be
 * missing). Offsets in errors are `base` + the character index.
 */
export function parseLoadProfile(text: string, base = 0): LoadProfileBlock[] {
  const blocks: LoadProfileBlock[] = [];
  let pos = 0;
  while (pos < text.length) {
    let eol = text.indexOf('\r\n', pos);
    if (eol < 0) eol = text.length;
    const line = text.slice(pos, eol);
    const at = base + pos;
    const bad = line.search(/[\r\n]/);
    if (bad >= 0) throw invalidField(at + bad, 'lone CR or LF in a load profile reply');
    if (line.length > 0) {
      const g = splitGroups(line, at);
      if (g.address !== '') blocks.push({ header: parseHeader(g, at), rows: [] });
      else {
        const block = blocks[blocks.length - 1];
        if (!block) throw invalidField(at, 'load profile row before any P.nn header');
        const n = block.header.channels.length;
        if (g.items.length !== n) throw invalidField(at, `load profile row has ${g.items.length} values; the header announces ${n} channels`);
        block.rows.push(g.items.map((it) => it.text));
      }
    }
    pos = eol + 2;
  }
  return blocks;
}

function field(text: string, what: string): string {
  if (/[()\r\n]/.test(text) || /[^\x20-\x7e]/.test(text)) throw invalidField(0, `load profile ${what} ${JSON.stringify(text)} has a character not allowed inside ( )`);
  return `(${text})`;
}

/** The header line, without CR LF. */
export function formatLoadProfileHeader(h: LoadProfileHeader): string {
  if (!Number.isInteger(h.profile) || h.profile < 0 || h.profile > 99) throw invalidField(0, `profile number ${h.profile} is not 0…99`);
  if (!Number.isInteger(h.status) || h.status < 0 || h.status > 0xffffffff) throw invalidField(0, `status ${h.status} is not a 32-bit unsigned number`);
  if (!Number.isInteger(h.periodMinutes) || h.periodMinutes < 1) throw invalidField(0, `period ${h.periodMinutes} is not a positive number of minutes`);
  const status = h.status.toString(16).toUpperCase().padStart(h.statusDigits ?? 2, '0');
  const period = String(h.periodMinutes).padStart(h.periodDigits ?? 2, '0');
  const count = String(h.channels.length).padStart(h.countDigits ?? 1, '0');
  let out = `P.${String(h.profile).padStart(2, '0')}(${formatProfileTime(h.start)})(${status})(${period})(${count})`;
  for (const c of h.channels) out += field(c.code, 'channel code') + field(c.unit, 'unit');
  return out;
}

/** Header and rows of every block, each line followed by CR LF. Rows must have one value per channel. */
export function formatLoadProfile(blocks: readonly LoadProfileBlock[]): string {
  let out = '';
  for (const b of blocks) {
    out += `${formatLoadProfileHeader(b.header)}\r\n`;
    for (const [i, row] of b.rows.entries()) {
      if (row.length !== b.header.channels.length) throw invalidField(0, `row ${i} has ${row.length} values; the header has ${b.header.channels.length} channels`);
      out += `${row.map((v) => field(v, 'value')).join('')}\r\n`;
    }
  }
  return out;
}

/** Time of row `index` of a block: start + index × period. */
export function rowTime(header: LoadProfileHeader, index: number): ProfileTime {
  return addMinutes(header.start, index * header.periodMinutes);
}

export interface LoadProfileRequest {
  profile: number;
  from?: ProfileTime;
  to?: ProfileTime;
}

/** Operand of the R5 command: `P.01(from;to)`, either bound may be empty (`P.01(;)` reads all). */
export function formatLoadProfileRequest(req: LoadProfileRequest): string {
  const t = (x?: ProfileTime): string => (x ? formatProfileTime(x) : '');
  return `P.${String(req.profile).padStart(2, '0')}(${t(req.from)};${t(req.to)})`;
}

/** Parses `P.nn(from;to)` as an emulated meter receives it. */
export function parseLoadProfileRequest(data: string, base = 0): LoadProfileRequest {
  const m = /^P\.(\d{2})\((\d*);(\d*)\)$/.exec(data);
  if (!m) throw invalidField(base, `load profile request ${JSON.stringify(data)} is not P.nn([from];[to])`);
  const req: LoadProfileRequest = { profile: Number(m[1]) };
  if (m[2]) req.from = parseProfileTime(m[2], base + 5);
  if (m[3]) req.to = parseProfileTime(m[3], base + 6 + m[2]!.length);
  return req;
}
