/**
 * Capacitor step fault, from a compensation relay's readings:
 *
 * - The relay's own alarm (`<device>/step-alarm`): `relay.alarm.step-fault` = 1, or bit 2 of
 *   `relay.alarms.mask`, raises; 0 clears. Relays recognise a step that does not deliver when
 *   they switch it (the change of Q around the switching is less than half the step).
 * - A switching without effect (`<device>/no-effect`), for relays that do not report it: between
 *   two readings the step mask changed by steps whose learned powers (`relay.step.N.power`) add up
 *   to an expected change of Q of at least `minKvar`, active power stayed within `steadyPct`, and
 *   the measured Q (`power.reactive.total`) changed by less than half the expected amount (or the
 *   other way). A later such switching that does change Q as expected clears it. A 15-minute
 *   reading cannot separate a switching from a change of the plant's own reactive load; this is
 *   a heuristic, judged only under steady active power.
 */
import type { ModbusReadingBody } from '../../../protocols/uplink/records.ts';
import type { Finding, RecordRule } from '../finding.ts';
import { modbusSubject, num } from './words.ts';

/** Bit of `step-fault` in `relay.alarms.mask` (the order of the relay alarm vocabulary). */
export const STEP_FAULT_BIT = 2;

interface Snapshot {
  mask: number;
  p: number;
  q: number;
}

export const capacitorRule: RecordRule = (ctx, r) => {
  const s = ctx.settings['capacitor-step'];
  if (r.kind !== 'modbus-reading' || !s.enabled) return [];
  const b = r.body as ModbusReadingBody;
  if (b.type !== 'compensation-relay' || !b.values) return [];
  const { subject: dev, about } = modbusSubject(b);
  const val = new Map(b.values.map((v) => [v.name, v]));
  const out: Finding[] = [];

  const flag = val.get('relay.alarm.step-fault')?.value ?? (val.has('relay.alarms.mask') ? (val.get('relay.alarms.mask')!.value >> STEP_FAULT_BIT) & 1 : undefined);
  if (flag !== undefined) {
    out.push({
      rule: 'capacitor-step', subject: `${dev}/step-alarm`, about, at: r.at,
      verdict: flag ? 'raise' : 'clear',
      text: flag ? 'the relay reports a capacitor step fault' : 'the relay no longer reports a step fault',
      details: { value: flag },
      memory: {},
    });
  }

  const mask = val.get('relay.steps.mask')?.value;
  const p = power(val.get('power.active.total'));
  const q = power(val.get('power.reactive.total'));
  if (mask === undefined || p === undefined || q === undefined) return out;
  const subject = `${dev}/no-effect`;
  const now: Snapshot = { mask, p, q };
  const prev = ctx.alarms.memory<Snapshot>(ctx.modemNo, 'capacitor-step', subject)?.data;
  let verdict: Finding['verdict'] = 'hold';
  let text = 'no switching to judge';
  let details: Finding['details'];
  if (prev && prev.mask !== mask && Math.abs(p - prev.p) <= (s.steadyPct / 100) * Math.max(Math.abs(p), Math.abs(prev.p), 1)) {
    const changed: { n: number; in: boolean; kvar: number }[] = [];
    for (let n = 1; n <= 20; n++) {
      const bit = 1 << (n - 1);
      if ((prev.mask & bit) === (mask & bit)) continue;
      const kvar = val.get(`relay.step.${n}.power`)?.value;
      if (kvar === undefined) return out; // a step power unknown: nothing to expect
      changed.push({ n, in: (mask & bit) !== 0, kvar: val.get(`relay.step.${n}.power`)?.unit === 'var' ? kvar / 1000 : kvar });
    }
    const expected = changed.reduce((a, c) => a + (c.in ? -c.kvar : c.kvar), 0);
    if (Math.abs(expected) >= s.minKvar) {
      const measured = (q - prev.q) / 1000;
      const share = measured / expected;
      const steps = `step${changed.length > 1 ? 's' : ''} ${changed.map((c) => `${c.n} ${c.in ? 'in' : 'out'}`).join(', ')}`;
      verdict = share < 0.5 ? 'raise' : 'clear';
      text = `${steps}: Q changed by ${num(measured)} kvar, expected ${num(expected)} kvar`;
      details = { value: measured, limit: expected, unit: 'kvar', steps: changed.map((c) => c.n) };
    }
  }
  out.push({ rule: 'capacitor-step', subject, about, at: r.at, verdict, text, details, memory: now });
  return out;
};

/** W or var (kW, kvar scaled). */
function power(v: { value: number; unit?: string | undefined } | undefined): number | undefined {
  if (!v) return undefined;
  return v.unit && /^k/i.test(v.unit) ? v.value * 1000 : v.value;
}
