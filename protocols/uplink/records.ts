/**
 * RECORD kinds and their bodies: what a terminal reports. The envelope (seq, at, kind) is checked
 * by the message codec; the body is checked here, at the border, by the receiver
 * (`validateRecordBody`), with errors that name the field (`body.values[2].address`).
 */
import { z } from 'zod';
import { UplinkError, fieldPath } from './errors.ts';
import { IoRecordBodySchema, type IoRecordBody } from './io.ts';
import { MODBUS_DEVICE_TYPES, MODBUS_PORTS, type ModbusDeviceType, type ModbusPort } from './modbus-config.ts';

export const METER_PORTS = ['optical', 'rs232', 'rs485'] as const;
export type MeterPort = (typeof METER_PORTS)[number];

/**
 * Why a meter could not be read, as the terminal's meter reader tells them apart:
 * no-answer (nothing came back to the request), bad-identification (an answer, but not a valid
 * identification), no-data (identified, no data message after the option select), truncated
 * (the data message stopped before its end), bcc-mismatch (whole, with a wrong block check),
 * garbled (bytes that are not the protocol: line errors, wrong baud), meter-error (the meter
 * answered `(ERROR)`), port-fault (the terminal's own port failed), other.
 */
export const MISSING_REASONS = ['no-answer', 'bad-identification', 'no-data', 'truncated', 'bcc-mismatch', 'garbled', 'meter-error', 'port-fault', 'other'] as const;
export type MissingReason = (typeof MISSING_REASONS)[number];

/** One data set of a readout: OBIS address, the value exactly as the meter sent it, its unit. */
export interface ReadingValue {
  address: string;
  value: string;
  unit?: string;
}

/**
 * One readout of one meter: either `values` (with the meter's FLAG id and identification) or
 * `missing` (the reading failed; reason code and text). Times are clock ms.
 */
export interface MeterReadingBody {
  port: MeterPort;
  meterSerial: string;
  flag?: string;
  identification?: string;
  readStart: number;
  readEnd: number;
  values?: ReadingValue[];
  missing?: { reason: MissingReason; text: string };
}

/** A fact worth telling the cloud: `meter-not-answering`, `terminal-start`, `outbox-full`, … */
export interface EventBody {
  name: string;
  details?: Record<string, unknown>;
}

/**
 * Why (part of) a Modbus device could not be read, as the terminal's Modbus master tells them
 * apart: no-answer (nothing came back within the response time-out, on every try), crc-error (a
 * whole answer with a wrong CRC), exception (the device answered an exception; `code` holds it),
 * timeout-partial (an answer that stopped or broke off: a silence inside the frame), collision
 * (bytes the UART flagged: two devices talking at once), other (an answer that does not fit the
 * request, the terminal's port failed, …).
 */
export const MODBUS_MISSING_REASONS = ['no-answer', 'crc-error', 'exception', 'timeout-partial', 'collision', 'other'] as const;
export type ModbusMissingReason = (typeof MODBUS_MISSING_REASONS)[number];

/** One value read from a Modbus device: quantity name (`voltage.l1`), engineering value, unit. */
export interface ModbusReadingValue {
  name: string;
  value: number;
  unit?: string;
}

/**
 * One poll of one Modbus device. `values` holds what was read; `missing` says why something was
 * not read: alone, nothing was read; together with `values`, the reading is partial (some
 * requests failed, `missing.text` names them). `model` is the register map the terminal used.
 * Times are clock ms: the first request's start and the last answer's end.
 */
export interface ModbusReadingBody {
  port: ModbusPort;
  address: number;
  type: ModbusDeviceType;
  model?: string;
  readStart: number;
  readEnd: number;
  values?: ModbusReadingValue[];
  missing?: { reason: ModbusMissingReason; code?: number; text: string };
}

export interface RecordBodies {
  'meter-reading': MeterReadingBody;
  event: EventBody;
  'modbus-reading': ModbusReadingBody;
  /** An input or relay output of the site I/O changed (see io.ts). */
  io: IoRecordBody;
}

export type RecordKind = keyof RecordBodies;
export const RECORD_KINDS: readonly RecordKind[] = ['meter-reading', 'event', 'modbus-reading', 'io'];

/** A record as the terminal creates it, before the outbox gives it a sequence number. */
export type RecordInput = { [K in RecordKind]: { at: number; kind: K; body: RecordBodies[K] } }[RecordKind];

/** A numbered record. `kind` is open on the wire; only known kinds pass `validateRecordBody`. */
export interface UplinkRecord {
  seq: number;
  at: number;
  kind: string;
  body: unknown;
}

const time = z.number().int().nonnegative();
const text = (max: number) => z.string().min(1).max(max);

const meterReading = z
  .strictObject({
    port: z.enum(METER_PORTS),
    meterSerial: text(32),
    flag: z.string().regex(/^[A-Za-z]{3}$/, 'expected a 3-letter FLAG manufacturer id').optional(),
    identification: text(64).optional(),
    readStart: time,
    readEnd: time,
    values: z.array(z.strictObject({ address: text(32), value: z.string().max(128), unit: text(16).optional() })).max(1024).optional(),
    missing: z.strictObject({ reason: z.enum(MISSING_REASONS), text: z.string().max(256) }).optional(),
  })
  .superRefine((b, ctx) => {
    if (b.values === undefined && b.missing === undefined) ctx.addIssue({ code: 'custom', path: ['values'], message: "expected 'values' or 'missing'" });
    if (b.values !== undefined && b.missing !== undefined) ctx.addIssue({ code: 'custom', path: ['missing'], message: "'values' and 'missing' exclude each other" });
    if (b.readEnd < b.readStart) ctx.addIssue({ code: 'custom', path: ['readEnd'], message: `read end ${b.readEnd} is before read start ${b.readStart}` });
  });

const event = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,63}$/, 'expected a kebab-case event name (a-z, 0-9, -; at most 64)'),
  details: z.record(z.string(), z.unknown()).optional(),
});

const modbusReading = z
  .strictObject({
    port: z.enum(MODBUS_PORTS),
    address: z.number().int().min(1).max(247),
    type: z.enum(MODBUS_DEVICE_TYPES),
    model: text(64).optional(),
    readStart: time,
    readEnd: time,
    values: z.array(z.strictObject({ name: text(64), value: z.number(), unit: text(16).optional() })).max(2048).optional(),
    missing: z
      .strictObject({ reason: z.enum(MODBUS_MISSING_REASONS), code: z.number().int().min(0).max(255).optional(), text: z.string().max(256) })
      .refine((m) => (m.reason === 'exception') === (m.code !== undefined), { message: "an exception carries its 'code', other reasons none", path: ['code'] })
      .optional(),
  })
  .superRefine((b, ctx) => {
    if (b.values === undefined && b.missing === undefined) ctx.addIssue({ code: 'custom', path: ['values'], message: "expected 'values' or 'missing'" });
    if (b.readEnd < b.readStart) ctx.addIssue({ code: 'custom', path: ['readEnd'], message: `read end ${b.readEnd} is before read start ${b.readStart}` });
  });

const BODY_SCHEMAS: Record<RecordKind, z.ZodType> = { 'meter-reading': meterReading, event, 'modbus-reading': modbusReading, io: IoRecordBodySchema };

export type BodyCheck = { ok: true; kind: RecordKind; body: unknown } | { ok: false; error: UplinkError };

/** Checks a record body against its kind; an unknown kind fails on field `kind`. */
export function validateRecordBody(kind: string, body: unknown): BodyCheck {
  const schema = BODY_SCHEMAS[kind as RecordKind];
  if (!schema) {
    return { ok: false, error: new UplinkError('invalid-field', `field 'kind': unknown record kind '${kind}', expected one of ${RECORD_KINDS.join(', ')}`, { field: 'kind' }) };
  }
  const r = schema.safeParse(body);
  if (r.success) return { ok: true, kind: kind as RecordKind, body: r.data };
  return { ok: false, error: zodToUplinkError(r.error, 'body', `${kind} body`) };
}

/** The first zod issue as an `UplinkError` naming the field under `prefix`. */
export function zodToUplinkError(error: z.ZodError, prefix: string, what: string, offset?: number): UplinkError {
  const issue = error.issues[0]!;
  const field = fieldPath([...(prefix ? [prefix] : []), ...issue.path]) || prefix || '(root)';
  const more = error.issues.length > 1 ? ` (and ${error.issues.length - 1} more)` : '';
  const where = offset === undefined ? '' : ` at offset ${offset}`;
  return new UplinkError('invalid-field', `${what}${where}: field '${field}': ${issue.message}${more}`, { field, ...(offset === undefined ? {} : { offset }) });
}
