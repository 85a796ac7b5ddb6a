/**
 * Payload compression with a shared window (`deflate-window`), for links that are billed by the
 * byte (a GSM data SIM has 100 MB a month).
 *
 * Offered in HELLO (`z: ['deflate-window']`) and accepted in WELCOME (`z: 'deflate-window'`).
 * Once agreed, each direction keeps a window: the plain payloads of every frame it carried since
 * the agreement, last 8 KiB. The terminal's direction starts with its first frame after the
 * WELCOME, the cloud's with its first frame after the WELCOME. A sender may then set bit 7 of
 * the type byte: the payload is raw DEFLATE (RFC 1951) of the plain payload, with the window as
 * preset dictionary. Every frame, compressed or not, adds its plain payload to the window, so
 * consecutive readings of the same meter cost little more than the digits that changed.
 *
 * Pure: synchronous zlib calls on byte arrays, no I/O.
 */
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { UplinkError } from './errors.ts';

/** The compression method of protocol version 1. */
export const DEFLATE_WINDOW = 'deflate-window';
/**
 * Window length: 8 KiB holds the last few readings, which is where the repetition is (a 32 KiB
 * window compresses no better on meter readouts and costs twice the time per frame).
 */
export const WINDOW_BYTES = 8192;
/** zlib level: 9 is no smaller on readouts and twice as slow. */
const LEVEL = 6;
/** Payloads shorter than this go plain (compression would not pay for itself). */
export const MIN_COMPRESS_BYTES = 48;

/** One direction's window, kept alike by its sender and its receiver. */
export class PayloadWindow {
  private window: Uint8Array = new Uint8Array(0);

  /** Bytes held. */
  get size(): number {
    return this.window.length;
  }

  /** The payload compressed against the window, or `undefined` when that is not shorter. */
  compress(payload: Uint8Array): Uint8Array | undefined {
    if (payload.length < MIN_COMPRESS_BYTES) return undefined;
    const out = this.window.length
      ? deflateRawSync(payload, { level: LEVEL, dictionary: this.window })
      : deflateRawSync(payload, { level: LEVEL });
    return out.length < payload.length ? new Uint8Array(out.buffer, out.byteOffset, out.length) : undefined;
  }

  /**
   * The plain payload of a compressed frame. Throws `UplinkError('bad-payload')` naming the
   * frame when the data does not inflate against the window or exceeds `maxPayload`.
   */
  inflate(data: Uint8Array, maxPayload: number, where: string, offset: number): Uint8Array {
    try {
      const out = this.window.length
        ? inflateRawSync(data, { dictionary: this.window, maxOutputLength: maxPayload })
        : inflateRawSync(data, { maxOutputLength: maxPayload });
      return new Uint8Array(out.buffer, out.byteOffset, out.length);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new UplinkError('bad-payload', `${where}: compressed payload does not inflate against the window (${why})`, { offset });
    }
  }

  /** Adds a frame's plain payload to the window. */
  remember(payload: Uint8Array): void {
    if (payload.length === 0) return;
    if (payload.length >= WINDOW_BYTES) {
      this.window = payload.slice(payload.length - WINDOW_BYTES);
      return;
    }
    const keep = Math.min(this.window.length, WINDOW_BYTES - payload.length);
    const next = new Uint8Array(keep + payload.length);
    next.set(this.window.subarray(this.window.length - keep), 0);
    next.set(payload, keep);
    this.window = next;
  }
}
