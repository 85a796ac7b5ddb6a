/**
 * Records a serial line into the trace format and decodes it live, one line per message.
 *
 *   listen, one adapter          both directions on one stream; the protocol tells who spoke
 *     terminal ──┬── device
 *                └── adapter (RX only) ──► stream
 *
 *   listen, two adapters         one per direction (RS-232 TX and RX each to an adapter's RX)
 *
 *   between A B (relay)          terminal ── A ═ sniffer ═ B ── device: bytes are forwarded both
 *                                ways as they arrive, and recorded with the side they came from
 *
 * With IEC 62056-21 the sniffer follows the session's baud switch (`iec-baud.ts`) on every
 * endpoint it holds, so the readout at 9600 is read (and, in a relay, forwarded) at 9600.
 * Records are `tx` records from `<line>/<side name>` (`reader`/`meter`, `master`/`slave`,
 * `dte`/`dce`), plus `note` records for baud switches.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { toHex } from '../../core/bytes.ts';
import { TRACE_VERSION, TraceRecorder, type TraceRecord } from '../../core/trace/index.ts';
import type { ByteError, Endpoint, RxChunk } from '../../lines/endpoint.ts';
import { formatSettings, type LineSettings } from '../../lines/settings.ts';
import { isoTime } from '../../core/clock/index.ts';
import { classifySegment, SIDE_NAMES, type ClassifyContext, type Side, type SniffProtocol } from './classify.ts';
import { IecBaudFollower } from './iec-baud.ts';
import { StreamSegmenter, type Segment } from './segmenter.ts';

/** One message as captured. */
export interface SniffedFrame {
  t: number;
  end: number;
  line: string;
  /** Trace id of the sender, `<line>/<name>`. */
  from: string;
  side: Side;
  protocol: SniffProtocol | undefined;
  bytes: Uint8Array;
  settings: LineSettings;
  errors: ByteError[];
  /** One line of meaning. */
  text: string;
}

export interface SniffOptions {
  clock: Clock;
  /** Line id in the trace (default `sniff`). */
  line?: string;
  /** Protocol on the line; `auto` (default) guesses per message. */
  protocol?: SniffProtocol | 'auto';
  /** Listen-only adapters: one hearing both directions, or two: [the master's transmissions, the device's]. */
  listen?: readonly Endpoint[];
  /** Relay between the master's side and the device's side; `echo` drops what each adapter hears of its own sending. */
  between?: { master: Endpoint; device: Endpoint; masterEcho?: boolean; deviceEcho?: boolean };
  /** Follow the IEC 62056-21 baud switch (default true). */
  followIecBaud?: boolean;
  /** Silence that ends a message, overriding the protocol's (ms). */
  gapMs?: number;
  /** How late the OS may hand over bytes already on the line (default 0 on a virtual clock, 60 ms otherwise). */
  latencyMs?: number;
  /** Trace header title. */
  title?: string;
  onFrame?: (frame: SniffedFrame) => void;
  /** A remark on the line's time axis (baud switches). */
  onNote?: (text: string, t: number) => void;
}

interface Stream {
  endpoint: Endpoint;
  known: Side | undefined;
  segmenter: StreamSegmenter;
  off: () => void;
}

export class Sniffer {
  readonly line: string;
  private readonly recorded: TraceRecord[] = [];
  private readonly captured: SniffedFrame[] = [];
  private readonly streams: Stream[] = [];
  private readonly ctx: ClassifyContext = {};
  private readonly follower = new IecBaudFollower();
  private protocol: SniffProtocol | undefined;
  private readonly start: number;
  private lastByteAt = 0;
  private silenceTimer: Timer | undefined;
  private stopped = false;
  /** Bytes written to an endpoint whose adapter echoes, not yet heard back. */
  private readonly echoes = new Map<Endpoint, number[]>();

  constructor(private readonly o: SniffOptions) {
    this.line = o.line ?? 'sniff';
    this.protocol = o.protocol === 'auto' ? undefined : o.protocol;
    this.start = o.clock.now();
    if (o.between) {
      const { master, device } = o.between;
      if (o.between.masterEcho) this.echoes.set(master, []);
      if (o.between.deviceEcho) this.echoes.set(device, []);
      this.addStream(master, 'master', device);
      this.addStream(device, 'device', master);
    } else {
      const eps = o.listen ?? [];
      if (eps.length < 1 || eps.length > 2) throw new RangeError('a sniffer listens on one or two endpoints, or relays between two');
      if (eps.length === 1) this.addStream(eps[0]!, undefined, undefined);
      else {
        this.addStream(eps[0]!, 'master', undefined);
        this.addStream(eps[1]!, 'device', undefined);
      }
    }
  }

  /** Messages captured so far, in the order they ended. */
  get frames(): readonly SniffedFrame[] {
    return this.captured;
  }

  /** The protocol fixed or detected so far. */
  get detected(): SniffProtocol | undefined {
    return this.protocol;
  }

  /** The capture as trace records: a header, then every record by time. */
  records(): TraceRecord[] {
    const body = [...this.recorded].sort((a, b) => ('t' in a ? a.t : 0) - ('t' in b ? b.t : 0));
    return [{ kind: 'header', version: TRACE_VERSION, clock: this.o.clock.virtual ? 'virtual' : 'real', start: this.start, ...(this.o.title ? { title: this.o.title } : {}) }, ...body];
  }

  /** The capture in a recorder, ready to write as JSONL. */
  trace(): TraceRecorder {
    const rec = new TraceRecorder();
    for (const r of this.records()) rec.add(r);
    return rec;
  }

  /** Ends the capture: what is held is emitted, listeners and timers go. The endpoints stay open. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.silenceTimer?.cancel();
    for (const s of this.streams) {
      s.off();
      s.segmenter.flush();
      s.segmenter.dispose();
    }
  }

  private addStream(endpoint: Endpoint, known: Side | undefined, forwardTo: Endpoint | undefined): void {
    const segmenter = new StreamSegmenter({
      clock: this.o.clock,
      protocol: () => this.protocol,
      iecSide: known === 'master' ? 'master' : known === 'device' ? 'meter' : 'auto',
      ...(this.o.gapMs !== undefined ? { gapMs: this.o.gapMs } : {}),
      latencyMs: this.o.latencyMs ?? (this.o.clock.virtual ? 0 : 60),
      onSegment: (seg) => this.onSegment(seg, known),
      label: `sniff ${endpoint.id}`,
    });
    const off = endpoint.onData((chunk) => this.onChunk(endpoint, chunk, segmenter, forwardTo));
    this.streams.push({ endpoint, known, segmenter, off });
  }

  private onChunk(endpoint: Endpoint, chunk: RxChunk, segmenter: StreamSegmenter, forwardTo: Endpoint | undefined): void {
    if (this.stopped || chunk.echo) return;
    let bytes = chunk.bytes;
    const pending = this.echoes.get(endpoint);
    if (pending) {
      let n = 0;
      while (n < bytes.length && pending.length > 0 && pending[0] === bytes[n]) {
        pending.shift();
        n++;
      }
      if (n === bytes.length) return;
      bytes = bytes.subarray(n);
    }
    if (forwardTo && !forwardTo.closed) {
      this.echoes.get(forwardTo)?.push(...bytes);
      forwardTo.write(bytes).catch((err: unknown) => this.note(`forwarding to ${forwardTo.id} failed: ${String(err)}`));
    }
    const trimmed: RxChunk = bytes === chunk.bytes ? chunk : { ...chunk, bytes, start: chunk.end - ((chunk.end - chunk.start) * bytes.length) / chunk.bytes.length };
    this.lastByteAt = trimmed.end;
    segmenter.push(trimmed, endpoint.settings);
    this.armSilence();
  }

  private onSegment(seg: Segment, known: Side | undefined): void {
    const c = classifySegment(seg.bytes, seg.settings, this.protocol, known, this.ctx);
    // `auto`: the first message a protocol recognises fixes it for the rest of the capture.
    if (this.protocol === undefined && c.protocol !== undefined) this.protocol = c.protocol;
    const names = SIDE_NAMES[c.protocol ?? 'unknown'];
    const from = `${this.line}/${names[c.side]}`;
    const frame: SniffedFrame = { t: seg.start, end: seg.end, line: this.line, from, side: c.side, protocol: c.protocol, bytes: seg.bytes, settings: seg.settings, errors: seg.errors, text: c.text };
    this.captured.push(frame);
    const flags = seg.errors.map((e) => `${e.kind}@${e.index}`);
    this.recorded.push({ kind: 'tx', t: seg.start, end: seg.end, line: this.line, from, hex: toHex(seg.bytes, ''), settings: formatSettings(seg.settings), ...(flags.length ? { flags } : {}) });
    this.o.onFrame?.(frame);
    if (c.protocol === 'iec' && c.iec && this.o.followIecBaud !== false) {
      const sw = this.follower.onMessages(c.side, c.iec);
      if (sw) this.switchBaud(sw.baud, sw.why);
    }
  }

  private armSilence(): void {
    this.silenceTimer?.cancel();
    this.silenceTimer = undefined;
    const limit = this.follower.silenceLimitMs;
    if (limit === undefined || this.o.followIecBaud === false) return;
    this.silenceTimer = this.o.clock.setTimer(this.lastByteAt + limit - this.o.clock.now(), () => {
      this.silenceTimer = undefined;
      const sw = this.follower.onSilence(this.o.clock.now() - this.lastByteAt);
      if (sw) this.switchBaud(sw.baud, sw.why);
    }, `sniff ${this.line}: session silence`);
  }

  private switchBaud(baud: number, why: string): void {
    this.note(`${why}: following at ${baud} baud`);
    for (const s of this.streams) {
      if (!s.endpoint.closed) s.endpoint.update({ baudRate: baud }).catch((err: unknown) => this.note(`${s.endpoint.id}: cannot switch to ${baud} baud: ${String(err)}`));
    }
    this.armSilence();
  }

  private note(text: string): void {
    const t = this.o.clock.now();
    this.recorded.push({ kind: 'note', t, line: this.line, from: `${this.line}/sniffer`, text });
    this.o.onNote?.(text, t);
  }
}

/** `12:00:01.234  optical  reader →  300 7E1  request (no address) (5 bytes)`: one live line. */
export function formatSniffLine(f: SniffedFrame): string {
  const who = f.from.slice(f.line.length + 1);
  const errs = f.errors.length ? ` [UART ${f.errors.slice(0, 4).map((e) => `${e.kind}@${e.index}`).join(' ')}]` : '';
  return `${isoTime(f.t).slice(11, 23)}  ${f.line}  ${who.padEnd(7)} →  ${formatSettings(f.settings).padEnd(9)} ${f.text} (${f.bytes.length} bytes)${errs}`;
}
