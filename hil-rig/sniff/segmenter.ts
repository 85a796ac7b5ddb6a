/**
 * Cuts one captured byte stream into segments (one per message, as far as the protocol lets the
 * line tell), keeping each byte's arrival time:
 *
 *   bytes ──► [held bytes + times] ──┬── silence ≥ gap ─────────────► segment
 *                                    ├── IEC decoder ends a frame ───► segment (bytes before it: another)
 *                                    └── Modbus: good-CRC sub-frames ► one segment each
 *
 * The gap is the protocol's: Modbus RTU's t3.5 (measured on arrival times, which over USB
 * adapters carry the adapter's latency), otherwise a few character times (IEC messages are sent
 * without pauses; an answer comes after a reaction time of at least 20 ms). On OS ports the
 * silence timer allows for bytes handed over late (`latencyMs`): a frame is never cut because the
 * next slice of it was still in the driver.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import type { ByteError, RxChunk } from '../../lines/endpoint.ts';
import { modbusFrameGapMs } from '../../lines/quiet.ts';
import { charTimeMs, type LineSettings } from '../../lines/settings.ts';
import { Iec62056Decoder, type DecoderSide } from '../../protocols/iec62056-21/index.ts';
import { splitModbus, type SniffProtocol } from './classify.ts';

/** Bytes of one message (or of what could not be told apart), with their times. */
export interface Segment {
  bytes: Uint8Array;
  /** Start of the first character, end of the last (clock ms). */
  start: number;
  end: number;
  settings: LineSettings;
  /** UART errors, indexed in `bytes`. */
  errors: ByteError[];
}

export interface SegmenterOptions {
  clock: Clock;
  /** The protocol, when known (else cut by silence only). */
  protocol: () => SniffProtocol | undefined;
  /** Which IEC side the stream carries (a decoder per stream); 'auto' for a shared line. */
  iecSide: DecoderSide;
  /** Override of the silence that ends a segment (ms). */
  gapMs?: number;
  /**
   * How late the OS may hand over bytes that were already on the line (USB adapters batch them,
   * ptys in slices): the silence timer waits this much longer before it ends a segment, while
   * the gap itself is still measured on arrival times. 0 on virtual lines.
   */
  latencyMs?: number;
  onSegment: (segment: Segment) => void;
  label: string;
}

/** Silence that ends a segment on a line with these settings. */
export function segmentGapMs(protocol: SniffProtocol | undefined, s: LineSettings): number {
  if (protocol === 'modbus') return modbusFrameGapMs(s);
  return Math.max(20, 3 * charTimeMs(s));
}

export class StreamSegmenter {
  private bytes: number[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private errors: ByteError[] = [];
  private settings: LineSettings | undefined;
  private decoder: Iec62056Decoder | undefined;
  /** Stream offset of bytes[0] (the IEC decoder counts from the first byte ever pushed). */
  private heldAt = 0;
  private timer: Timer | undefined;

  constructor(private readonly o: SegmenterOptions) {}

  /** Adds received bytes (at the settings the stream was read with). */
  push(chunk: RxChunk, settings: LineSettings): void {
    const n = chunk.bytes.length;
    if (n === 0) return;
    const protocol = this.o.protocol();
    const last = this.ends[this.ends.length - 1];
    const changed = this.settings !== undefined && (this.settings.baudRate !== settings.baudRate || this.settings.dataBits !== settings.dataBits || this.settings.parity !== settings.parity);
    if (last !== undefined && (changed || chunk.start - last >= this.gap(protocol, settings) - 1e-3)) this.silence();
    this.settings = { ...settings };
    const per = (chunk.end - chunk.start) / n;
    const base = this.bytes.length;
    for (let i = 0; i < n; i++) {
      this.bytes.push(chunk.bytes[i]!);
      this.starts.push(chunk.start + per * i);
      this.ends.push(chunk.start + per * (i + 1));
    }
    for (const e of chunk.errors ?? []) this.errors.push({ index: base + e.index, kind: e.kind });
    if (protocol === 'iec') {
      this.decoder ??= new Iec62056Decoder({ side: this.o.iecSide, parity: 'strip', startOffset: this.heldAt });
      this.cutAtFrames(this.decoder.push(chunk.bytes));
    }
    this.arm(protocol, settings);
  }

  /** Emits whatever is held (end of capture). */
  flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    this.silence();
  }

  dispose(): void {
    this.timer?.cancel();
  }

  private gap(protocol: SniffProtocol | undefined, s: LineSettings): number {
    return this.o.gapMs ?? segmentGapMs(protocol, s);
  }

  private arm(protocol: SniffProtocol | undefined, s: LineSettings): void {
    this.timer?.cancel();
    if (this.bytes.length === 0) return;
    const due = this.ends[this.ends.length - 1]! + this.gap(protocol, s) + (this.o.latencyMs ?? 0);
    this.timer = this.o.clock.setTimer(due - this.o.clock.now(), () => {
      this.timer = undefined;
      this.silence();
    }, `${this.o.label}: silence`);
  }

  /** The line went quiet (or the capture ends): what the decoder still holds ends, then the rest. */
  private silence(): void {
    if (this.decoder) this.cutAtFrames(this.decoder.flush());
    if (this.bytes.length > 0) this.emit(this.bytes.length, true);
    this.decoder = undefined;
  }

  private cutAtFrames(events: ReturnType<Iec62056Decoder['push']>): void {
    for (const ev of events) {
      let start: number;
      let end: number;
      if (ev.type === 'frame') [start, end] = [ev.frame.start, ev.frame.end];
      else if (ev.error.kind === 'bcc-mismatch' && ev.error.details.candidate) [start, end] = [ev.error.details.candidate.start, ev.error.offset + 1];
      else continue;
      if (start > this.heldAt) this.emit(Math.min(start - this.heldAt, this.bytes.length), false);
      if (end > this.heldAt) this.emit(Math.min(end - this.heldAt, this.bytes.length), false);
    }
  }

  /** Emits the first `n` held bytes; at a silence, a Modbus run is split at good-CRC boundaries. */
  private emit(n: number, atSilence: boolean): void {
    if (n <= 0) return;
    const cuts = atSilence && this.o.protocol() === 'modbus' ? splitModbus(Uint8Array.from(this.bytes.slice(0, n))) : [n];
    let from = 0;
    for (const to of cuts) {
      this.o.onSegment({
        bytes: Uint8Array.from(this.bytes.slice(from, to)),
        start: this.starts[from]!,
        end: this.ends[to - 1]!,
        settings: { ...(this.settings ?? { baudRate: 9600, dataBits: 8, parity: 'none', stopBits: 1 }) },
        errors: this.errors.filter((e) => e.index >= from && e.index < to).map((e) => ({ index: e.index - from, kind: e.kind })),
      });
      from = to;
    }
    this.bytes = this.bytes.slice(n);
    this.starts = this.starts.slice(n);
    this.ends = this.ends.slice(n);
    this.errors = this.errors.filter((e) => e.index >= n).map((e) => ({ index: e.index - n, kind: e.kind }));
    this.heldAt += n;
  }
}
