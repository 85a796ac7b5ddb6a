/**
 * What a scenario's site is made of, validated like every input from outside: errors name the
 * field (`site.rs485.meters[3].brand`).
 */
import * as z from 'zod';
import { InputError } from '../../core/errors.ts';

const MeterSpecSchema = z.strictObject({
  /** Brand or FLAG id, as in the meter profiles (Landis, LGZ, Makel, …). */
  brand: z.string().min(1),
  model: z.string().optional(),
  /** Serial number; default: the profile's example serial, made unique on a bus. */
  serial: z.string().regex(/^[0-9A-Za-z]{1,32}$/).optional(),
  initialKwh: z.number().nonnegative().default(1000),
  /** Whether the meter is registered in the terminal's configuration (default true). */
  registered: z.boolean().default(true),
});
export type MeterSpec = z.output<typeof MeterSpecSchema>;

/** A GSM/4G terminal's module, SIM and radio coverage. */
const CellularSchema = z.strictObject({
  /** Module profile (default SIM800C on 2G models, EC25-E on 4G models). */
  module: z.string().optional(),
  sim: z.enum(['ready', 'pin', 'puk', 'absent']).default('ready'),
  /** Signal of each technology at the site, dBm (null: no such cell). */
  gsmDbm: z.number().min(-120).max(-40).nullable().default(-75),
  lteDbm: z.number().min(-120).max(-40).nullable().default(-79),
  /** GSM coverage that comes and goes: `upMin` minutes of service, then `downMin` without. */
  flapping: z.strictObject({ upMin: z.number().positive(), downMin: z.number().positive() }).optional(),
});

export const SiteSpecSchema = z.strictObject({
  /** ISO start of virtual time (default 2026-01-05T00:00:00Z, a Monday). */
  start: z.iso.datetime().optional(),
  terminal: z.strictObject({
    model: z.string().default('HT E21'),
    modemNo: z.string().regex(/^\d{6,12}$/).default('21000001'),
    sendPeriodMin: z.number().int().min(1).max(240).default(15),
    retries: z.number().int().min(0).max(5).optional(),
  }),
  load: z
    .strictObject({
      baseKw: z.number().nonnegative(),
      peakKw: z.number().nonnegative(),
      powerFactor: z.number().gt(0).max(1),
      capacitive: z.boolean().optional(),
      seed: z.number().int().optional(),
    })
    .default({ baseKw: 5, peakKw: 40, powerFactor: 0.92 }),
  optical: MeterSpecSchema.optional(),
  rs232: MeterSpecSchema.optional(),
  rs485: z
    .strictObject({
      meters: z.array(MeterSpecSchema).max(32),
      /** The terminal's RS-485 transceiver hears its own transmissions. */
      adapterEcho: z.boolean().default(false),
    })
    .optional(),
  /** Modbus devices on the RS-485 line (models that read Modbus). */
  modbus: z
    .strictObject({
      devices: z
        .array(
          z.strictObject({
            /** Device model as the Modbus profiles name it ('Klemsan RAPIDUS', 'Eastron SDM630'). */
            model: z.string().min(1),
            address: z.number().int().min(1).max(247).optional(),
            /** Serial number (Grup Arge screenless devices take their address from it). */
            serial: z.string().regex(/^\d{2,16}$/).optional(),
            /** Whether the device is declared in the modem's settings on the cloud (default true). */
            declared: z.boolean().default(true),
          }),
        )
        .max(247),
    })
    .optional(),
  network: z.strictObject({ latencyMs: z.number().nonnegative().default(30) }).default({ latencyMs: 30 }),
  /** GSM/4G models: the module, the SIM and the site's radio coverage. */
  cellular: CellularSchema.default({ sim: 'ready', gsmDbm: -75, lteDbm: -79 }),
  /**
   * Other terminals of the same account (no meters of their own), e.g. the well's modem when the
   * main terminal is at the tank. They share the site's mains and radio coverage unless given.
   */
  peers: z
    .array(
      z.strictObject({
        model: z.string(),
        modemNo: z.string().regex(/^\d{6,12}$/),
        sendPeriodMin: z.number().int().min(1).max(240).default(15),
        cellular: CellularSchema.optional(),
      }),
    )
    .max(16)
    .default([]),
  /** Plant wired to the terminals' I/O. */
  plant: z
    .strictObject({
      /**
       * The well–tank case: the tank's float (closes at the low mark, opens at the high mark) on
       * an input of one modem; the well pump on a relay output of another (or the same) modem.
       */
      wellTank: z.strictObject({
        float: z.strictObject({ modemNo: z.string(), input: z.number().int().min(1).max(2) }),
        pump: z.strictObject({ modemNo: z.string(), output: z.number().int().min(1).max(2), kw: z.number().positive().default(5.5) }),
        capacityM3: z.number().positive(),
        levelM3: z.number().nonnegative(),
        consumptionM3h: z.number().nonnegative(),
        pumpM3h: z.number().nonnegative(),
        lowM3: z.number().nonnegative(),
        highM3: z.number().positive(),
      }),
    })
    .optional(),
});

export type SiteSpec = z.input<typeof SiteSpecSchema>;
export type ValidSiteSpec = z.output<typeof SiteSpecSchema>;

export function validateSiteSpec(spec: SiteSpec, where = 'site'): ValidSiteSpec {
  const r = SiteSpecSchema.safeParse(spec);
  if (!r.success) {
    const i = r.error.issues[0]!;
    const path = i.path.reduce<string>((s, p) => (typeof p === 'number' ? `${s}[${p}]` : `${s}.${String(p)}`), where);
    throw new InputError(path, i.message);
  }
  return r.data;
}
