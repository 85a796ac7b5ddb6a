/** Inputs of the I/O routes, validated at the border; errors name the field. */
import * as z from 'zod';
import { MAX_IO_POINTS } from '../../protocols/uplink/io.ts';
import { ApiError } from '../api/errors.ts';

const point = z.number({ error: `expected a number 1..${MAX_IO_POINTS}` }).int().min(1, { error: `expected a number 1..${MAX_IO_POINTS}` }).max(MAX_IO_POINTS, { error: `expected a number 1..${MAX_IO_POINTS}` });
const modemNo = z.string().regex(/^[0-9A-Za-z-]{1,32}$/, { error: 'expected a modem number' });

const relayInput = z.strictObject({
  output: z.coerce.number().pipe(point),
  on: z.boolean({ error: 'expected on: true or false' }),
  until: z.number().int().nonnegative().optional(),
});

const ruleInput = z.strictObject({
  from: z.strictObject({ modemNo, input: point }),
  to: z.strictObject({ modemNo, output: point }),
  invert: z.boolean().default(false),
});

function parse<T>(schema: z.ZodType<T>, input: unknown, what: string): T {
  const r = schema.safeParse(input);
  if (r.success) return r.data;
  const i = r.error.issues[0]!;
  const field = i.path.map(String).join('.') || '(body)';
  throw new ApiError(400, `${what}: field '${field}': ${i.message}`, field);
}

export function parseRelayInput(input: unknown): z.output<typeof relayInput> {
  return parse(relayInput, input, 'relay');
}

export function parseRuleInput(input: unknown): z.output<typeof ruleInput> {
  return parse(ruleInput, input, 'io rule');
}
