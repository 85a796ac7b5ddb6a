/**
 * Emulated IEC 62056-21 meters served on one serial device — a USB–RS485 adapter, a UART, or one
 * end of a socat pty pair — in real time, for readers outside the process: a real HT terminal, a
 * vendor tool, another implementation of the standard.
 *
 *   reader ── device ── SerialPortEndpoint ──┬── view ── meter engine A   answers /?A!
 *                       (300 7E1 at start)   ├── view ── meter engine B   answers /?B!
 *                                            └── tap: one line per frame, trace records
 *
 * Several meters on one device model an RS-485 bus: every engine hears every byte, each answers
 * only its own address, and the one that answers writes to the shared device (switching its baud
 * rate for the readout and back to 300). Two meters answering at once (`/?!` to brands that
 * answer without an address) go out one after the other, or interleaved slice by slice, where a
 * real bus would garble them; their records are flagged `collision`.
 *
 * A pty has no baud rate: with `pace` each write is held for its line time and fed to the device
 * in slices of about 20 ms of line time, so the bytes also arrive spread over their real line
 * time rather than in one burst.
 */
import { LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { isoTime, type Clock, type Timer } from '../../core/clock/index.ts';
import { toHex } from '../../core/bytes.ts';
import { CancelledError, InputError } from '../../core/errors.ts';
import { TRACE_VERSION, TraceRecorder, type TraceBytesRecord } from '../../core/trace/index.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import { SerialPortEndpoint } from '../../lines/serialport-endpoint.ts';
import { charTimeMs, formatSettings, IEC_OPENING, type LineSettings } from '../../lines/settings.ts';
import { decodeAll, describeMessage, Iec62056Decoder, INTER_CHARACTER_MAX_MS, type DecoderEvent } from '../../protocols/iec62056-21/index.ts';
import { SiteLoad } from '../site/load.ts';
import type { MeterPort } from './engine.ts';
import { EmulatedMeter } from './meter.ts';
import { findMeterProfile, loadMeterProfiles } from './profile-loader.ts';
import type { MeterProfile } from './profile-schema.ts';

/** One meter to serve, as a user names it. */
export interface MeterSpec {
  /** Brand, alias or FLAG id (`Landis`, `Köhler`, `LGZ`). */
  brand: string;
  /** Model, exact or a unique prefix; needed where the brand has several. */
  model?: string;
  /** Serial number; default the profile's example serial. Must match the profile's pattern. */
  serial?: string;
  /** Opening value of the import register, kWh (default 0). */
  initialKwh?: number;
}

/** A spec bound to its profile. */
export interface ResolvedMeter {
  profile: MeterProfile;
  serial: string;
  initialKwh?: number;
}

/**
 * Binds specs to profiles. Throws an `InputError` naming the field through `where(index, field)`
 * for an unknown or ambiguous brand/model, a serial the profile does not accept, or a serial
 * used twice.
 */
export function resolveMeterSpecs(specs: readonly MeterSpec[], where: (i: number, field: keyof MeterSpec) => string, profiles?: readonly MeterProfile[]): ResolvedMeter[] {
  const list = profiles ?? loadMeterProfiles().map((l) => l.profile);
  const seen = new Map<string, number>();
  return specs.map((s, i) => {
    let profile: MeterProfile | undefined;
    try {
      profile = findMeterProfile(s.brand, s.model, list);
    } catch (err) {
      throw new InputError(where(i, 'model'), err instanceof InputError ? err.message.replace(/^findMeterProfile: model: /, '') : String(err));
    }
    if (!profile) {
      const ofBrand = list.filter((p) => findMeterProfile(s.brand, undefined, [p]) !== undefined);
      if (ofBrand.length === 0) throw new InputError(where(i, 'brand'), `no meter profile for brand "${s.brand}" (known: ${[...new Set(list.map((p) => p.brand))].join(', ')})`);
      throw new InputError(where(i, 'model'), `brand "${s.brand}" has no model "${s.model}" (models: ${ofBrand.map((p) => p.model).join(', ')})`);
    }
    const serial = s.serial ?? profile.serialNumber.example;
    if (!new RegExp(`^(?:${profile.serialNumber.pattern})$`).test(serial)) {
      throw new InputError(where(i, 'serial'), `"${serial}" is not a ${profile.brand} ${profile.model} serial (pattern ${profile.serialNumber.pattern}, e.g. "${profile.serialNumber.example}")`);
    }
    const first = seen.get(serial);
    if (first !== undefined) throw new InputError(where(i, 'serial'), `serial "${serial}" is already used by meter [${first}]`);
    seen.set(serial, i);
    return { profile, serial, ...(s.initialKwh !== undefined ? { initialKwh: s.initialKwh } : {}) };
  });
}

const FIELDS = 'brand, model, serial, initialKwh';
const busSchema = z
  .array(
    z.strictObject({
      brand: z.string().min(1),
      model: z.string().min(1).optional(),
      serial: z.string().regex(/^[0-9A-Za-z]{1,32}$/, 'expected 1 to 32 letters or digits').optional(),
      initialKwh: z.number().finite().nonnegative().optional(),
    }),
  )
  .min(1, 'expected a list of at least one meter');

/**
 * Parses a bus file: a YAML list of meters `{brand, model?, serial?, initialKwh?}` sharing one
 * port. Every problem is an `InputError` naming `file`, the field (`[1].serial`) and what was
 * expected; several problems are listed one per line.
 */
export function parseMeterBus(text: string, file: string, profiles?: readonly MeterProfile[]): ResolvedMeter[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: counter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new InputError(`${file}: line ${counter.linePos(e.pos[0]).line}`, `YAML syntax error: ${e.message.split('\n')[0]}`);
  }
  const raw: unknown = doc.toJS();
  const parsed = busSchema.safeParse(raw);
  if (!parsed.success) {
    const lines = parsed.error.issues.flatMap((iss) => {
      const path = iss.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)';
      if (iss.code === 'unrecognized_keys') return iss.keys.map((k) => ({ path: `${path}.${k}`, message: `unknown field (expected ${FIELDS})` }));
      const got = iss.path.reduce<unknown>((v, p) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined), raw);
      const hint = iss.path.at(-1) === 'serial' && typeof got === 'number' ? ' (quote serial numbers in YAML: leading zeros are lost otherwise)' : '';
      const expected = iss.code === 'invalid_type' ? `expected ${iss.expected === 'string' ? 'text' : iss.expected}` : iss.message;
      return [{ path, message: got === undefined && iss.code === 'invalid_type' ? `missing (${expected})` : `${expected}, got ${JSON.stringify(got) ?? String(got)}${hint}` }];
    });
    const [first, ...rest] = lines;
    throw new InputError(`${file}: ${first!.path}`, first!.message + rest.map((l) => `\n${file}: ${l.path}: ${l.message}`).join(''));
  }
  return resolveMeterSpecs(parsed.data, (i, field) => `${file}: [${i}].${field}`, profiles);
}

/** A meter's serial port seen by one engine: the shared device's bytes and settings; writes go through the tap. */
class PortView implements Endpoint {
  readonly line: string;
  private readonly offs = new Set<() => void>();
  private isClosed = false;
  constructor(readonly id: string, private readonly port: Endpoint, private readonly send: (from: string, bytes: Uint8Array) => Promise<void>) {
    this.line = port.line;
  }
  get settings(): LineSettings {
    return this.port.settings;
  }
  get closed(): boolean {
    return this.isClosed || this.port.closed;
  }
  write(bytes: Uint8Array): Promise<void> {
    return this.closed ? Promise.reject(new CancelledError(`${this.id} is closed`)) : this.send(this.id, bytes);
  }
  update(settings: Partial<LineSettings>): Promise<void> {
    return this.port.update(settings);
  }
  onData(listener: (chunk: RxChunk) => void): () => void {
    const off = this.port.onData(listener);
    this.offs.add(off);
    return () => (off(), this.offs.delete(off));
  }
  incomingUntil(): number {
    return this.port.incomingUntil();
  }
  async close(): Promise<void> {
    this.isClosed = true;
    for (const off of this.offs) off();
    this.offs.clear();
  }
}

export interface AttachMetersOptions {
  endpoint: Endpoint;
  clock: Clock;
  meters: readonly ResolvedMeter[];
  /** Interface the engines emulate; default: for one meter its first of optical, RS-232, RS-485; for several, RS-485. */
  meterPort?: MeterPort;
  /** The site load the meters measure; default 4…30 kW, power factor 0.93. */
  load?: SiteLoad;
  /** Feed writes in slices of this much line time (ms); 0 (default) writes each message whole. */
  sliceMs?: number;
  /** Receives one human line per frame (and per meter note), as it happens. */
  onTraffic?: (line: string) => void;
  title?: string;
}

/** Meters attached to one endpoint. `trace` holds every frame both ways and the meters' notes. */
export interface MeterSet {
  readonly meters: readonly EmulatedMeter[];
  readonly trace: TraceRecorder;
  /** Detaches the engines and the tap; the endpoint stays open. Idempotent. */
  dispose(): void;
}

/**
 * Attaches one engine per meter to `endpoint` through a fan-out (one port, many listeners) and
 * taps the traffic: bytes from the reader are framed with the IEC 62056-21 decoder (a frame
 * split over many OS reads is still one line; bytes that form no frame are shown after
 * `INTER_CHARACTER_MAX_MS` of silence), each meter write is one record.
 */
export function attachMeters(o: AttachMetersOptions): MeterSet {
  const { endpoint: port, clock } = o;
  if (o.meters.length === 0) throw new InputError('meters', 'expected at least one meter');
  const trace = new TraceRecorder();
  trace.add({ kind: 'header', version: TRACE_VERSION, clock: clock.virtual ? 'virtual' : 'real', start: clock.now(), ...(o.title ? { title: o.title } : {}) });
  const reader = `${port.line}/reader`;
  const names = new Map<string, string>([[reader, 'reader']]);
  const print = (t: number, settings: string, from: string, text: string) => o.onTraffic?.(`${isoTime(t).slice(11, 23)}  ${settings.padEnd(9)} ${(names.get(from) ?? from).padEnd(15)} → ${text}`);
  const record = (from: string, t: number, end: number, bytes: Uint8Array, settings: LineSettings, events: DecoderEvent[], collision = false) => {
    const r: TraceBytesRecord = { kind: 'tx', t, end, line: port.line, from, hex: toHex(bytes, ''), settings: formatSettings(settings), ...(collision ? { flags: ['collision'] } : {}) };
    trace.add(r);
    const text = events.map((e) => (e.type === 'frame' ? describeMessage(e.frame) : `error: ${e.error.message}`)).join('; ') || `${bytes.length} bytes, no frame`;
    print(t, r.settings, from, `${text} (${bytes.length} bytes${end - t >= 100 ? `, ${((end - t) / 1000).toFixed(2)} s` : ''})${collision ? ' COLLISION: another meter sent at the same time' : ''}`);
  };

  // Meters answering at once share the device in turns (a real bus garbles them): flagged.
  const sending = new Set<{ collision: boolean }>();
  const sliceMs = o.sliceMs ?? 0;
  const send = async (from: string, bytes: Uint8Array): Promise<void> => {
    const t = clock.now();
    const settings = port.settings;
    const me = { collision: sending.size > 0 };
    for (const other of sending) other.collision = true;
    sending.add(me);
    try {
      const per = sliceMs > 0 ? Math.max(1, Math.floor(sliceMs / charTimeMs(settings))) : bytes.length;
      for (let i = 0; i < bytes.length; i += per) await port.write(bytes.subarray(i, i + per));
    } finally {
      sending.delete(me);
    }
    record(from, t, clock.now(), bytes, settings, decodeAll(bytes, { side: 'meter', parity: 'strip' }), me.collision);
  };

  // Bytes from the reader, held until the decoder ends a frame with them.
  const decoder = new Iec62056Decoder({ side: 'master', parity: 'strip' });
  let held: number[] = [];
  let heldAt = 0; // stream offset of held[0]
  let heldT = 0;
  let lastEnd = 0;
  let silence: Timer | undefined;
  const emit = (events: DecoderEvent[]) => {
    for (const ev of events) {
      const upto = ev.type === 'frame' ? ev.frame.end : ev.error.offset + (ev.error.details.length ?? 1);
      const n = Math.min(held.length, Math.max(0, upto - heldAt));
      if (n === 0) continue;
      const settings = port.settings;
      const end = lastEnd - (held.length - n) * charTimeMs(settings);
      record(reader, heldT, end, Uint8Array.from(held.slice(0, n)), settings, [ev]);
      held = held.slice(n);
      heldAt += n;
      heldT = end;
    }
  };
  const flushHeld = () => {
    emit(decoder.flush());
    if (held.length > 0) record(reader, heldT, lastEnd, Uint8Array.from(held), port.settings, []);
    heldAt += held.length;
    held = [];
  };
  const offData = port.onData((chunk) => {
    if (held.length === 0) heldT = chunk.start;
    held.push(...chunk.bytes);
    lastEnd = chunk.end;
    emit(decoder.push(chunk.bytes));
    silence?.cancel();
    silence = held.length > 0 ? clock.setTimer(INTER_CHARACTER_MAX_MS, flushHeld, 'meter tap: silence') : undefined;
  });

  let disposed = false;
  const load = o.load ?? new SiteLoad({ baseKw: 4, peakKw: 30, powerFactor: 0.93 });
  const meters = o.meters.map((m) => {
    const p = m.profile.ports;
    const meterPort: MeterPort = o.meterPort ?? (o.meters.length > 1 ? 'rs485' : p.optical ? 'optical' : p.rs232 ? 'rs232' : 'rs485');
    const id = `${port.line}/meter-${m.serial}`;
    names.set(id, `${m.profile.flag} ${m.serial}`);
    const view = new PortView(id, port, send);
    const note = (text: string) => {
      if (disposed) return; // an engine cut off by the close
      const t = clock.now();
      trace.add({ kind: 'note', t, line: port.line, from: id, text });
      o.onTraffic?.(`${isoTime(t).slice(11, 23)}  ** ${text}`);
    };
    return new EmulatedMeter({ clock, endpoint: view, profile: m.profile, serial: m.serial, port: meterPort, load, note, ...(m.initialKwh !== undefined ? { initialKwh: m.initialKwh } : {}) });
  });

  return {
    meters,
    trace,
    dispose: () => {
      if (disposed) return;
      disposed = true;
      offData();
      silence?.cancel();
      for (const m of meters) m.dispose();
    },
  };
}

export interface ServeMetersOptions extends Omit<AttachMetersOptions, 'endpoint' | 'meters'> {
  /** The serial device: `/dev/ttyUSB0`, or one end of a pty pair. */
  path: string;
  meters: readonly (MeterSpec | ResolvedMeter)[];
  /**
   * The device is a pty (no baud rate): hold each write for its line time and feed it in
   * slices. Leave off for a real port, whose UART paces itself.
   */
  pace: boolean;
  /** With `pace`: line time per slice (default 20 ms); 0 hands each message to the device whole. */
  sliceMs?: number;
  /** Settings at start; default 300 7E1 (the IEC 62056-21 opening). */
  settings?: LineSettings;
  /** Line id in traces; default the path. */
  line?: string;
}

/** Meters served on an open device. `close()` detaches them and closes the device. */
export interface ServedMeters extends MeterSet {
  readonly endpoint: SerialPortEndpoint;
  close(): Promise<void>;
}

/**
 * Opens `path` and serves the meters on it until `close()`. Rejects with an `InputError` for a
 * bad meter spec (before the device is opened) and with the endpoint's `EnvironmentError` when
 * the device is missing or not permitted.
 */
export async function serveMeters(o: ServeMetersOptions): Promise<ServedMeters> {
  const specs = o.meters.filter((m): m is MeterSpec => !('profile' in m));
  const bound = resolveMeterSpecs(specs, (i, field) => `meters[${o.meters.indexOf(specs[i]!)}].${field}`);
  const meters = o.meters.map((m) => ('profile' in m ? m : bound[specs.indexOf(m)]!));
  const endpoint = await SerialPortEndpoint.open({ path: o.path, settings: o.settings ?? IEC_OPENING, clock: o.clock, pace: o.pace, line: o.line ?? o.path });
  let set: MeterSet;
  try {
    set = attachMeters({ ...o, endpoint, meters, sliceMs: o.pace ? (o.sliceMs ?? 20) : 0 });
  } catch (err) {
    await endpoint.close();
    throw err;
  }
  return {
    ...set,
    endpoint,
    close: async () => {
      set.dispose();
      await endpoint.close();
    },
  };
}

/**
 * Resolves with the first of `signals` the process receives, then removes its handlers (so a
 * second Ctrl-C ends the process the default way).
 */
export function waitForStopSignal(signals: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM']): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const on = (s: NodeJS.Signals) => {
      for (const x of signals) process.off(x, on);
      resolve(s);
    };
    for (const s of signals) process.on(s, on);
  });
}
