/**
 * Histories of a modem's site: input and relay changes (the `io_changes` the I/O service keeps),
 * with per point the time spent on and the number of switch-ons; and mains outages, paired from
 * the `outage-start` / `outage-end` events (the end carries `startedAt`, so an outage whose start
 * was lost is still reported; a start without an end is open).
 */
import { OUTAGE_EVENTS, type OutageDetails } from '../../protocols/uplink/io.ts';
import type { Store } from '../store/store.ts';

export interface IoChange {
  at: number;
  seq: number;
  point: 'input' | 'output';
  n: number;
  on: boolean;
  cause: string | null;
}

/**
 * Per point over the window: `onMs` time on (from the state before the window, when known),
 * `switchOns` off → on changes, `state` at the end of the window (null: never reported).
 */
export interface IoPointSummary {
  point: 'input' | 'output';
  n: number;
  onMs: number;
  switchOns: number;
  state: boolean | null;
}

export interface IoHistory {
  from: number;
  to: number;
  changes: IoChange[];
  points: IoPointSummary[];
}

type Row = Record<string, unknown>;

export function ioHistory(store: Store, modemNo: string, q: { from: number; to: number; point?: 'input' | 'output' | undefined; n?: number | undefined }): IoHistory {
  const filter = (r: { point: string; n: number }) => (q.point === undefined || r.point === q.point) && (q.n === undefined || r.n === q.n);
  const toChange = (r: Row): IoChange => ({ at: r['at'] as number, seq: r['seq'] as number, point: r['point'] as 'input' | 'output', n: r['n'] as number, on: r['on_state'] === 1, cause: (r['cause'] as string | null) ?? null });
  const changes = (store.db.prepare('SELECT * FROM io_changes WHERE modem_no = ? AND at >= ? AND at <= ? ORDER BY at, seq').all(modemNo, q.from, q.to) as Row[]).map(toChange).filter(filter);
  // The state of each point when the window opens: its last change before it.
  const before = (store.db
    .prepare('SELECT c.* FROM io_changes c JOIN (SELECT point, n, MAX(at) AS at FROM io_changes WHERE modem_no = ? AND at < ? GROUP BY point, n) l ON c.point = l.point AND c.n = l.n AND c.at = l.at WHERE c.modem_no = ?')
    .all(modemNo, q.from, modemNo) as Row[])
    .map(toChange)
    .filter(filter);
  const acc = new Map<string, IoPointSummary & { since: number }>();
  const key = (c: { point: string; n: number }) => `${c.point}/${c.n}`;
  for (const c of before) acc.set(key(c), { point: c.point, n: c.n, onMs: 0, switchOns: 0, state: c.on, since: q.from });
  for (const c of changes) {
    let a = acc.get(key(c));
    if (!a) acc.set(key(c), (a = { point: c.point, n: c.n, onMs: 0, switchOns: 0, state: null, since: c.at }));
    if (a.state === true) a.onMs += c.at - a.since;
    if (c.on && a.state !== true) a.switchOns++;
    a.state = c.on;
    a.since = c.at;
  }
  const points = [...acc.values()]
    .map(({ since, ...a }) => ({ ...a, onMs: a.onMs + (a.state === true ? q.to - since : 0) }))
    .sort((a, b) => (a.point === b.point ? a.n - b.n : a.point < b.point ? -1 : 1));
  return { from: q.from, to: q.to, changes, points };
}

/** One outage: `endedAt`/`durationMs` null while open (no end reported yet). */
export interface Outage {
  startedAt: number;
  endedAt: number | null;
  durationMs: number | null;
  open: boolean;
}

export interface OutageHistory {
  from: number;
  to: number;
  outages: Outage[];
  count: number;
  /** Sum of the durations inside the window (an open outage counts up to `to`). */
  totalMs: number;
}

/** Outages overlapping `[from, to]`, oldest first. */
export function outageHistory(store: Store, modemNo: string, q: { from: number; to: number }): OutageHistory {
  const rows = store.db
    .prepare('SELECT name, at, details FROM events WHERE modem_no = ? AND name IN (?, ?) AND at <= ? ORDER BY at, id')
    .all(modemNo, OUTAGE_EVENTS.start, OUTAGE_EVENTS.end, q.to) as { name: string; at: number; details: string | null }[];
  const byStart = new Map<number, Outage>();
  for (const r of rows) {
    const d = (r.details ? JSON.parse(r.details) : {}) as Partial<OutageDetails>;
    const startedAt = typeof d.startedAt === 'number' ? d.startedAt : r.at;
    let o = byStart.get(startedAt);
    if (!o) byStart.set(startedAt, (o = { startedAt, endedAt: null, durationMs: null, open: true }));
    if (r.name === OUTAGE_EVENTS.end) {
      o.endedAt = typeof d.endedAt === 'number' ? d.endedAt : r.at;
      o.durationMs = typeof d.durationMs === 'number' ? d.durationMs : o.endedAt - o.startedAt;
      o.open = false;
    }
  }
  const outages = [...byStart.values()].filter((o) => o.startedAt <= q.to && (o.endedAt === null || o.endedAt >= q.from)).sort((a, b) => a.startedAt - b.startedAt);
  const totalMs = outages.reduce((s, o) => s + Math.max(0, Math.min(o.endedAt ?? q.to, q.to) - Math.max(o.startedAt, q.from)), 0);
  return { from: q.from, to: q.to, outages, count: outages.length, totalMs };
}
