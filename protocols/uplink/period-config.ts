/**
 * The send period pushed from the cloud's modem settings to the terminal: PUSH kind `config`
 * with the body `{ periodVersion, sendPeriodMin }`.
 *
 * - `sendPeriodMin`: whole minutes 1..240 (the installation manuals' range); the terminal reads
 *   its meters and Modbus devices once per period, aligned to the clock (a 15-minute terminal at
 *   :00, :15, :30, :45).
 * - `periodVersion` (≥ 1) counts the cloud's changes of the period; it is kept apart from the
 *   Modbus config version (`version`) and the I/O version (`ioVersion`). A terminal ignores a
 *   version older than the one it applied.
 * - The body is told apart from the other config bodies by its `sendPeriodMin` key.
 */
import { z } from 'zod';
import { fieldPath } from './errors.ts';

/** Shortest and longest send period, in minutes. */
export const MIN_SEND_PERIOD_MIN = 1;
export const MAX_SEND_PERIOD_MIN = 240;

/** PUSH kind `config` body that sets the send period. */
export interface PeriodConfigPushBody {
  periodVersion: number;
  sendPeriodMin: number;
}

const periodError = `expected whole minutes ${MIN_SEND_PERIOD_MIN}..${MAX_SEND_PERIOD_MIN}`;

/** A send period in minutes (shared with the cloud's settings page). */
export const SendPeriodSchema = z
  .number({ error: periodError })
  .int({ error: periodError })
  .min(MIN_SEND_PERIOD_MIN, { error: periodError })
  .max(MAX_SEND_PERIOD_MIN, { error: periodError });

export const PeriodConfigPushBodySchema = z.strictObject({
  periodVersion: z
    .number({ error: 'expected the period version, a whole number ≥ 1' })
    .int({ error: 'expected the period version, a whole number ≥ 1' })
    .min(1, { error: 'expected the period version, a whole number ≥ 1' })
    .max(Number.MAX_SAFE_INTEGER),
  sendPeriodMin: SendPeriodSchema,
});

/** A check result: the parsed value, or the first problem with the field it sits in. */
export type PeriodCheck = { ok: true; value: PeriodConfigPushBody } | { ok: false; field: string; message: string };

/** Checks a send-period `config` body; problems name the field (`sendPeriodMin: expected …`). */
export function checkPeriodConfigPushBody(input: unknown): PeriodCheck {
  const r = PeriodConfigPushBodySchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = fieldPath([...issue.path, ...(unknownKey !== undefined ? [unknownKey] : [])]) || '(body)';
  return { ok: false, field, message: `${field}: ${unknownKey !== undefined ? 'unknown field' : issue.message}` };
}

/** True when a `config` push body sets the send period (and is not a Modbus or I/O config). */
export function isPeriodConfigBody(body: unknown): boolean {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && 'sendPeriodMin' in body;
}
