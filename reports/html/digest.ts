/**
 * The part of a scenario's trace the HTML report shows: frames per line (decoded, with their
 * hex), notes and events on the same time axis. A long run keeps every frame near a failure's
 * evidence and a sample of the rest, so one report stays a few megabytes at most.
 */
import type { TraceRecord } from '../../core/trace/index.ts';
import { describeTraceRecord } from '../../protocols/describe-trace.ts';
import type { ScenarioResult } from '../../scenarios/api/results.ts';

export interface DigestFrame {
  t: number;
  end: number;
  line: string;
  who: string;
  dir: 'tx' | 'rx';
  settings: string;
  flags: string[];
  hex: string;
  text: string;
}

export interface DigestEvent {
  t: number;
  lane: string;
  text: string;
  kind: 'note' | 'event';
}

export interface Digest {
  start: number;
  end: number;
  lines: string[];
  frames: DigestFrame[];
  events: DigestEvent[];
  /** Frames left out (a long run is sampled). */
  omitted: number;
  /** Time of the first failure's evidence: the timeline opens there. */
  focus?: number;
}

const MAX_FRAMES = 1500;
const MAX_EVENTS = 1500;
const MAX_HEX = 4096; // hex digits kept per frame

export function digestTrace(records: readonly TraceRecord[], result: ScenarioResult): Digest {
  const header = records.find((r) => r.kind === 'header');
  const start = header?.kind === 'header' ? header.start : result.startTime;
  const frames: DigestFrame[] = [];
  const events: DigestEvent[] = [];
  for (const r of records) {
    if (r.kind === 'tx' || r.kind === 'rx') {
      frames.push({
        t: r.t,
        end: r.end,
        line: r.line,
        who: r.kind === 'tx' ? r.from : `${r.to}${r.more ? ` (+${r.more})` : ''}`,
        dir: r.kind,
        settings: r.settings,
        flags: [...(r.flags ?? []), ...(r.kind === 'rx' && r.sent ? [`sent at ${r.sent}`] : [])],
        hex: r.hex.length > MAX_HEX ? r.hex.slice(0, MAX_HEX) : r.hex,
        text: describeTraceRecord(r) ?? '',
      });
    } else if (r.kind === 'note') events.push({ t: r.t, lane: r.line, text: r.text, kind: 'note' });
    else if (r.kind === 'event') events.push({ t: r.t, lane: r.source, text: `${r.name}${r.data ? ' ' + JSON.stringify(r.data) : ''}`, kind: 'event' });
  }
  const focus = result.expectations.flatMap((e) => (e.passed ? [] : (e.evidence ?? []).map((ev) => ev.time).filter((t): t is number => t !== undefined)));
  const keptFrames = sample(frames, MAX_FRAMES, focus, (f) => f.t, (f) => f.dir === 'rx' || f.flags.length > 0);
  const keptEvents = sample(events, MAX_EVENTS, focus, (e) => e.t, (e) => e.kind === 'note');
  const end = Math.max(start + result.simulatedMs, ...keptFrames.map((f) => f.end), ...keptEvents.map((e) => e.t));
  const lines = [...new Set(frames.map((f) => f.line))].sort();
  return { start, end, lines, frames: keptFrames, events: keptEvents, omitted: frames.length - keptFrames.length, ...(focus.length ? { focus: focus[0]! } : {}) };
}

/** Keeps everything when small; else what is near a focus time or important, then an even sample. */
function sample<T>(items: T[], max: number, focus: number[], time: (x: T) => number, important: (x: T) => boolean): T[] {
  if (items.length <= max) return items;
  const near = (x: T) => focus.some((f) => Math.abs(time(x) - f) < 60_000);
  const must = items.filter((x) => near(x) || important(x)).slice(0, max / 2);
  const rest = items.filter((x) => !must.includes(x));
  const step = rest.length / (max - must.length);
  const picked = Array.from({ length: Math.max(0, max - must.length) }, (_, i) => rest[Math.floor(i * step)]!).filter(Boolean);
  return [...must, ...picked].sort((a, b) => time(a) - time(b));
}
