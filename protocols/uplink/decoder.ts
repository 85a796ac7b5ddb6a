/**
 * The receiving half of a session's byte stream: chunks in, messages and faults out. A frame with
 * a good CRC but a bad payload is consumed and reported; framing faults resynchronise (see
 * `FrameDecoder`). Never throws on input.
 */
import { FrameDecoder } from './frame-decoder.ts';
import { decodeFrame } from './codec.ts';
import { UplinkError } from './errors.ts';
import { DEFAULT_MAX_PAYLOAD } from './frame.ts';
import type { UplinkMessage } from './messages.ts';

export type DecodedEvent =
  | { kind: 'message'; message: UplinkMessage; offset: number; size: number }
  | { kind: 'error'; error: UplinkError };

export class UplinkDecoder {
  private readonly frames: FrameDecoder;

  constructor(options: { maxPayload?: number } = {}) {
    this.frames = new FrameDecoder(options.maxPayload ?? DEFAULT_MAX_PAYLOAD);
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
        out.push({ kind: 'message', message: decodeFrame(ev.frame), offset: ev.frame.offset, size: ev.frame.size });
      } catch (err) {
        if (err instanceof UplinkError) out.push({ kind: 'error', error: err });
        else out.push({ kind: 'error', error: new UplinkError('bad-payload', `frame at offset ${ev.frame.offset}: ${String(err)}`, { offset: ev.frame.offset }) });
      }
    }
    return out;
  }

  /** Drops a partial frame (the link closed); returns an error naming the lost bytes, if any. */
  reset(): UplinkError | undefined {
    return this.frames.reset();
  }
}
