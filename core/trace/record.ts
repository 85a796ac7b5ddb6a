import { z } from 'zod';

/**
 * One line of `trace.jsonl`. Times are clock ms (virtual or real) since the epoch, fractional.
 *
 * - `header`: first record; which clock, when it started, format version.
 * - `tx`: bytes one end put on a line, with that end's settings (`9600 8N1`).
 * - `rx`: what one end received when it differs from what was sent: UART errors
 *   (`framing@3`, `parity@0`, `break@5`: kind and index), `collision`, and `sent`, the
 *   sender's settings when they differ from the receiver's.
 * - `note`: a component's marker on a line's time axis (a fault switched on, a read failed).
 * - `event`: anything else on the time axis: uplink records, cloud deliveries, notifications.
 */
export const TRACE_VERSION = 1;

const time = z.number().finite();
const hex = z.string().regex(/^([0-9a-f]{2})*$/, 'lowercase hex without separators');
const settings = z.string().regex(/^\d+ [78][NEO][12]$/, "settings like '9600 8N1'");

export const traceRecordSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('header'), version: z.literal(TRACE_VERSION), clock: z.enum(['virtual', 'real']), start: time, title: z.string().optional() }),
  z.object({
    kind: z.literal('tx'),
    t: time,
    end: time,
    line: z.string(),
    from: z.string(),
    hex,
    settings,
    flags: z.array(z.string()).optional(),
  }),
  z.object({
    kind: z.literal('rx'),
    t: time,
    end: time,
    line: z.string(),
    to: z.string(),
    /** Further ends with the same settings that received the same bytes. */
    more: z.number().int().positive().optional(),
    hex,
    settings,
    flags: z.array(z.string()).optional(),
    sent: settings.optional(),
  }),
  z.object({ kind: z.literal('note'), t: time, line: z.string(), from: z.string(), text: z.string() }),
  z.object({ kind: z.literal('event'), t: time, source: z.string(), name: z.string(), data: z.record(z.string(), z.unknown()).optional() }),
]);

export type TraceRecord = z.infer<typeof traceRecordSchema>;
export type TraceBytesRecord = Extract<TraceRecord, { kind: 'tx' | 'rx' }>;
