/** Inputs of the alarm and notification queries, validated at the border; errors name the field. */
import * as z from 'zod';
import { ApiError } from '../api/errors.ts';
import { modemNo as modemNoSchema, parseInput } from '../api/queries.ts';
import type { ModemRow, Store } from '../store/store.ts';
import { ALARM_RULES } from './rule-settings.ts';

const limit = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (Number.isSafeInteger(n) && n >= 1 && n <= 10_000 && (typeof v === 'number' || /^\d+$/.test(v))) return n;
  ctx.addIssue({ code: 'custom', message: `expected a whole number from 1 to 10000, got '${String(v)}'` });
  return z.NEVER;
});

const id = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (Number.isSafeInteger(n) && n >= 1 && (typeof v === 'number' || /^\d+$/.test(v))) return n;
  ctx.addIssue({ code: 'custom', message: `expected an alarm id (a whole number ≥ 1), got '${String(v)}'` });
  return z.NEVER;
});

const state = z.enum(['open', 'cleared'], { error: "expected 'open' or 'cleared'" });
const rule = z.enum(ALARM_RULES, { error: `expected one of ${ALARM_RULES.join(', ')}` });

const modemAlarmsQuery = z.strictObject({ state: state.optional(), rule: rule.optional(), limit: limit.optional() });
const allAlarmsQuery = z.strictObject({ state: state.optional(), rule: rule.optional(), modem: modemNoSchema.optional(), limit: limit.optional() });
const mailQuery = z.strictObject({ to: z.string().min(1).max(254).optional(), alarm: id.optional(), limit: limit.optional() });
const outboxQuery = z.strictObject({ alarm: id.optional(), state: z.enum(['pending', 'sending', 'sent', 'failed'], { error: 'expected pending, sending, sent or failed' }).optional(), channel: z.enum(['email', 'sms'], { error: "expected 'email' or 'sms'" }).optional() });

/** Alarm list query (`state`, `rule`, `limit`; `modem` too when `all`); 400 naming the field. */
export function parseAlarmQuery(input: unknown, all: boolean): { state?: 'open' | 'cleared'; rule?: string; modemNo?: string; limit?: number } {
  if (!all) return parseInput(modemAlarmsQuery, input, 'alarms query');
  const q = parseInput(allAlarmsQuery, input, 'alarms query');
  const { modem, ...rest } = q;
  return { ...rest, ...(modem !== undefined ? { modemNo: modem } : {}) };
}

/** Mail / SMS list query (`to`, `alarm`, `limit`); 400 naming the field. */
export function parseNotificationQuery(input: unknown): { to?: string; alarmId?: number; limit?: number } {
  const q = parseInput(mailQuery, input, 'notifications query');
  const { alarm, ...rest } = q;
  return { ...rest, ...(alarm !== undefined ? { alarmId: alarm } : {}) };
}

/** Outbox query (`alarm`, `state`, `channel`); 400 naming the field. */
export function parseOutboxQuery(input: unknown): { alarmId?: number; state?: string; channel?: 'email' | 'sms' } {
  const q = parseInput(outboxQuery, input, 'outbox query');
  const { alarm, ...rest } = q;
  return { ...rest, ...(alarm !== undefined ? { alarmId: alarm } : {}) };
}

/** The modem, or `ApiError` 400 (bad number) / 404 (not provisioned). */
export function requireModem(store: Store, no: string): ModemRow {
  const ok = modemNoSchema.safeParse(no);
  if (!ok.success) throw new ApiError(400, `field 'modemNo': ${ok.error.issues[0]!.message}`, 'modemNo');
  const m = store.modem(no);
  if (!m) throw new ApiError(404, `modem ${no} is not provisioned`);
  return m;
}
