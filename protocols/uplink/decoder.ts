/**
 * The receiving half of a session's byte stream: chunks in, messages and faults out. A frame with
 * a good CRC but a bad payload is consumed and reported; framing faults resynchronise (see
 * `FrameDecoder`). Never throws on input.
 */
import { FrameDecoder } from './frame-decoder.ts';
import { decodeFrame } from './codec.ts';
import { UplinkError } from './errors.ts';
import { DEFAULT_MAX_PAYLOAD, type RawFrame } from './frame.ts';
import { PayloadWindow } from './compression.ts';
import type { UplinkMessage } from './messages.ts';

export type DecodedEvent =
  | { kind: 'message'; message: UplinkMessage; offset: number; size: number }
  | { kind: 'error'; error: UplinkError };

export interface UplinkDecoderOptions {
  maxPayload?: number;
  /**
   * Compression starts right after the message for which this answers true (the terminal: a
   * WELCOME that agreed a method; the cloud: the AUTH of a session whose HELLO offered one).
   * Decided inside the stream, so frames after it in the same chunk inflate too.
   */
  compressAfter?: (m: UplinkMessage) => boolean;
}

export class UplinkDecoder {
  private readonly frames: FrameDecoder;
  private readonly maxPayload: number;
  private window: PayloadWindow | undefined;

  constructor(private readonly options: UplinkDecoderOptions = {}) {
    this.maxPayload = options.maxPayload ?? DEFAULT_MAX_PAYLOAD;
    this.frames = new FrameDecoder(this.maxPayload);
  }

  /** Whether compressed frames are accepted now. */
  get compressing(): boolean {
    return this.window !== undefined;
  }

  /** Bytes held back, waiting for the rest of a frame. */
  get pending(): number {
    return this.frames.pending;
  }

  /** Feeds bytes; returns the messages and faults they complete, in stream order. */
  push(chunk: Uint8Array): DecodedEvent[] {
    const out: DecodedEvent[] = [];
    for (const ev of this.frames.push(chunk)) {
      if (ev.kind === 'error') {
        out.push(ev);
        continue;
      }
      try {
        const frame = this.plain(ev.frame);
        const message = decodeFrame(frame);
        out.push({ kind: 'message', message, offset: frame.offset, size: frame.size });
        if (!this.window && this.options.compressAfter?.(message)) this.window = new PayloadWindow();
      } catch (err) {
        if (err instanceof UplinkError) out.push({ kind: 'error', error: err });
        else out.push({ kind: 'error', error: new UplinkError('bad-payload', `frame at offset ${ev.frame.offset}: ${String(err)}`, { offset: ev.frame.offset }) });
      }
    }
    return out;
  }

  /** The frame with its plain payload; the payload joins the window once compression is on. */
  private plain(frame: RawFrame): RawFrame {
    const what = `${frame.type.toUpperCase()} at offset ${frame.offset}`;
    if (!this.window) {
      if (frame.compressed) throw new UplinkError('bad-payload', `${what}: compressed frame before compression was agreed`, { offset: frame.offset });
      return frame;
    }
    const payload = frame.compressed ? this.window.inflate(frame.payload, this.maxPayload, what, frame.offset) : frame.payload;
    this.window.remember(payload);
    return { ...frame, payload, compressed: false };
  }

  /** Drops a partial frame (the link closed); returns an error naming the lost bytes, if any. */
  reset(): UplinkError | undefined {
    return this.frames.reset();
  }
}
