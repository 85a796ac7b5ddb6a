/**
 * Validation of the report queries (HTTP query strings, or the same objects from a scenario).
 * Every field is a single string (a number is accepted where the HTTP layer would give its
 * text); a bad one fails with an `ApiError(400)` naming it, through `parseInput`.
 */
import { z } from 'zod';
import { ApiError } from '../api/errors.ts';
import { parseInput, time } from '../api/queries.ts';

/** A whole number in `[min, max]`, from a number or its decimal text (a leading minus allowed). */
function whole(min: number, max: number, what = 'a whole number') {
  return z.union([z.string(), z.number()]).transform((v, ctx) => {
    const n = Number(v);
    if (Number.isSafeInteger(n) && n >= min && n <= max && (typeof v === 'number' || /^-?\d+$/.test(v))) return n;
    ctx.addIssue({ code: 'custom', message: `expected ${what} from ${min} to ${max}, got '${String(v)}'` });
    return z.NEVER;
  });
}

const text = (max: number) => z.string().min(1, 'expected a non-empty text').max(max, `expected at most ${max} characters`);

/** Local time as minutes east of UTC: Turkey is 180 (UTC+3, no daylight saving since 2016). */
const utcOffsetMin = whole(-720, 840, 'minutes east of UTC');
const maxAgeMin = whole(1, 1440, 'minutes');

export const BUCKETS = ['hour', 'day', 'month'] as const;
export type Bucket = (typeof BUCKETS)[number];

/** The installed-power tier of the reactive limits: 50 kVA or more (default), or below. */
export const LIMIT_TIERS = ['50kva-or-more', 'below-50kva'] as const;
export type LimitTier = (typeof LIMIT_TIERS)[number];

export const consumptionQuery = z.strictObject({
  meter: text(32).optional(),
  bucket: z.enum(BUCKETS, { error: `expected one of ${BUCKETS.join(', ')}` }).optional(),
  from: time.optional(),
  to: time.optional(),
  utcOffsetMin: utcOffsetMin.optional(),
  maxAgeMin: maxAgeMin.optional(),
});

export const reactiveQuery = z.strictObject({
  meter: text(32).optional(),
  /** The billing month, local `YYYY-MM`; default the month holding now. */
  month: z
    .string()
    .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'expected a month as YYYY-MM')
    .optional(),
  utcOffsetMin: utcOffsetMin.optional(),
  tier: z.enum(LIMIT_TIERS, { error: `expected one of ${LIMIT_TIERS.join(', ')}` }).optional(),
  recentDays: whole(1, 31, 'days').optional(),
  maxAgeMin: maxAgeMin.optional(),
});

export const instantaneousQuery = z.strictObject({
  meter: text(32).optional(),
});

export const capacitorStepsQuery = z.strictObject({
  port: z.enum(['rs485', 'rs232'], { error: 'expected rs485 or rs232' }).optional(),
  address: whole(1, 247, 'a Modbus address').optional(),
  from: time.optional(),
  to: time.optional(),
});

export const ioHistoryQuery = z.strictObject({
  point: z.enum(['input', 'output'], { error: 'expected input or output' }).optional(),
  n: whole(1, 8, 'a point number').optional(),
  from: time.optional(),
  to: time.optional(),
});

export const outagesQuery = z.strictObject({
  from: time.optional(),
  to: time.optional(),
});

export const communicationQuery = z.strictObject({
  from: time.optional(),
  to: time.optional(),
  /** The modem's send period; default: the one its records show. */
  periodMin: whole(1, 240, 'minutes').optional(),
});

export type ConsumptionQuery = z.output<typeof consumptionQuery>;
export type ReactiveQuery = z.output<typeof reactiveQuery>;
export type CapacitorStepsQuery = z.output<typeof capacitorStepsQuery>;
export type IoHistoryQuery = z.output<typeof ioHistoryQuery>;
export type CommunicationQuery = z.output<typeof communicationQuery>;

/** Parses `input` or throws `ApiError(400)` naming the first bad field (`consumption query: field 'to': …`). */
export function parseReportQuery<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  return parseInput(schema, input, `${what} query`);
}

/**
 * The window `[from, to]` with defaults (`to`: now; `from`: `to` − `defaultSpanMs`); `from`
 * must be before `to` and the span at most `maxSpanMs`.
 */
export function window(what: string, q: { from?: number | undefined; to?: number | undefined }, now: number, defaultSpanMs: number, maxSpanMs: number): { from: number; to: number } {
  const to = q.to ?? Math.floor(now);
  const from = q.from ?? to - defaultSpanMs;
  if (from >= to) throw new ApiError(400, `${what} query: field 'to': must be after 'from'`, 'to');
  if (to - from > maxSpanMs) throw new ApiError(400, `${what} query: field 'from': the window is at most ${Math.round(maxSpanMs / 86_400_000)} days`, 'from');
  return { from, to };
}
