/**
 * Site I/O of the GSM/4G terminals, shared by the cloud and the terminal: the `io` record (an
 * input or relay output changed), the mains-outage event details, the PUSH kind `command` bodies
 * that switch a relay, and the PUSH kind `config` body that carries the I/O settings (I/O support
 * on/off and the weekly relay schedule).
 *
 * Points are numbered from 1: inputs IN1, IN2 (dry contacts, `on` = contact closed), outputs
 * C1, C2 (relays, `on` = energised, C–COM closed). The protocol allows up to 8 of each; a model
 * refuses numbers it does not have.
 *
 * The I/O config body is told apart from the Modbus config body by its `io` key; its version
 * (`ioVersion`) is counted apart from the Modbus config version.
 */
import { z } from 'zod';
import { fieldPath } from './errors.ts';

/** Highest input or output number the protocol carries. */
export const MAX_IO_POINTS = 8;

/** Why a relay output changed: a manual or automation command, the schedule, the end of a command's `until`, I/O support switched off (relays released). */
export const RELAY_CAUSES = ['command', 'automation', 'schedule', 'until', 'disabled'] as const;
export type RelayCause = (typeof RELAY_CAUSES)[number];

/**
 * Body of an `io` record: one point changed state at the record's `at` (for an input: the moment
 * the contact settled in its new state, before the debounce confirmed it). `cause` (outputs
 * only) says what switched the relay; `push` names the command push that did.
 */
export type IoRecordBody =
  | { point: 'input'; n: number; on: boolean }
  | { point: 'output'; n: number; on: boolean; cause: RelayCause; push?: string };

/** Event names of a mains outage (AC models), as `event` records. */
export const OUTAGE_EVENTS = { start: 'outage-start', end: 'outage-end' } as const;

/**
 * Details of an `outage-start` / `outage-end` event: `startedAt` (clock ms the mains went away),
 * and on the end `endedAt` (mains back) and `durationMs`. The end of an outage that outlasted the
 * terminal's hold-up is reported when the terminal is up again; `endedAt` is then the moment the
 * terminal saw the mains back after its restart.
 */
export interface OutageDetails {
  startedAt: number;
  endedAt?: number;
  durationMs?: number;
}

/** PUSH kind `command`: switch relay `output`; with `until` (clock ms) the relay falls back then. */
export interface RelaySetCommand {
  op: 'relay-set';
  output: number;
  on: boolean;
  until?: number;
  /** Who asked: a user on the web page (default) or an automation rule. */
  source?: 'manual' | 'automation';
}
export type IoCommandBody = RelaySetCommand;

export const WEEKDAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

/**
 * One line of a weekly schedule: output `output` is on from `on` to `off` (local `HH:MM`) on each
 * of `days`. `off` earlier than `on` crosses midnight (the day named is the day it switches on);
 * `off` equal to `on` is refused.
 */
export interface ScheduleEntry {
  output: number;
  days: Weekday[];
  on: string;
  off: string;
}

/** The I/O settings of a modem. `utcOffsetMin`: local time of the schedule (Turkey: 180). */
export interface IoSettings {
  enabled: boolean;
  schedule: ScheduleEntry[];
  utcOffsetMin: number;
}

/** PUSH kind `config` body with the I/O settings. */
export interface IoConfigPushBody {
  ioVersion: number;
  io: IoSettings;
}

const time = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);
const pointNo = z.number({ error: `expected a point number 1..${MAX_IO_POINTS}` }).int({ error: `expected a whole number 1..${MAX_IO_POINTS}` }).min(1, { error: `expected a point number 1..${MAX_IO_POINTS}` }).max(MAX_IO_POINTS, { error: `expected a point number 1..${MAX_IO_POINTS}` });
const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'expected a local time HH:MM (00:00..23:59)' });

export const IoRecordBodySchema = z.discriminatedUnion('point', [
  z.strictObject({ point: z.literal('input'), n: pointNo, on: z.boolean() }),
  z.strictObject({ point: z.literal('output'), n: pointNo, on: z.boolean(), cause: z.enum(RELAY_CAUSES), push: z.string().min(1).max(32).optional() }),
]);

export const OutageDetailsSchema = z
  .strictObject({ startedAt: time, endedAt: time.optional(), durationMs: time.optional() })
  .refine((d) => d.endedAt === undefined || d.endedAt >= d.startedAt, { message: 'endedAt is before startedAt', path: ['endedAt'] });

export const RelaySetCommandSchema = z.strictObject({
  op: z.literal('relay-set'),
  output: pointNo,
  on: z.boolean({ error: 'expected on: true or false' }),
  until: time.optional(),
  source: z.enum(['manual', 'automation']).optional(),
});
export const IoCommandBodySchema = z.discriminatedUnion('op', [RelaySetCommandSchema], { error: "expected a command with op 'relay-set'" });

export const ScheduleEntrySchema = z
  .strictObject({
    output: pointNo,
    days: z.array(z.enum(WEEKDAYS, { error: `expected a day: ${WEEKDAYS.join(', ')}` })).min(1, { error: 'expected at least one day' }).max(7),
    on: hhmm,
    off: hhmm,
  })
  .refine((e) => e.on !== e.off, { message: 'on and off are the same time', path: ['off'] });

export const IoSettingsSchema = z.strictObject({
  enabled: z.boolean({ error: 'expected enabled: true or false' }),
  schedule: z.array(ScheduleEntrySchema).max(64, { error: 'at most 64 schedule lines' }).default([]),
  utcOffsetMin: z.number().int().min(-720).max(840).default(180),
});

export const IoConfigPushBodySchema = z.strictObject({
  ioVersion: z.number({ error: 'expected the I/O config version, a whole number ≥ 1' }).int().min(1, { error: 'expected the I/O config version, a whole number ≥ 1' }).max(Number.MAX_SAFE_INTEGER),
  io: IoSettingsSchema,
});

/** A check result: the parsed value, or the first problem with the field it sits in. */
export type IoCheck<T> = { ok: true; value: T } | { ok: false; field: string; message: string };

function check<T>(schema: z.ZodType, input: unknown): IoCheck<T> {
  const r = schema.safeParse(input);
  if (r.success) return { ok: true, value: r.data as T };
  const issue = r.error.issues[0]!;
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = fieldPath([...issue.path, ...(unknownKey !== undefined ? [unknownKey] : [])]) || '(body)';
  return { ok: false, field, message: `${field}: ${unknownKey !== undefined ? 'unknown field' : issue.message}` };
}

/** Checks a PUSH kind `command` body. */
export function checkIoCommand(input: unknown): IoCheck<IoCommandBody> {
  return check(IoCommandBodySchema, input);
}

/** Checks I/O settings (`{ enabled, schedule?, utcOffsetMin? }`); errors name the field (`schedule[1].on`). */
export function checkIoSettings(input: unknown): IoCheck<IoSettings> {
  return check(IoSettingsSchema, input);
}

/** Checks a PUSH kind `config` body with I/O settings. */
export function checkIoConfigPushBody(input: unknown): IoCheck<IoConfigPushBody> {
  return check(IoConfigPushBodySchema, input);
}

/** Checks the details of an `outage-start` / `outage-end` event. */
export function checkOutageDetails(input: unknown): IoCheck<OutageDetails> {
  return check(OutageDetailsSchema, input);
}

/** True when a `config` push body carries I/O settings (and not a Modbus device list). */
export function isIoConfigBody(body: unknown): boolean {
  return body !== null && typeof body === 'object' && !Array.isArray(body) && 'io' in body;
}
