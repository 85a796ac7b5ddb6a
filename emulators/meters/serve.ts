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
 *
 * The parts every served emulator shares (views, writer, tap, bus files, stop signal) are in
 * `../serve-port.ts`.
 */
import { z } from 'zod';
import type { Timer } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import type { SerialPortEndpoint } from '../../lines/serialport-endpoint.ts';
import { charTimeMs, IEC_OPENING, type LineSettings } from '../../lines/settings.ts';
import { decodeAll, describeMessage, Iec62056Decoder, INTER_CHARACTER_MAX_MS, type DecoderEvent } from '../../protocols/iec62056-21/index.ts';
import { createPortTap, createPortWriter, openServedPort, parseBusFile, PortView, type AttachOptions, type EngineSet } from '../serve-port.ts';
import { SiteLoad } from '../site/load.ts';
import type { MeterPort } from './engine.ts';
import { EmulatedMeter } from './meter.ts';
import { findMeterProfile, loadMeterProfiles } from './profile-loader.ts';
import type { MeterProfile } from './profile-schema.ts';

export { waitForStopSignal } from '../serve-port.ts';

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
  return resolveMeterSpecs(parseBusFile(text, file, busSchema, FIELDS), (i, field) => `${file}: [${i}].${field}`, profiles);
}

export interface AttachMetersOptions extends AttachOptions {
  meters: readonly ResolvedMeter[];
  /** Interface the engines emulate; default: for one meter its first of optical, RS-232, RS-485; for several, RS-485. */
  meterPort?: MeterPort;
  /** The site load the meters measure; default 4…30 kW, power factor 0.93. */
  load?: SiteLoad;
}

/** Meters attached to one endpoint. `trace` holds every frame both ways and the meters' notes. */
export interface MeterSet extends EngineSet {
  readonly meters: readonly EmulatedMeter[];
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
  const tap = createPortTap({ port, clock, peer: 'meter', ...(o.title ? { title: o.title } : {}), ...(o.onTraffic ? { onTraffic: o.onTraffic } : {}) });
  const reader = `${port.line}/reader`;
  tap.name(reader, 'reader');
  const record = (from: string, t: number, end: number, bytes: Uint8Array, settings: LineSettings, events: DecoderEvent[], collision = false) => {
    const text = events.map((e) => (e.type === 'frame' ? describeMessage(e.frame) : `error: ${e.error.message}`)).join('; ') || `${bytes.length} bytes, no frame`;
    tap.frame(from, t, end, bytes, settings, text, collision);
  };
  const send = createPortWriter({
    port, clock, sliceMs: o.sliceMs ?? 0,
    onSent: (from, t, end, bytes, settings, collision) => record(from, t, end, bytes, settings, decodeAll(bytes, { side: 'meter', parity: 'strip' }), collision),
  });

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
    tap.name(id, `${m.profile.flag} ${m.serial}`);
    const view = new PortView(id, port, send);
    const note = (text: string) => {
      if (!disposed) tap.note(id, text); // else an engine cut off by the close
    };
    return new EmulatedMeter({ clock, endpoint: view, profile: m.profile, serial: m.serial, port: meterPort, load, note, ...(m.initialKwh !== undefined ? { initialKwh: m.initialKwh } : {}) });
  });

  return {
    meters,
    trace: tap.trace,
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
  const settings = o.settings ?? IEC_OPENING;
  return openServedPort({ path: o.path, settings, clock: o.clock, pace: o.pace, ...(o.line ? { line: o.line } : {}) }, (endpoint) =>
    attachMeters({ ...o, endpoint, meters, sliceMs: o.pace ? (o.sliceMs ?? 20) : 0 }),
  );
}
