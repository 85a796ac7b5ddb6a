/**
 * Communication state of a modem over a window: when it was last heard, whether a session is
 * open, and per source (each meter, each Modbus device) the readings expected by the send period
 * against those received (read, or failed with a reason), with the gaps; the stretches in which
 * nothing arrived at all; the cloud's own events (sequence gaps, invalid records, refused logins).
 *
 * The send period comes from the query, else from the modem's settings (`site_settings`, when
 * the cloud has set one), else from the records: the median spacing of one source's readings,
 * in whole minutes.
 */
import type { Store } from '../store/store.ts';

export interface Gap {
  from: number;
  to: number;
  /** Readings (or deliveries) that should have come in between. */
  missed: number;
  /** Still going on at the end of the window. */
  open: boolean;
}

export interface SourceState {
  /** `meter 80099921`, `modbus rs485/17`. */
  source: string;
  expected: number;
  received: number;
  /** Of the received, how many say the read failed (`missing`). */
  failed: number;
  firstAt: number;
  lastAt: number;
  gaps: Gap[];
}

export interface CommunicationState {
  modemNo: string;
  from: number;
  to: number;
  lastSeenAt: number | null;
  lastSeenAgoMs: number | null;
  /** A session is open now (null: this cloud cannot tell). */
  online: boolean | null;
  periodMin: number | null;
  periodSource: 'query' | 'settings' | 'records' | 'none';
  /** Nothing heard for more than two periods. */
  late: boolean;
  /** Records whose time falls in the window (readings, events, I/O, invalid ones). */
  records: number;
  expected: number;
  received: number;
  failed: number;
  invalid: number;
  sources: SourceState[];
  /** Stretches longer than two periods in which no record was received. */
  deliveryGaps: Gap[];
  cloudEvents: Record<string, number>;
}

interface Row {
  kind: string;
  at: number;
  received_at: number;
  error: string | null;
  source: string | null;
  ok: number;
}

export function communicationState(
  store: Store,
  modemNo: string,
  q: { from: number; to: number; periodMin?: number | undefined; now: number; online?: boolean | null | undefined },
): CommunicationState {
  const modem = store.modem(modemNo);
  const rows = store.db
    .prepare(
      `SELECT kind, at, received_at, error,
         CASE WHEN error IS NOT NULL THEN NULL
              WHEN kind = 'meter-reading' THEN 'meter ' || json_extract(body, '$.meterSerial')
              WHEN kind = 'modbus-reading' THEN 'modbus ' || json_extract(body, '$.port') || '/' || json_extract(body, '$.address')
         END AS source,
         json_type(body, '$.values') IS NOT NULL AS ok
       FROM records WHERE modem_no = ? AND at >= ? AND at <= ? ORDER BY at, seq`,
    )
    .all(modemNo, q.from, q.to) as Row[];
  const bySource = new Map<string, Row[]>();
  for (const r of rows) {
    if (r.source === null) continue;
    let list = bySource.get(r.source);
    if (!list) bySource.set(r.source, (list = []));
    list.push(r);
  }
  let periodMin = q.periodMin ?? null;
  let periodSource: CommunicationState['periodSource'] = q.periodMin === undefined ? 'none' : 'query';
  if (periodMin === null) {
    const set = settingsPeriod(store, modemNo);
    if (set !== null) {
      periodMin = set;
      periodSource = 'settings';
    }
  }
  if (periodMin === null) {
    const spacings = [...bySource.values()].flatMap((list) => list.slice(1).map((r, i) => r.at - list[i]!.at)).filter((d) => d > 0);
    if (spacings.length) {
      spacings.sort((a, b) => a - b);
      periodMin = Math.max(1, Math.round(spacings[spacings.length >> 1]! / 60_000));
      periodSource = 'records';
    }
  }
  const P = periodMin === null ? null : periodMin * 60_000;
  const sources: SourceState[] = [];
  for (const [source, list] of bySource) {
    // Did the source report shortly before the window? Then the window is its whole to fill.
    const expr = list[0]!.kind === 'meter-reading' ? "'meter ' || json_extract(body, '$.meterSerial')" : "'modbus ' || json_extract(body, '$.port') || '/' || json_extract(body, '$.address')";
    const lookBack = 2 * (P ?? 0) + 3_600_000;
    const before = store.db.prepare(`SELECT 1 FROM records WHERE modem_no = ? AND kind = ? AND error IS NULL AND at >= ? AND at < ? AND ${expr} = ? LIMIT 1`).get(modemNo, list[0]!.kind, q.from - lookBack, q.from, source);
    const gaps: Gap[] = [];
    if (P !== null) {
      for (let i = 1; i < list.length; i++) {
        const d = list[i]!.at - list[i - 1]!.at;
        if (d > 1.5 * P) gaps.push({ from: list[i - 1]!.at, to: list[i]!.at, missed: Math.round(d / P) - 1, open: false });
      }
      const tail = q.to - list.at(-1)!.at;
      if (tail > 2 * P) gaps.push({ from: list.at(-1)!.at, to: q.to, missed: Math.floor(tail / P) - 1, open: true });
    }
    const expected = P === null ? list.length : before ? Math.floor((q.to - q.from) / P) : Math.floor((q.to - list[0]!.at) / P) + 1;
    sources.push({ source, expected, received: list.length, failed: list.filter((r) => !r.ok).length, firstAt: list[0]!.at, lastAt: list.at(-1)!.at, gaps });
  }
  sources.sort((a, b) => (a.source < b.source ? -1 : 1));
  const deliveryGaps: Gap[] = [];
  if (P !== null) {
    const times = rows.map((r) => r.received_at).sort((a, b) => a - b);
    for (let i = 1; i < times.length; i++) {
      const d = times[i]! - times[i - 1]!;
      if (d > 2 * P) deliveryGaps.push({ from: times[i - 1]!, to: times[i]!, missed: Math.round(d / P) - 1, open: false });
    }
    const last = times.at(-1) ?? modem?.lastSeenAt ?? null;
    if (last !== null && q.to - last > 2 * P) deliveryGaps.push({ from: last, to: q.to, missed: Math.floor((q.to - last) / P) - 1, open: true });
  }
  const cloudEvents = Object.fromEntries(
    (store.db.prepare("SELECT name, COUNT(*) AS n FROM events WHERE modem_no = ? AND source = 'cloud' AND at >= ? AND at <= ? GROUP BY name ORDER BY name").all(modemNo, q.from, q.to) as { name: string; n: number }[]).map((r) => [r.name, r.n]),
  );
  const lastSeenAt = modem?.lastSeenAt ?? null;
  return {
    modemNo,
    from: q.from,
    to: q.to,
    lastSeenAt,
    lastSeenAgoMs: lastSeenAt === null ? null : q.now - lastSeenAt,
    online: q.online ?? null,
    periodMin,
    periodSource,
    late: P !== null && (lastSeenAt === null || q.now - lastSeenAt > 2 * P),
    records: rows.length,
    expected: sources.reduce((s, x) => s + x.expected, 0),
    received: sources.reduce((s, x) => s + x.received, 0),
    failed: sources.reduce((s, x) => s + x.failed, 0),
    invalid: rows.filter((r) => r.error !== null).length,
    sources,
    deliveryGaps,
    cloudEvents,
  };
}

/** The send period set on the cloud's modem settings page, if any (null without one). */
function settingsPeriod(store: Store, modemNo: string): number | null {
  try {
    const r = store.db.prepare('SELECT send_period_min AS p FROM site_settings WHERE modem_no = ?').get(modemNo) as { p: number | null } | undefined;
    return r?.p ?? null;
  } catch {
    // A database without the settings table (older schema): fall back to the records.
    return null;
  }
}
