/**
 * The schema of a cellular module profile: one validated YAML file per module model, read by
 * the one modem engine. A module is data: what it answers to identification commands, what it
 * prints at start-up, which access technologies and socket command set it has, how long it takes
 * to answer each class of command, and which URCs it emits.
 */
import { z } from 'zod';
import { BAUD_RATES } from '../../lines/settings.ts';

/** The socket command families. */
export const SOCKET_DIALECTS = ['simcom-cip', 'quectel-qi'] as const;
export type SocketDialectName = (typeof SOCKET_DIALECTS)[number];

/** Access technologies a module may have. */
export const TECHNOLOGIES = ['gsm', 'lte'] as const;

/**
 * Latency classes: the engine maps every command to one (see `command-classes.ts`). Values are
 * typical answer times; `maxResponseMs` holds the manuals' upper bounds.
 */
export const LATENCY_CLASSES = ['basic', 'query', 'sim', 'network', 'attach', 'pdp', 'socket', 'send', 'close', 'shut', 'sms', 'power', 'scan'] as const;
export type LatencyClass = (typeof LATENCY_CLASSES)[number];

const text = z.string().min(1);
const ms = z.number().nonnegative().finite();

const sourceSchema = z.strictObject({
  documents: z.array(z.strictObject({ title: text, version: z.string().optional(), covers: z.string().optional(), url: z.string().optional() })).min(1),
  notes: z.string().optional(),
});

const bootUrcSchema = z.strictObject({
  /** Time after power-on (ms). */
  afterMs: ms,
  /** The URC text; `{cpin}` stands for the SIM state (READY, SIM PIN, SIM PUK, NOT INSERTED). */
  text,
  /** `always` (default), or `sim-ready`: only once the SIM is ready (deferred until a PIN is entered). */
  when: z.enum(['always', 'sim-ready']).default('always'),
});

/** One module profile. */
export const modemProfileSchema = z
  .strictObject({
    vendor: text,
    model: text,
    aliases: z.array(text).default([]),
    socketDialect: z.enum(SOCKET_DIALECTS),
    source: sourceSchema,
    identity: z.strictObject({
      /** `AT+CGMI` / `AT+GMI`. */
      manufacturer: text,
      /** `AT+CGMM` / `AT+GMM`. */
      model: text,
      /** `AT+CGMR` / `AT+GMR`. */
      revision: text,
      /** Lines of `ATI`. */
      ati: z.array(text).min(1),
      /** First 8 digits of generated IMEIs (the type allocation code). */
      imeiTac: z.string().regex(/^\d{8}$/),
    }),
    access: z.strictObject({
      technologies: z.array(z.enum(TECHNOLOGIES)).min(1),
      /** Registration commands the module knows. */
      registration: z.array(z.enum(['+CREG', '+CGREG', '+CEREG'])).min(1),
      /** Registration URCs and `n=2` answers carry `<AcT>`. */
      registrationAct: z.boolean(),
      /** Time from coverage to registration, per technology (ms). */
      registrationDelayMs: z.strictObject({ gsm: ms.optional(), lte: ms.optional() }),
      /** `AT+QCFG="nwscanmode"` is available. */
      scanMode: z.boolean().default(false),
    }),
    boot: z.strictObject({
      urcs: z.array(bootUrcSchema).min(1),
      /** The URC when the SIM goes away (hot-plug). */
      simRemovedUrc: text,
      /** The URC a power-down command or the power key prints. */
      powerDownUrc: text,
      /** How long `AT+CFUN=1,1` or a power key press takes before the module restarts (ms). */
      resetMs: ms,
    }),
    defaults: z.strictObject({
      baudRate: z.number().refine((b) => (BAUD_RATES as readonly number[]).includes(b), { message: `expected one of ${BAUD_RATES.join(', ')}` }),
      echo: z.boolean(),
      verbose: z.boolean(),
      cmee: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    }),
    sockets: z.strictObject({
      /** Most bytes one send may carry. */
      maxSendBytes: z.number().int().positive(),
      /** Most bytes one read may return. */
      maxReadBytes: z.number().int().positive(),
      /** Socket (link) ids 0..count−1. */
      count: z.number().int().min(1).max(12),
      /** `SEND OK` only after the peer acknowledged (SIMCom normal mode); otherwise when buffered. */
      sendOkAfterAck: z.boolean(),
      /** The module echoes the bytes typed after `> ` when echo is on. */
      echoData: z.boolean(),
    }),
    latencyMs: z.strictObject(Object.fromEntries(LATENCY_CLASSES.map((c) => [c, ms])) as Record<LatencyClass, typeof ms>),
    /** Upper bounds of the manuals by command (`+CIICR`: 85000), for documentation and terminal time-outs. */
    maxResponseMs: z.record(z.string().regex(/^(\+|&)?[A-Z0-9]+$/), ms).default({}),
    /** Prefixes (or whole texts) of every URC the module emits; a SIMCom multi-link `<n>, ` prefix is not part of them. */
    urcs: z.array(text).min(1),
    /** Commands answered with a plain OK and no effect (LED, sleep and similar settings). */
    acknowledged: z.array(z.string().regex(/^[+&][A-Z0-9]+$/)).default([]),
  })
  .superRefine((p, ctx) => {
    for (const t of p.access.technologies) {
      if (p.access.registrationDelayMs[t] === undefined) ctx.addIssue({ code: 'custom', path: ['access', 'registrationDelayMs', t], message: `a delay is needed for ${t}, which the module has` });
    }
    if (p.access.technologies.includes('lte') && !p.access.registration.includes('+CEREG')) {
      ctx.addIssue({ code: 'custom', path: ['access', 'registration'], message: 'an LTE module must know +CEREG' });
    }
    if (p.boot.urcs.filter((u) => u.text.includes('{cpin}')).length !== 1) {
      ctx.addIssue({ code: 'custom', path: ['boot', 'urcs'], message: "exactly one start-up URC must hold '{cpin}' (the SIM is read then)" });
    }
    if (p.access.scanMode && p.access.technologies.length < 2) ctx.addIssue({ code: 'custom', path: ['access', 'scanMode'], message: 'scan mode needs more than one technology' });
  });

/** A module profile as a successful parse returns it. */
export type ModemProfile = z.infer<typeof modemProfileSchema>;
/** A boot URC entry. */
export type BootUrc = ModemProfile['boot']['urcs'][number];
