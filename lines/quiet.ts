import type { Clock, Timer } from '../core/clock/index.ts';
import type { ByteError, Endpoint, RxChunk } from './endpoint.ts';
import { charTimeMs, type LineSettings } from './settings.ts';

/** Modbus RTU's inter-frame silence: 3.5 characters, fixed at 1.75 ms above 19200 baud. */
export function modbusFrameGapMs(s: LineSettings): number {
  return s.baudRate > 19200 ? 1.75 : 3.5 * charTimeMs(s);
}

/** Slack for float rounding of epoch-scale clock times when comparing a silence with the gap. */
const GAP_TOLERANCE_MS = 0.001;

/** Bytes that ended with a quiet line. */
export interface GapFrame {
  bytes: Uint8Array;
  start: number;
  end: number;
  errors: ByteError[];
  collision: boolean;
}

/**
 * Cuts an endpoint's received stream into frames at silences of at least `gapMs` (Modbus RTU's
 * 3.5-character rule). A frame is emitted `gapMs` after its last byte, once no further bytes are
 * on their way. Bytes separated by a shorter pause stay in one frame.
 */
export class QuietDetector {
  private parts: RxChunk[] = [];
  private timer: Timer | undefined;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly endpoint: Endpoint,
    private readonly clock: Clock,
    private readonly gapMs: () => number,
    private readonly onFrame: (frame: GapFrame) => void,
  ) {
    this.unsubscribe = endpoint.onData((c) => this.push(c));
  }

  dispose(): void {
    this.unsubscribe();
    this.timer?.cancel();
  }

  private push(c: RxChunk): void {
    const last = this.parts[this.parts.length - 1];
    // Clock times near 1.7e12 ms resolve to about 0.24 µs: a gap of exactly t3.5 must count.
    if (last && c.start - last.end >= this.gapMs() - GAP_TOLERANCE_MS) this.flush();
    this.parts.push(c);
    this.arm(c.end + this.gapMs());
  }

  private arm(at: number): void {
    this.timer?.cancel();
    this.timer = this.clock.setTimer(at - this.clock.now(), () => this.check(), `${this.endpoint.id}: frame gap`);
  }

  private check(): void {
    const incoming = this.endpoint.incomingUntil();
    if (incoming >= this.clock.now()) {
      this.arm(incoming + this.gapMs());
      return;
    }
    this.flush();
  }

  private flush(): void {
    this.timer?.cancel();
    this.timer = undefined;
    if (this.parts.length === 0) return;
    const parts = this.parts;
    this.parts = [];
    const total = parts.reduce((n, p) => n + p.bytes.length, 0);
    const bytes = new Uint8Array(total);
    const errors: ByteError[] = [];
    let o = 0;
    for (const p of parts) {
      bytes.set(p.bytes, o);
      for (const e of p.errors ?? []) errors.push({ index: o + e.index, kind: e.kind });
      o += p.bytes.length;
    }
    this.onFrame({ bytes, start: parts[0]!.start, end: parts[parts.length - 1]!.end, errors, collision: parts.some((p) => p.collision === true) });
  }
}
