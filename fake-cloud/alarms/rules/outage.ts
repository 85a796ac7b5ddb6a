/**
 * Mains outage: raised by the terminal's `outage-start` event (AC GSM/4G models), cleared by its
 * `outage-end`. The times are the outage's own (`startedAt`, `endedAt` of the event details),
 * the record time when the details lack them.
 */
import { OUTAGE_EVENTS, checkOutageDetails } from '../../../protocols/uplink/io.ts';
import type { EventBody } from '../../../protocols/uplink/records.ts';
import type { Finding, RecordRule } from '../finding.ts';
import { duration } from './words.ts';

export const outageRule: RecordRule = (ctx, r) => {
  if (r.kind !== 'event' || !ctx.settings['mains-outage'].enabled) return [];
  const b = r.body as EventBody;
  if (b.name !== OUTAGE_EVENTS.start && b.name !== OUTAGE_EVENTS.end) return [];
  const c = checkOutageDetails(b.details ?? {});
  const d = c.ok ? c.value : undefined;
  const base = { rule: 'mains-outage', subject: 'mains', about: 'mains supply', memory: {} } as const;
  if (b.name === OUTAGE_EVENTS.start) {
    return [{ ...base, at: d?.startedAt ?? r.at, verdict: 'raise', text: 'mains supply lost at the terminal' }];
  }
  const at = d?.endedAt ?? r.at;
  const ms = d?.durationMs ?? (d ? at - d.startedAt : undefined);
  const f: Finding = { ...base, at, verdict: 'clear', text: ms === undefined ? 'mains supply back' : `mains supply back after ${duration(ms)}` };
  if (ms !== undefined) f.details = { value: Math.round(ms / 1000), unit: 's' };
  return [f];
};
