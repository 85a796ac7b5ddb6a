/**
 * Input change (site I/O): an `io` record of an input listed in the rule's `inputs` raises the
 * alarm when the contact enters the `alarmWhen` state (closed by default) and clears it when it
 * leaves it. Subject `input:<n>`; the time is the moment the contact settled.
 */
import type { IoRecordBody } from '../../../protocols/uplink/io.ts';
import type { RecordRule } from '../finding.ts';

export const inputRule: RecordRule = (ctx, r) => {
  const s = ctx.settings['input-change'];
  if (r.kind !== 'io' || !s.enabled) return [];
  const b = r.body as IoRecordBody;
  if (b.point !== 'input' || !s.inputs.includes(b.n)) return [];
  const state = b.on ? 'closed' : 'open';
  return [{
    rule: 'input-change',
    subject: `input:${b.n}`,
    about: `input IN${b.n}`,
    at: r.at,
    verdict: state === s.alarmWhen ? 'raise' : 'clear',
    text: `IN${b.n} ${state}`,
    details: { value: b.on ? 1 : 0, state },
    memory: {},
  }];
};
