/**
 * A meter or Modbus device not answering.
 *
 * - Meter (`meter:<serial>`): a `meter-reading` with `missing` counts a failure; after
 *   `afterFailures` in a row the alarm is raised (reason and the terminal's text); a reading with
 *   values clears it.
 * - Modbus device (`modbus:<port>:<address>`): a `modbus-reading` with `missing` and no values
 *   counts a failure, except an `exception` answer (the device answered); a reading with values
 *   (also a partial one) clears it.
 * - Absent Modbus device: a device declared on the cloud (and its list acknowledged by the
 *   terminal) with no `modbus-reading` at all for `absentPeriods` send periods, while the
 *   terminal reports its other devices, is raised on the same subject ("no reading of the
 *   declared device for 45 min"); its next reading with values clears it. Judged when a reading
 *   of another device of the modem arrives.
 */
import type { MeterReadingBody, ModbusReadingBody } from '../../../protocols/uplink/records.ts';
import type { Finding, RecordRule, RuleContext } from '../finding.ts';
import { duration, modbusSubject } from './words.ts';
import { sql } from '../../notify/sql.ts';

interface Failures {
  failures: number;
}

export const meterRule: RecordRule = (ctx, r) => {
  const s = ctx.settings['meter-not-answering'];
  if (r.kind !== 'meter-reading' || !s.enabled) return [];
  const b = r.body as MeterReadingBody;
  const subject = `meter:${b.meterSerial}`;
  const about = `meter ${b.meterSerial} (${b.port})`;
  if (!b.missing) return [{ rule: 'meter-not-answering', subject, about, at: r.at, verdict: 'clear', text: 'the meter answers again', memory: { failures: 0 } }];
  const failures = (ctx.alarms.memory<Failures>(ctx.modemNo, 'meter-not-answering', subject)?.data.failures ?? 0) + 1;
  return [{
    rule: 'meter-not-answering', subject, about, at: r.at,
    verdict: failures >= s.afterFailures ? 'raise' : 'hold',
    text: `no reading: ${b.missing.reason}${b.missing.text ? ` (${b.missing.text})` : ''}${failures > 1 ? `, ${failures} times in a row` : ''}`,
    details: { reason: b.missing.reason, failures },
    memory: { failures },
  }];
};

export const modbusRule: RecordRule = (ctx, r) => {
  const s = ctx.settings['modbus-not-answering'];
  if (r.kind !== 'modbus-reading' || !s.enabled) return [];
  const b = r.body as ModbusReadingBody;
  const { subject, about } = modbusSubject(b);
  const answered = (b.values !== undefined && b.values.length > 0) || b.missing?.reason === 'exception';
  const out: Finding[] = [];
  if (answered) {
    out.push({ rule: 'modbus-not-answering', subject, about, at: r.at, verdict: 'clear', text: 'the device answers again', memory: { failures: 0 } });
  } else {
    const failures = (ctx.alarms.memory<Failures>(ctx.modemNo, 'modbus-not-answering', subject)?.data.failures ?? 0) + 1;
    out.push({
      rule: 'modbus-not-answering', subject, about, at: r.at,
      verdict: failures >= s.afterFailures ? 'raise' : 'hold',
      text: `no answer: ${b.missing?.reason ?? 'nothing read'}${b.missing?.text ? ` (${b.missing.text})` : ''}${failures > 1 ? `, ${failures} times in a row` : ''}`,
      details: { reason: b.missing?.reason ?? 'other', failures },
      memory: { failures },
    });
  }
  out.push(...absentDevices(ctx, r.at, subject));
  return out;
};

/** Declared devices with no reading for `absentPeriods` periods up to `at` (other than `except`). */
function absentDevices(ctx: RuleContext, at: number, except: string): Finding[] {
  const s = ctx.settings['modbus-not-answering'];
  const modem = sql(ctx.store.db, 'SELECT config_version, config_acked_version, modbus_updated_at FROM modems WHERE modem_no = ?').get(ctx.modemNo) as Record<string, number | null> | undefined;
  if (!modem || modem['modbus_updated_at'] === null || (modem['config_acked_version'] ?? 0) < (modem['config_version'] ?? 0)) return [];
  const limit = s.absentPeriods * ctx.settings.sendPeriodMin * 60_000;
  const devices = sql(ctx.store.db, 'SELECT address, type, port FROM modbus_devices WHERE modem_no = ? ORDER BY position').all(ctx.modemNo) as { address: number; type: string; port: string }[];
  const out: Finding[] = [];
  for (const d of devices) {
    const { subject, about } = modbusSubject(d);
    if (subject === except) continue;
    const since = Math.max(ctx.alarms.memory(ctx.modemNo, 'modbus-not-answering', subject)?.lastAt ?? 0, modem['modbus_updated_at'] as number);
    if (at - since < limit) continue;
    out.push({ rule: 'modbus-not-answering', subject, about, at, verdict: 'raise', text: `no reading of the declared device for ${duration(at - since)}`, details: { reason: 'absent', value: Math.round((at - since) / 60_000), unit: 'min' } });
  }
  return out;
}
