/**
 * Where a trace's notes and events go on the report's time axis, and how they are drawn:
 *
 * | record | lane | kind |
 * |---|---|---|
 * | note from the scenario on a line (a fault switched on) | that line | fault |
 * | other note on a line | that line | note |
 * | `scenario timeline` | scenario | fault |
 * | `cloud record-stored`, `record-resent` | cloud | record (bad when the reading is missing) |
 * | source or name about notifications, e-mail, SMS, alarms | notifications | notify |
 * | `… uplink` state, `modem … status`, `network up/down`, `mains outage/back` | `<source> <name>` or source | state |
 * | anything else | its source | event |
 */
import type { TraceRecord } from '../../core/trace/index.ts';

/** How an event is drawn: fault triangle, note, cloud record, notification, state band, dot. */
export type EventKind = 'fault' | 'note' | 'record' | 'notify' | 'state' | 'event';

/** A note or event on the timeline. */
export interface DigestEvent {
  /** ms after the digest's start. */
  t: number;
  lane: string;
  text: string;
  kind: EventKind;
  /** For states and records: good or bad (drawn green or red). */
  level?: 'ok' | 'bad';
}

const NOTIFY = /notif|mail|sms|alarm|outbox/i;
const GOOD_STATE = /^(online|connected|registered|ready|up|back|home|roaming|attached)\b/i;
const BAD_STATE = /^(offline|disconnected|down|outage|denied|no-coverage|not-registered|searching|failed|error|off)\b/i;

function dataText(data: Record<string, unknown> | undefined): string {
  if (!data) return '';
  return Object.entries(data)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k} ${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

function level(text: string): 'ok' | 'bad' | undefined {
  if (GOOD_STATE.test(text)) return 'ok';
  if (BAD_STATE.test(text)) return 'bad';
  return undefined;
}

function withLevel(e: DigestEvent, l: 'ok' | 'bad' | undefined): DigestEvent {
  return l ? { ...e, level: l } : e;
}

/** The report's view of a note or event; undefined for other records. */
export function classifyEvent(r: TraceRecord, start: number): DigestEvent | undefined {
  const t = Math.round((('t' in r ? r.t : start) - start) * 1000) / 1000;
  if (r.kind === 'note') return { t, lane: r.line, text: r.text, kind: r.from === 'scenario' ? 'fault' : 'note' };
  if (r.kind !== 'event') return undefined;
  const data = r.data;
  if (r.source === 'scenario' && r.name === 'timeline') return { t, lane: 'scenario', text: String(data?.['label'] ?? r.name), kind: 'fault' };
  if (r.source === 'cloud' && /^record-/.test(r.name)) {
    const d = (data ?? {}) as { seq?: number; kind?: string; meter?: string; name?: string; missing?: string };
    const what = [d.kind, d.meter && `meter ${d.meter}`, d.name, d.missing && `missing: ${d.missing}`].filter(Boolean).join(' ');
    const text = `${r.name === 'record-resent' ? 'resent (kept once) ' : ''}#${d.seq ?? '?'} ${what}`.trim();
    return withLevel({ t, lane: 'cloud', text, kind: 'record' }, d.missing ? 'bad' : undefined);
  }
  if (NOTIFY.test(r.source) || NOTIFY.test(r.name)) return { t, lane: 'notifications', text: `${r.name}${data ? ': ' + dataText(data) : ''}`, kind: 'notify' };
  if (r.name === 'uplink' && typeof data?.['state'] === 'string') {
    return withLevel({ t, lane: `${r.source} uplink`, text: data['state'], kind: 'state' }, level(data['state']));
  }
  if (r.name === 'status' && typeof data?.['state'] === 'string') {
    const reg = typeof data['registration'] === 'string' ? data['registration'] : '';
    const text = [data['state'], data['sim'] && `SIM ${String(data['sim'])}`, reg && `reg ${reg}`, data['technology'], typeof data['dbm'] === 'number' && `${data['dbm']} dBm`].filter(Boolean).join(', ');
    const l = /^(home|roaming|registered)/.test(reg) ? 'ok' : reg ? 'bad' : level(String(data['state']));
    return withLevel({ t, lane: `${r.source} status`, text, kind: 'state' }, l);
  }
  if ((r.source === 'network' && /^(up|down)$/.test(r.name)) || (r.source === 'mains' && /^(outage|back)$/.test(r.name))) {
    const text = `${r.name}${data ? ' (' + dataText(data) + ')' : ''}`;
    return withLevel({ t, lane: r.source, text, kind: 'state' }, level(r.name));
  }
  const bad = /cut|fail|crash|error/.test(r.name);
  return withLevel({ t, lane: r.source, text: `${r.name}${data ? ' ' + dataText(data) : ''}`, kind: 'event' }, bad ? 'bad' : undefined);
}
