/**
 * Validation of API inputs (HTTP query strings, or the same objects from a scenario). Each field
 * is a single string (a number is accepted where the HTTP layer would give its text); a bad one
 * fails with an `ApiError(400)` naming it.
 */
import { z } from 'zod';
import { ApiError } from './errors.ts';

const MAX_LIMIT = 10_000;

/** Clock ms, from digits (`1767571200000`) or an ISO 8601 date-time (`2026-01-05T00:00:00Z`). */
export const time = z.union([z.string(), z.number()]).transform((v, ctx) => {
  if (typeof v === 'number' || /^\d{1,15}$/.test(v)) {
    const n = Number(v);
    if (Number.isSafeInteger(n) && n >= 0) return n;
  } else if (/^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(v)) {
    const ms = Date.parse(v);
    if (!Number.isNaN(ms)) return ms;
  }
  ctx.addIssue({ code: 'custom', message: `expected clock ms or an ISO 8601 date-time, got '${String(v)}'` });
  return z.NEVER;
});

const limit = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (Number.isSafeInteger(n) && n >= 1 && n <= MAX_LIMIT && (typeof v === 'number' || /^\d+$/.test(v))) return n;
  ctx.addIssue({ code: 'custom', message: `expected a whole number from 1 to ${MAX_LIMIT}, got '${String(v)}'` });
  return z.NEVER;
});

const seq = z.union([z.string(), z.number()]).transform((v, ctx) => {
  const n = Number(v);
  if (Number.isSafeInteger(n) && n >= 0 && (typeof v === 'number' || /^\d+$/.test(v))) return n;
  ctx.addIssue({ code: 'custom', message: `expected a whole number ≥ 0, got '${String(v)}'` });
  return z.NEVER;
});

const text = (max: number) => z.string().min(1).max(max);

const window = { from: time.optional(), to: time.optional(), limit: limit.optional() };

export const readingsQuery = z.strictObject({ ...window, meter: text(32).optional(), address: text(32).optional() });
export const eventsQuery = z.strictObject({ ...window, name: text(64).optional() });
export const recordsQuery = z.strictObject({ ...window, kind: text(32).optional(), afterSeq: seq.optional() });
export const provisionInput = z.strictObject({
  modemNo: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'expected 1–32 letters, digits or dashes'),
  secret: z.string().min(8, 'expected at least 8 characters').max(256),
  model: text(32).optional(),
});
export const modemNo = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9-]{0,31}$/, 'expected 1–32 letters, digits or dashes');

export type ReadingsQuery = z.output<typeof readingsQuery>;
export type EventsQuery = z.output<typeof eventsQuery>;
export type RecordsQuery = z.output<typeof recordsQuery>;

/** Parses `input` or throws `ApiError(400)` naming the first bad field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown, what: string): z.output<S> {
  for (const [k, v] of Object.entries((input ?? {}) as Record<string, unknown>)) {
    if (Array.isArray(v)) throw new ApiError(400, `${what}: field '${k}': expected a single value, got ${v.length}`, k);
  }
  const r = schema.safeParse(input ?? {});
  if (r.success) return r.data;
  const issue = r.error.issues[0]!;
  const field = issue.code === 'unrecognized_keys' ? String(issue.keys[0]) : issue.path.map(String).join('.') || '(input)';
  const message = issue.code === 'unrecognized_keys' ? `unknown field` : issue.message;
  throw new ApiError(400, `${what}: field '${field}': ${message}`, field);
}
