/**
 * A terminal model profile: what one HT model has and does (uplink, supply, what it reads,
 * outage detection, I/O, LEDs, port limits). Facts from the manufacturer's installation
 * manuals as restated in shared/product/terminals.md; each file names its source.
 */
import * as z from 'zod';

const LEDS = ['usb', 'power', 'rs485', 'optical', 'rs232', 'ip', 'internet', 'gsm', 'in', 'out', 'data'] as const;

export const TerminalModelSchema = z
  .strictObject({
    model: z.string().regex(/^HT [EG]2\d$/, { error: "expected a model name such as 'HT G21'" }),
    /** Product code printed on the label (GSM/4G models). */
    code: z.string().regex(/^GA\d{4}$/, { error: "expected a product code such as 'GA3121'" }).optional(),
    source: z.array(z.string().min(1)).min(1, { error: 'expected at least one source' }),
    uplink: z.enum(['ethernet', '2g', '4g'], { error: 'expected ethernet, 2g or 4g' }),
    /** 4G models fall back to 2G where 4G is absent. */
    fallback2g: z.boolean().default(false),
    supply: z.strictObject({ kind: z.enum(['ac', 'dc']), minV: z.number().positive(), maxV: z.number().positive() }),
    reads: z.strictObject({ meters: z.boolean(), modbus: z.boolean() }),
    outageDetection: z.boolean(),
    io: z.strictObject({ inputs: z.number().int().min(0).max(8), outputs: z.number().int().min(0).max(8), relayRatingA: z.number().positive().optional() }),
    ports: z.strictObject({
      optical: z.boolean(),
      rs232: z.boolean(),
      rs485: z.boolean(),
      /** Meters on one RS-485 line. */
      maxRs485Meters: z.number().int().min(1).max(32),
      /** Modbus devices on one RS-485 line. */
      maxModbusDevices: z.number().int().min(1).max(247),
    }),
    sendPeriodMin: z.strictObject({ min: z.number().int().min(1), max: z.number().int().max(1440) }),
    leds: z.array(z.enum(LEDS)).min(1),
    notes: z.array(z.string()).default([]),
  })
  .superRefine((m, ctx) => {
    if (m.fallback2g && m.uplink !== '4g') ctx.addIssue({ code: 'custom', path: ['fallback2g'], message: 'only a 4g model falls back to 2G' });
    if (m.uplink !== 'ethernet' && !m.code) ctx.addIssue({ code: 'custom', path: ['code'], message: 'a GSM/4G model needs its product code' });
    if (m.outageDetection && m.supply.kind !== 'ac') ctx.addIssue({ code: 'custom', path: ['outageDetection'], message: 'only AC-supplied models detect a mains outage' });
    if (!m.reads.meters && !m.reads.modbus) ctx.addIssue({ code: 'custom', path: ['reads'], message: 'a model reads meters, Modbus devices or both' });
    if (m.supply.minV >= m.supply.maxV) ctx.addIssue({ code: 'custom', path: ['supply'], message: 'minV must be below maxV' });
  });

export type TerminalModel = z.output<typeof TerminalModelSchema>;
