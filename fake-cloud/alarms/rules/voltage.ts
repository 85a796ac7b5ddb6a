/**
 * Over- and under-voltage: each phase voltage a device reports is judged against the modem's
 * nominal voltage ± its percentages (default 230 V ± 10 %: over above 253 V, under below 207 V).
 * Sources: Modbus readings (`voltage.l1` … `voltage.l3`) and meter readings (OBIS `32.7.0`,
 * `52.7.0`, `72.7.0`). One subject per source, phase and side (`modbus:rs485:147/l1/over`,
 * `meter:30012345/l2/under`). Cleared once the voltage is back inside the limit by
 * `clearMarginPct` of nominal (hysteresis: no flapping at the edge).
 */
import type { MeterReadingBody, ModbusReadingBody } from '../../../protocols/uplink/records.ts';
import type { Finding, RecordRule, RuleContext } from '../finding.ts';
import { modbusSubject, num } from './words.ts';

const METER_PHASES: Record<string, 'l1' | 'l2' | 'l3'> = { '32': 'l1', '52': 'l2', '72': 'l3' };

export const voltageRule: RecordRule = (ctx, r) => {
  if (!ctx.settings.voltage.enabled) return [];
  const phases: { source: string; about: string; phase: string; v: number }[] = [];
  if (r.kind === 'modbus-reading') {
    const b = r.body as ModbusReadingBody;
    const { subject, about } = modbusSubject(b);
    for (const v of b.values ?? []) {
      const m = /^voltage\.(l[123])$/.exec(v.name);
      if (m) phases.push({ source: subject, about, phase: m[1]!, v: v.unit === 'kV' ? v.value * 1000 : v.value });
    }
  } else if (r.kind === 'meter-reading') {
    const b = r.body as MeterReadingBody;
    for (const v of b.values ?? []) {
      const m = /^(?:\d+-\d+:)?(32|52|72)\.7\.0$/.exec(v.address);
      const value = Number.parseFloat(v.value);
      if (m && Number.isFinite(value)) phases.push({ source: `meter:${b.meterSerial}`, about: `meter ${b.meterSerial}`, phase: METER_PHASES[m[1]!]!, v: v.unit?.toLowerCase() === 'kv' ? value * 1000 : value });
    }
  }
  return phases.flatMap((p) => judge(ctx, r.at, p));
};

function judge(ctx: RuleContext, at: number, p: { source: string; about: string; phase: string; v: number }): Finding[] {
  const s = ctx.settings.voltage;
  const phase = p.phase.toUpperCase();
  const over = (s.nominalV * (100 + s.overPct)) / 100;
  const overClear = (s.nominalV * (100 + s.overPct - s.clearMarginPct)) / 100;
  const under = (s.nominalV * (100 - s.underPct)) / 100;
  const underClear = (s.nominalV * (100 - s.underPct + s.clearMarginPct)) / 100;
  const v = `${phase} voltage ${num(p.v)} V`;
  return [
    {
      rule: 'voltage', subject: `${p.source}/${p.phase}/over`, about: `${p.about}, ${phase} over-voltage`, at,
      verdict: p.v > over ? 'raise' : p.v <= overClear ? 'clear' : 'hold',
      text: p.v > over ? `${v} over the limit of ${num(over)} V (${s.nominalV} V + ${s.overPct} %)` : `${v}, back under ${num(overClear)} V`,
      details: { value: p.v, limit: over, unit: 'V' },
      memory: {},
    },
    {
      rule: 'voltage', subject: `${p.source}/${p.phase}/under`, about: `${p.about}, ${phase} under-voltage`, at,
      verdict: p.v < under ? 'raise' : p.v >= underClear ? 'clear' : 'hold',
      text: p.v < under ? `${v} under the limit of ${num(under)} V (${s.nominalV} V − ${s.underPct} %)` : `${v}, back over ${num(underClear)} V`,
      details: { value: p.v, limit: under, unit: 'V' },
      memory: {},
    },
  ];
}
