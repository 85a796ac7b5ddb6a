/**
 * A terminal's configuration: identity, model, send period, what is connected to each port.
 * Validated on load with the rules of the installation manuals:
 * - send period 1…240 minutes;
 * - one meter on the optical port, one on RS-232;
 * - up to 32 meters on one RS-485 line; with more than one, every meter's serial number must be
 *   registered (the terminal addresses each one by it), and serials are unique;
 * - Landis meters on RS-485 always need their serial number;
 * - the model must read meters at all (G22/G23/G25/G26 read Modbus devices only).
 */
import * as z from 'zod';
import { InputError } from '../core/errors.ts';
import type { TerminalModel } from './models/schema.ts';

const MeterSlotSchema = z.strictObject({
  /** Serial number; the RS-485 address unless `address` is set. */
  serial: z.string().regex(/^[0-9A-Za-z]{1,32}$/, { error: 'expected 1..32 letters or digits' }).optional(),
  /** Device address when it is not the serial (e.g. with the brand's prefix: MSY80099921). */
  address: z.string().regex(/^[0-9A-Za-z ]{1,32}$/, { error: 'expected 1..32 letters, digits or spaces' }).optional(),
  /** Brand, as registered on the cloud; some brands have addressing rules. */
  brand: z.string().optional(),
});
export type MeterSlot = z.output<typeof MeterSlotSchema>;

export const TerminalConfigSchema = z.strictObject({
  modemNo: z.string().regex(/^\d{6,12}$/, { error: 'expected the modem number: 6..12 digits' }),
  /** Per-modem uplink key, hex (set at manufacture). */
  secret: z.string().regex(/^[0-9a-f]{32,128}$/, { error: 'expected 32..128 lowercase hex digits' }),
  sendPeriodMin: z.number({ error: 'expected minutes 1..240' }).int({ error: 'expected whole minutes' }).min(1, { error: 'expected at least 1 minute' }).max(240, { error: 'expected at most 240 minutes' }),
  meters: z
    .strictObject({
      optical: MeterSlotSchema.optional(),
      rs232: MeterSlotSchema.optional(),
      rs485: z.array(MeterSlotSchema).max(32, { error: 'at most 32 meters on one RS-485 line' }).default([]),
    })
    .default({ rs485: [] }),
  /** Highest baud rate for readouts. */
  maxBaud: z.union([z.literal(300), z.literal(600), z.literal(1200), z.literal(2400), z.literal(4800), z.literal(9600), z.literal(19200)]).default(9600),
  /** Further attempts after a failed readout. */
  retries: z.number().int().min(0).max(5).default(2),
  firmware: z.string().default('1.0.0'),
});

export type TerminalConfig = z.output<typeof TerminalConfigSchema>;

/** Validates a configuration for a model; errors name the field (`meters.rs485[3].serial`). */
export function parseTerminalConfig(raw: unknown, model: TerminalModel, where = 'terminal config'): TerminalConfig {
  const r = TerminalConfigSchema.safeParse(raw);
  if (!r.success) {
    const i = r.error.issues[0]!;
    throw new InputError(`${where}: ${pathOf(i.path)}`, i.message);
  }
  const c = r.data;
  const fail = (path: string, msg: string): never => {
    throw new InputError(`${where}: ${path}`, msg);
  };
  const anyMeters = c.meters.optical || c.meters.rs232 || c.meters.rs485.length > 0;
  if (anyMeters && !model.reads.meters) fail('meters', `${model.model} reads Modbus devices only, not meters`);
  if (c.meters.optical && !model.ports.optical) fail('meters.optical', `${model.model} has no optical port`);
  if (c.meters.rs485.length > model.ports.maxRs485Meters) fail('meters.rs485', `at most ${model.ports.maxRs485Meters} meters on one RS-485 line`);
  const seen = new Map<string, number>();
  c.meters.rs485.forEach((m, i) => {
    const many = c.meters.rs485.length > 1;
    if (!m.serial && many) fail(`meters.rs485[${i}].serial`, 'with more than one meter on RS-485 every meter needs its serial number registered');
    if (!m.serial && /landis/i.test(m.brand ?? '')) fail(`meters.rs485[${i}].serial`, 'Landis meters on RS-485 need their serial number registered');
    const key = m.address ?? m.serial;
    if (key) {
      const first = seen.get(key.replace(/^0+/, ''));
      if (first !== undefined) fail(`meters.rs485[${i}]`, `address ${key} is already used by meters.rs485[${first}]`);
      seen.set(key.replace(/^0+/, ''), i);
    }
  });
  return c;
}

function pathOf(path: readonly PropertyKey[]): string {
  return path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : s ? `${s}.${String(p)}` : String(p)), '') || 'config';
}
