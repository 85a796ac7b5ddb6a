/**
 * Per-modem alarm rule settings: which rules are on and their thresholds. A modem without
 * settings of its own uses the defaults. Input (HTTP body or a scenario's object) is validated
 * whole; a missing rule or field takes its default; an unknown one is refused. Errors name the
 * field: `alarm rules: field 'voltage.overPct': expected a number from 1 to 50`.
 */
import * as z from 'zod';
import { TURKISH_REACTIVE_LIMITS } from '../reports/reactive-ratio.ts';
import { fieldPath } from '../../protocols/uplink/errors.ts';
import { ApiError } from '../api/errors.ts';

/** The alarm kinds, one per rule; recipients choose among these. */
export const ALARM_RULES = [
  'reactive-ratio',
  'reactive-forecast',
  'mains-outage',
  'meter-not-answering',
  'modbus-not-answering',
  'modem-silent',
  'input-change',
  'voltage',
  'capacitor-step',
] as const;
export type AlarmRule = (typeof ALARM_RULES)[number];

/** Each kind in words, for messages. */
export const RULE_TITLES: Readonly<Record<AlarmRule, string>> = {
  'reactive-ratio': 'reactive ratio over the limit',
  'reactive-forecast': 'reactive ratio forecast over the limit by month end',
  'mains-outage': 'mains outage',
  'meter-not-answering': 'meter not answering',
  'modbus-not-answering': 'Modbus device not answering',
  'modem-silent': 'modem silent',
  'input-change': 'input change',
  voltage: 'voltage out of range',
  'capacitor-step': 'capacitor step fault',
};

const num = (min: number, max: number, what = 'a number') =>
  z.number({ error: `expected ${what} from ${min} to ${max}` }).min(min, { error: `expected ${what} from ${min} to ${max}` }).max(max, { error: `expected ${what} from ${min} to ${max}` });
const int = (min: number, max: number) => num(min, max, 'a whole number').int({ error: `expected a whole number from ${min} to ${max}` });
const enabled = z.boolean({ error: 'expected true or false' }).default(true);

const reactive = {
  enabled,
  /** Inductive reactive energy as % of active energy above which the alarm is raised. */
  inductivePct: num(0, 100).default(TURKISH_REACTIVE_LIMITS.inductivePct),
  /** Capacitive reactive energy as % of active energy above which the alarm is raised. */
  capacitivePct: num(0, 100).default(TURKISH_REACTIVE_LIMITS.capacitivePct),
  /** Cleared once the figure is this many points below the limit (hysteresis). */
  clearMarginPct: num(0, 20).default(0.5),
  /** No judgement before this much active energy was drawn in the month (kWh). */
  minActiveKwh: num(0, 1e9).default(1),
};

export const AlarmRuleSettingsSchema = z.strictObject({
  /** The modem's data send period, which the silence and absence rules count in (minutes). */
  sendPeriodMin: int(1, 240).default(15),
  /** Local time offset of the billing month and of the times in messages (Turkey: 180). */
  utcOffsetMin: int(-720, 840).default(180),
  'reactive-ratio': z.strictObject(reactive).prefault({}),
  'reactive-forecast': z
    .strictObject({
      ...reactive,
      /** The projection is judged at most this often per meter (minutes), and at each new month. */
      everyMin: int(15, 10_080).default(360),
    })
    .prefault({}),
  'mains-outage': z.strictObject({ enabled }).prefault({}),
  'meter-not-answering': z.strictObject({ enabled, afterFailures: int(1, 100).default(1) }).prefault({}),
  'modbus-not-answering': z.strictObject({ enabled, afterFailures: int(1, 100).default(1), absentPeriods: int(1, 1000).default(3) }).prefault({}),
  'modem-silent': z.strictObject({ enabled, periods: int(1, 1000).default(3) }).prefault({}),
  'input-change': z
    .strictObject({
      enabled,
      /** Inputs that raise alarms (numbers from 1). */
      inputs: z.array(int(1, 8)).max(8).default([1, 2]),
      /** The contact state that is the alarm. */
      alarmWhen: z.enum(['closed', 'open'], { error: "expected 'closed' or 'open'" }).default('closed'),
    })
    .prefault({}),
  voltage: z
    .strictObject({
      enabled,
      nominalV: num(50, 1000).default(230),
      overPct: num(1, 50).default(10),
      underPct: num(1, 90).default(10),
      clearMarginPct: num(0, 10).default(1),
    })
    .prefault({}),
  'capacitor-step': z
    .strictObject({
      enabled,
      /** Smallest expected change of Q (kvar) a switching must show to be judged. */
      minKvar: num(0.1, 10_000).default(2),
      /** A switching is judged only while P changed by at most this much between readings (%). */
      steadyPct: num(0, 100).default(10),
    })
    .prefault({}),
});

export type AlarmRuleSettings = z.output<typeof AlarmRuleSettingsSchema>;

/** The settings every modem has until its own are set. */
export function defaultRuleSettings(): AlarmRuleSettings {
  return AlarmRuleSettingsSchema.parse({});
}

/** Validates rule settings; throws `ApiError(400)` naming the first bad field. */
export function parseRuleSettings(input: unknown): AlarmRuleSettings {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) throw new ApiError(400, 'alarm rules: field \'(body)\': expected an object', '(body)');
  const r = AlarmRuleSettingsSchema.safeParse(input);
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const path: PropertyKey[] = [...issue.path];
  if (issue.code === 'unrecognized_keys') path.push(String(issue.keys[0]));
  const field = fieldPath(path) || '(body)';
  throw new ApiError(400, `alarm rules: field '${field}': ${issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message}`, field);
}
