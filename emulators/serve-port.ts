/**
 * What every emulator served on one serial device shares, whatever its protocol: the device
 * opened as an endpoint, one view of it per engine (fan-out: every engine hears every byte), the
 * writer that engines answer through (pacing, collision flags), the tap that prints and records
 * one line per frame, the bus file reader, and the wait for Ctrl-C.
 *
 *   reader ── device ── SerialPortEndpoint ──┬── PortView ── engine A
 *                                            ├── PortView ── engine B
 *                                            └── PortTap: one printed line and one trace record per frame
 *
 * The protocol-specific part (how the reader's bytes are cut into frames, how a frame is
 * described, which engines to build) stays with each emulator (`meters/serve.ts`,
 * `modbus/serve.ts`).
 */
import { isPtyPath } from '../lines/pty-path.ts';
import { LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { isoTime, type Clock } from '../core/clock/index.ts';
import { toHex } from '../core/bytes.ts';
import { CancelledError, InputError } from '../core/errors.ts';
import { TRACE_VERSION, TraceRecorder, type TraceBytesRecord } from '../core/trace/index.ts';
import type { Endpoint, RxChunk } from '../lines/endpoint.ts';
import { SerialPortEndpoint } from '../lines/serialport-endpoint.ts';
import { charTimeMs, formatSettings, type LineSettings } from '../lines/settings.ts';

/** Sends `bytes` for the engine `from` on the shared device. */
export type PortSend = (from: string, bytes: Uint8Array) => Promise<void>;

/** A device's serial port seen by one engine: the shared device's bytes and settings; writes go through `send`. */
export class PortView implements Endpoint {
  readonly line: string;
  private readonly offs = new Set<() => void>();
  private isClosed = false;
  constructor(readonly id: string, private readonly port: Endpoint, private readonly send: PortSend) {
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

/** What attaching engines to one endpoint takes, whatever the protocol. */
export interface AttachOptions {
  endpoint: Endpoint;
  clock: Clock;
  /** Hand each write to the device in slices of this much line time (ms); 0 (default) writes it whole. */
  sliceMs?: number;
  /** Receives one human line per frame (and per engine note), as it happens. */
  onTraffic?: (line: string) => void;
  /** Trace title. */
  title?: string;
}

/** Engines attached to one endpoint. `trace` holds every frame both ways and the engines' notes. */
export interface EngineSet {
  readonly trace: TraceRecorder;
  /** Detaches the engines and the tap; the endpoint stays open. Idempotent. */
  dispose(): void;
}

export interface PortTapOptions {
  port: Endpoint;
  clock: Clock;
  /** Receives one human line per frame and per note, as it happens. */
  onTraffic?: (line: string) => void;
  /** Trace title. */
  title?: string;
  /** What the engines are, for the collision remark ("another meter sent at the same time"). */
  peer?: string;
}

/** Prints and records the traffic of one served device. */
export interface PortTap {
  /** Every frame both ways and the engines' notes, after a header. */
  readonly trace: TraceRecorder;
  /** Shows sender `id` as `label` in printed lines. */
  name(id: string, label: string): void;
  /** One frame: a `tx` record (flagged `collision` when asked) and one printed line `time settings sender → text (n bytes)`. */
  frame(from: string, t: number, end: number, bytes: Uint8Array, settings: LineSettings, text: string, collision?: boolean): void;
  /** An engine's marker: a `note` record and a printed `** text` line. */
  note(from: string, text: string): void;
}

/** A trace (with its header) and a printer for the traffic of `port`. */
export function createPortTap(o: PortTapOptions): PortTap {
  const trace = new TraceRecorder();
  trace.add({ kind: 'header', version: TRACE_VERSION, clock: o.clock.virtual ? 'virtual' : 'real', start: o.clock.now(), ...(o.title ? { title: o.title } : {}) });
  const names = new Map<string, string>();
  const peer = o.peer ?? 'device';
  return {
    trace,
    name: (id, label) => void names.set(id, label),
    frame: (from, t, end, bytes, settings, text, collision = false) => {
      const r: TraceBytesRecord = { kind: 'tx', t, end, line: o.port.line, from, hex: toHex(bytes, ''), settings: formatSettings(settings), ...(collision ? { flags: ['collision'] } : {}) };
      trace.add(r);
      const took = end - t >= 100 ? `, ${((end - t) / 1000).toFixed(2)} s` : '';
      const remark = collision ? ` COLLISION: another ${peer} sent at the same time` : '';
      o.onTraffic?.(`${isoTime(t).slice(11, 23)}  ${r.settings.padEnd(9)} ${(names.get(from) ?? from).padEnd(15)} → ${text} (${bytes.length} bytes${took})${remark}`);
    },
    note: (from, text) => {
      const t = o.clock.now();
      trace.add({ kind: 'note', t, line: o.port.line, from, text });
      o.onTraffic?.(`${isoTime(t).slice(11, 23)}  ** ${text}`);
    },
  };
}

export interface PortWriterOptions {
  port: Endpoint;
  clock: Clock;
  /** Hand each write to the device in slices of about this much line time (ms); 0 writes it whole. */
  sliceMs: number;
  /**
   * Hold each slice for its line time BEFORE handing it to the device, so that its last byte
   * reaches the reader when it would on a real line, and the engine is free again by then (a pty
   * has no baud rate). Leave off when the endpoint paces itself or the UART does.
   */
  holdLineTime?: boolean;
  /** Called once per write after its last byte left: from, start, end, bytes, settings, whether another engine sent meanwhile. */
  onSent: (from: string, t: number, end: number, bytes: Uint8Array, settings: LineSettings, collision: boolean) => void;
}

/**
 * The writer engines answer through. Engines writing at once share the device in turns (a real
 * bus garbles them): both writes are reported with `collision`.
 */
export function createPortWriter(o: PortWriterOptions): PortSend {
  const { port, clock } = o;
  const sending = new Set<{ collision: boolean }>();
  return async (from, bytes) => {
    const t = clock.now();
    const settings = port.settings;
    const me = { collision: sending.size > 0 };
    for (const other of sending) other.collision = true;
    sending.add(me);
    try {
      const charMs = charTimeMs(settings);
      const per = o.sliceMs > 0 ? Math.max(1, Math.floor(o.sliceMs / charMs)) : bytes.length;
      for (let i = 0; i < bytes.length; i += per) {
        const slice = bytes.subarray(i, i + per);
        if (o.holdLineTime) {
          const due = t + (i + slice.length) * charMs - clock.now();
          if (due > 0) await clock.sleep(due);
        }
        await port.write(slice);
      }
    } finally {
      sending.delete(me);
    }
    o.onSent(from, t, clock.now(), bytes, settings, me.collision);
  };
}

/** What `openServedPort` needs to open the device. */
export interface ServedPortOptions {
  /** The serial device: `/dev/ttyUSB0`, or one end of a pty pair. */
  path: string;
  settings: LineSettings;
  clock: Clock;
  /** Let the endpoint hold each write for its line time after writing it (see `SerialPortEndpoint`). */
  pace: boolean;
  /** Line id in traces; default the path. */
  line?: string;
}

/** Engines attached to an open device; `close()` detaches them and closes the device. */
export type Served<S> = S & { readonly endpoint: SerialPortEndpoint; close(): Promise<void> };

/**
 * Opens the device and attaches the engines with `attach`; the device is closed again when
 * `attach` throws. Rejects with the endpoint's `EnvironmentError` when the device is missing or
 * not permitted.
 */
export async function openServedPort<S extends EngineSet>(o: ServedPortOptions, attach: (endpoint: SerialPortEndpoint) => S): Promise<Served<S>> {
  const pty = await isPtyPath(o.path);
  const endpoint = await SerialPortEndpoint.open({ path: o.path, settings: o.settings, clock: o.clock, pace: o.pace, line: o.line ?? o.path, ...(pty ? { osSettings: false } : {}) });
  let set: S;
  try {
    set = attach(endpoint);
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
 * Parses a bus file: a YAML list checked by `schema`. Every problem is an `InputError` naming
 * `file`, the field (`[1].serial`) and what was expected; several problems are listed one per
 * line. `fields` lists the known fields for the "unknown field" message.
 */
export function parseBusFile<T>(text: string, file: string, schema: z.ZodType<T[]>, fields: string): T[] {
  const counter = new LineCounter();
  const doc = parseDocument(text, { prettyErrors: false, uniqueKeys: true, lineCounter: counter });
  if (doc.errors.length > 0) {
    const e = doc.errors[0]!;
    throw new InputError(`${file}: line ${counter.linePos(e.pos[0]).line}`, `YAML syntax error: ${e.message.split('\n')[0]}`);
  }
  const raw: unknown = doc.toJS();
  const parsed = schema.safeParse(raw);
  if (parsed.success) return parsed.data;
  const lines = parsed.error.issues.flatMap((iss) => {
    const path = iss.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(root)';
    if (iss.code === 'unrecognized_keys') return iss.keys.map((k) => ({ path: `${path}.${k}`, message: `unknown field (expected ${fields})` }));
    const got = iss.path.reduce<unknown>((v, p) => (v !== null && typeof v === 'object' ? (v as Record<PropertyKey, unknown>)[p] : undefined), raw);
    const hint = iss.path.at(-1) === 'serial' && typeof got === 'number' ? ' (quote serial numbers in YAML: leading zeros are lost otherwise)' : '';
    const expected = iss.code === 'invalid_type' ? `expected ${iss.expected === 'string' ? 'text' : iss.expected}` : iss.message;
    return [{ path, message: got === undefined && iss.code === 'invalid_type' ? `missing (${expected})` : `${expected}, got ${JSON.stringify(got) ?? String(got)}${hint}` }];
  });
  const [first, ...rest] = lines;
  throw new InputError(`${file}: ${first!.path}`, first!.message + rest.map((l) => `\n${file}: ${l.path}: ${l.message}`).join(''));
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
