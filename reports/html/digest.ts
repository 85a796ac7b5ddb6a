/**
 * The part of a scenario's trace the HTML report shows: frames per line (decoded, with their
 * hex and the bytes that broke a rule), faults, cloud records, notifications and state changes
 * on the same time axis, and links from failed expectations' evidence to their frames.
 *
 * A long run keeps every frame its evidence points at, the frames near it and the faulty ones,
 * then an even sample of the rest (at most MAX_FRAMES frames and MAX_EVENTS events, and a hex
 * budget, and caps on flags, marks and decoded text per frame), so one scenario adds at most
 * about 2.5 MB to report.html whatever it covers, and typically well under 1 MB.
 */
import type { TraceBytesRecord, TraceRecord } from '../../core/trace/index.ts';
import { describeTraceRecord } from '../../protocols/describe-trace.ts';
import type { ScenarioResult } from '../../scenarios/api/results.ts';
import { classifyEvent, type DigestEvent } from './lanes.ts';

export type { DigestEvent } from './lanes.ts';

/** One frame on a line, as the timeline draws it and the hex view shows it. */
export interface DigestFrame {
  /** Start, ms after the digest's start. */
  t: number;
  /** Time on the line, ms. */
  d: number;
  line: string;
  who: string;
  dir: 'tx' | 'rx';
  settings: string;
  flags?: string[];
  /** The bytes (or a window of them when the frame is long: see `o` and `n`). */
  hex: string;
  /** Offset of the first byte in `hex`, when a window was kept. */
  o?: number;
  /** Byte count of the whole frame, when `hex` holds only part of it. */
  n?: number;
  /** Decoded description. */
  text?: string;
  /** Bytes that broke a rule: [offset in the frame, why]. */
  marks?: [number, string][];
  /** UART flags, a collision or a decoder error. */
  bad?: boolean;
}

/** A row of the timeline: a serial line, a source of events, or a state that lasts. */
export interface DigestLane {
  id: string;
  kind: 'line' | 'events' | 'state';
}

/** Evidence `ev` of expectation `exp` (indexes into the scenario result) points at frame `k`. */
export interface DigestLink {
  exp: number;
  ev: number;
  k: number;
}

/** One scenario's timeline data, embedded in report.html as JSON. */
export interface Digest {
  /** Clock ms of time 0. */
  start: number;
  /** Length of the time axis, ms. */
  span: number;
  lanes: DigestLane[];
  frames: DigestFrame[];
  events: DigestEvent[];
  /** Frames and events left out (a long run is sampled). */
  omitted: number;
  omittedEvents: number;
  links: DigestLink[];
  /** Time (ms after start) of the first failed expectation's first evidence: the timeline opens there. */
  focus?: number;
}

/** At most this many frames and events of one scenario go into the page. */
export const MAX_FRAMES = 1500;
export const MAX_EVENTS = 1500;
const MAX_FRAME_HEX = 4096; // hex digits kept per frame
const HEX_BUDGET = 1_000_000; // hex digits per digest
const NEAR_MS = 60_000;
const MAX_FLAGS = 16; // per frame (a garbled frame flags every byte)
const MAX_MARKS = 8;
const MAX_TEXT = 400;

const round = (x: number) => Math.round(x * 1000) / 1000;

/** A frame with what its flags say; the decoding comes later, for kept frames only. */
function frameOf(r: TraceBytesRecord, start: number): DigestFrame {
  const flags = [...(r.flags ?? []), ...(r.kind === 'rx' && r.sent ? [`sent at ${r.sent}`] : [])];
  const marks: [number, string][] = [];
  for (const f of r.flags ?? []) {
    const m = /^(framing|parity|break)@(\d+)$/.exec(f);
    if (m) marks.push([Number(m[2]), `${m[1]} error`]);
  }
  const bad = flags.some((f) => !/^(echo|sent)/.test(f));
  if (flags.length > MAX_FLAGS) flags.splice(MAX_FLAGS, flags.length, `+${flags.length - MAX_FLAGS} more`);
  if (marks.length > MAX_MARKS) marks.length = MAX_MARKS;
  return {
    t: round(r.t - start),
    d: round(r.end - r.t),
    line: r.line,
    who: r.kind === 'tx' ? r.from : `${r.to}${r.more ? ` (+${r.more})` : ''}`,
    dir: r.kind,
    settings: r.settings,
    ...(flags.length ? { flags } : {}),
    hex: r.hex,
    ...(marks.length ? { marks } : {}),
    ...(bad ? { bad } : {}),
  };
}

/** Adds the decoded description, and marks the offsets a decoder error names. */
function decode(f: DigestFrame, r: TraceBytesRecord): void {
  const text = describeTraceRecord(r);
  if (!text) return;
  f.text = text.length > MAX_TEXT ? text.slice(0, MAX_TEXT - 1) + '…' : text;
  for (const part of text.split('; ')) {
    const m = /^error: (.*?\bat offset (\d+).*)$/.exec(part);
    if (m && (f.marks?.length ?? 0) < MAX_MARKS) f.marks = [...(f.marks ?? []), [Number(m[2]), m[1]!.slice(0, 200)]];
    if (part.startsWith('error: ')) f.bad = true;
  }
}

/** Which frame each failed expectation's evidence shows: same line, same bytes, last before its time. */
function linkEvidence(result: ScenarioResult, frames: DigestFrame[], start: number): { links: DigestLink[]; focus: number[] } {
  const links: DigestLink[] = [];
  const focus: number[] = [];
  result.expectations.forEach((e, exp) => {
    if (e.passed) return;
    (e.evidence ?? []).forEach((ev, i) => {
      if (ev.time !== undefined) focus.push(round(ev.time - start));
      if (ev.line === undefined || ev.time === undefined) return;
      const at = ev.time - start;
      let best = -1;
      frames.forEach((f, k) => {
        if (f.line !== ev.line || f.t + f.d > at + 1) return;
        if (ev.hex !== undefined && f.hex !== ev.hex.replace(/\s+/g, '').toLowerCase()) return;
        if (best < 0 || f.t >= frames[best]!.t) best = k;
      });
      if (best < 0) return;
      links.push({ exp, ev: i, k: best });
    });
  });
  return { links, focus };
}

/** Marks the byte a piece of evidence names, unless a rule already marked it. */
function markEvidence(f: DigestFrame, result: ScenarioResult, l: DigestLink): void {
  const e = result.expectations[l.exp]!;
  const offset = e.evidence?.[l.ev]?.offset;
  f.bad = true;
  if (offset === undefined || f.marks?.some((m) => m[0] === offset)) return;
  f.marks = [...(f.marks ?? []), [offset, `evidence of '${e.name}'`]];
}

/**
 * What report.html shows of one scenario's trace (see the file comment). Pure: the same
 * records and result give the same digest.
 */
export function digestTrace(records: readonly TraceRecord[], result: ScenarioResult): Digest {
  const header = records.find((r) => r.kind === 'header');
  const start = header?.kind === 'header' ? header.start : result.startTime;
  const all: DigestFrame[] = [];
  const source = new Map<DigestFrame, TraceBytesRecord>();
  const events: DigestEvent[] = [];
  const lineSet = new Set<string>();
  for (const r of records) {
    if (r.kind === 'tx' || r.kind === 'rx') {
      const f = frameOf(r, start);
      all.push(f);
      source.set(f, r);
      lineSet.add(r.line);
    } else if (r.kind !== 'header') {
      const e = classifyEvent(r, start);
      if (e) events.push(e);
    }
  }
  const { links, focus } = linkEvidence(result, all, start);
  const forced = new Set(links.map((l) => all[l.k]!));
  const near = (t: number) => focus.some((f) => Math.abs(t - f) < NEAR_MS);
  const frames = sample(all, MAX_FRAMES, (f) => forced.has(f), (f) => near(f.t) || !!f.bad || f.dir === 'rx');
  for (const f of frames) decode(f, source.get(f)!);
  for (const l of links) markEvidence(all[l.k]!, result, l);
  const keptEvents = sample(events, MAX_EVENTS, () => false, (e) => near(e.t) || e.kind !== 'record' || e.level === 'bad');
  budgetHex(frames, forced);
  const index = new Map(frames.map((f, k) => [f, k]));
  const span = Math.max(result.simulatedMs, ...frames.map((f) => f.t + f.d), ...keptEvents.map((e) => e.t), 1);
  const lines = [...lineSet].sort();
  const eventLanes = [...new Map(keptEvents.filter((e) => !lineSet.has(e.lane)).map((e) => [e.lane, e.kind === 'state' ? 'state' : 'events'] as const))];
  eventLanes.sort((a, b) => laneRank(a[0]) - laneRank(b[0]) || (a[0] < b[0] ? -1 : 1));
  return {
    start,
    span: round(span),
    lanes: [...lines.map((id) => ({ id, kind: 'line' as const })), ...eventLanes.map(([id, kind]) => ({ id, kind }))],
    frames,
    events: keptEvents,
    omitted: all.length - frames.length,
    omittedEvents: events.length - keptEvents.length,
    links: links.map((l) => ({ ...l, k: index.get(all[l.k]!) ?? -1 })).filter((l) => l.k >= 0),
    ...(focus.length ? { focus: focus[0]! } : {}),
  };
}

const LANE_ORDER = ['scenario', 'cloud', 'notifications'];
function laneRank(lane: string): number {
  const i = LANE_ORDER.findIndex((p) => lane === p || lane.startsWith(p + ' '));
  return i < 0 ? LANE_ORDER.length : i;
}

/** Shortens frames' hex to a window (around their first mark) until the digest fits its budget. */
function budgetHex(frames: DigestFrame[], keep: Set<DigestFrame>): void {
  const total = frames.reduce((s, f) => s + Math.min(f.hex.length, MAX_FRAME_HEX), 0);
  const cap = total > HEX_BUDGET ? Math.max(128, Math.floor(HEX_BUDGET / frames.length / 2) * 2) : MAX_FRAME_HEX;
  for (const f of frames) {
    const limit = keep.has(f) ? MAX_FRAME_HEX : cap;
    if (f.hex.length <= limit) continue;
    const bytes = f.hex.length / 2;
    const first = f.marks?.length ? Math.min(...f.marks.map((m) => m[0])) : 0;
    const from = Math.max(0, Math.min(first - limit / 8, bytes - limit / 2));
    const o = Math.floor(from);
    f.hex = f.hex.slice(o * 2, o * 2 + limit);
    f.n = bytes;
    if (o > 0) f.o = o;
  }
}

/**
 * Keeps everything when small; else the forced items, then (up to half the room) the
 * important ones, then an even sample of the rest, in their original order.
 */
function sample<T>(items: T[], max: number, forced: (x: T) => boolean, important: (x: T) => boolean): T[] {
  if (items.length <= max) return items;
  const kept = new Set(items.filter(forced));
  for (const x of items) {
    if (kept.size >= max / 2) break;
    if (important(x)) kept.add(x);
  }
  const rest = items.filter((x) => !kept.has(x));
  const room = max - kept.size;
  const step = rest.length / Math.max(1, room);
  for (let i = 0; i < room && Math.floor(i * step) < rest.length; i++) kept.add(rest[Math.floor(i * step)]!);
  return items.filter((x) => kept.has(x));
}
