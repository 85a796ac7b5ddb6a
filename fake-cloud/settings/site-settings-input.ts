/**
 * The rules of a modem's settings page (besides the Modbus devices and I/O): where the site is,
 * how often the terminal sends, and who receives its alarms.
 *
 * - `location`: `{ name, address?, lat?, lon? }` (lat and lon together, WGS 84 degrees), or null.
 * - `sendPeriodMin`: whole minutes 1..240 (the same rule the terminal applies).
 * - `recipients`: up to 20 people, each with an e-mail address and/or a phone number in E.164
 *   (`+905321234567`) and the alarm kinds they receive (`'all'` or kebab-case names such as
 *   `outage-start`); an address or number appears once in the list.
 */
import { z } from 'zod';
import { fieldPath } from '../../protocols/uplink/errors.ts';
import { ALARM_RULES } from '../alarms/rule-settings.ts';
import { SendPeriodSchema } from '../../protocols/uplink/period-config.ts';

export interface SiteLocation {
  name: string;
  address?: string | undefined;
  lat?: number | undefined;
  lon?: number | undefined;
}

export interface AlarmRecipient {
  name?: string | undefined;
  email?: string | undefined;
  phone?: string | undefined;
  /** Alarm kinds sent to this person, or `'all'`. */
  alarms: 'all' | string[];
}

/** A settings change: each field present replaces that part; absent fields are kept. */
export interface SiteSettingsChange {
  location?: SiteLocation | null | undefined;
  sendPeriodMin?: number | undefined;
  recipients?: AlarmRecipient[] | undefined;
}

export const MAX_RECIPIENTS = 20;
/** E.164: `+`, a country code not starting with 0, 7 to 15 digits in all. */
export const E164 = /^\+[1-9]\d{6,14}$/;

const text = (max: number, what: string) => z.string({ error: `expected ${what}` }).trim().min(1, { error: `expected ${what}` }).max(max, { error: `expected at most ${max} characters` });

const LocationSchema = z
  .strictObject({
    name: text(80, 'the name of the site'),
    address: text(200, 'an address (or leave it out)').optional(),
    lat: z.number({ error: 'expected a latitude -90..90' }).min(-90, { error: 'expected a latitude -90..90' }).max(90, { error: 'expected a latitude -90..90' }).optional(),
    lon: z.number({ error: 'expected a longitude -180..180' }).min(-180, { error: 'expected a longitude -180..180' }).max(180, { error: 'expected a longitude -180..180' }).optional(),
  })
  .refine((l) => (l.lat === undefined) === (l.lon === undefined), { message: 'expected lat and lon together (or neither)', path: ['lon'] });

const RecipientSchema = z
  .strictObject({
    name: text(80, 'a name (or leave it out)').optional(),
    email: z.string({ error: 'expected an e-mail address' }).trim().max(254).pipe(z.email({ error: 'expected an e-mail address' })).transform((e) => e.toLowerCase()).optional(),
    phone: z.string({ error: 'expected a phone number in E.164' }).regex(E164, { error: 'expected a phone number in E.164, e.g. +905321234567' }).optional(),
    alarms: z.union([z.literal('all'), z.array(z.string().refine((k) => (ALARM_RULES as readonly string[]).includes(k), { error: `expected an alarm kind: ${ALARM_RULES.join(', ')}` })).min(1, { error: "expected at least one alarm kind, or 'all'" }).max(64)], {
      error: "expected 'all' or a list of alarm kinds",
    }),
  })
  .refine((r) => r.email !== undefined || r.phone !== undefined, { message: 'expected an e-mail address or a phone number (or both)', path: ['email'] });

export const SiteSettingsChangeSchema = z
  .strictObject({
    location: LocationSchema.nullable().optional(),
    sendPeriodMin: SendPeriodSchema.optional(),
    recipients: z.array(RecipientSchema).max(MAX_RECIPIENTS, { error: `at most ${MAX_RECIPIENTS} recipients` }).optional(),
  })
  .superRefine((s, ctx) => {
    const seen = new Map<string, number>();
    s.recipients?.forEach((r, i) => {
      for (const key of ['email', 'phone'] as const) {
        const v = r[key];
        if (v === undefined) continue;
        const first = seen.get(v);
        if (first !== undefined) ctx.addIssue({ code: 'custom', path: ['recipients', i, key], message: `${v} is already in recipients[${first}]` });
        else seen.set(v, i);
      }
    });
  });

export type SiteSettingsCheck = { ok: true; value: SiteSettingsChange } | { ok: false; field: string; message: string };

/** Checks a settings change; problems name the field (`recipients[1].phone: expected …`). */
export function checkSiteSettings(input: unknown): SiteSettingsCheck {
  const r = SiteSettingsChangeSchema.safeParse(input);
  if (r.success) return { ok: true, value: r.data };
  const issue = r.error.issues[0]!;
  const unknownKey = issue.code === 'unrecognized_keys' ? issue.keys[0] : undefined;
  const field = fieldPath([...issue.path, ...(unknownKey !== undefined ? [unknownKey] : [])]) || '(body)';
  return { ok: false, field, message: `${field}: ${unknownKey !== undefined ? 'unknown field' : issue.message}` };
}
