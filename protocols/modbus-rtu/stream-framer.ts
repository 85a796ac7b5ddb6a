/**
 * Frames Modbus RTU out of a byte stream that has lost its silences (a pty, a USB adapter that
 * batches bytes, a capture without timestamps). A frame is recognised by its layout alone: the
 * length its header announces, then the CRC. Bytes that cannot start a frame, or whose announced
 * frame fails the CRC, are dropped one at a time ("hunting") until a frame starts again.
 *
 * The same bytes can mean a request or a response (lengths differ), so the framer is told which
 * it reads. A master that knows which request it sent can narrow the search with `expect`.
 */

import { EXCEPTION_FRAME_LENGTH, expectedResponseLength, frameLength, type LengthVerdict } from './lengths.ts';
import { crc16, frameCrc } from './crc.ts';
import { hex4 } from './errors.ts';
import type { Direction, RequestFrame } from './types.ts';

/** A frame whose length and CRC are right (decode it with `decodeRequest` / `decodeResponse`). */
export interface FramedFrame {
  type: 'frame';
  bytes: Uint8Array;
}

/** Bytes skipped while hunting; `reason` says why the first of them could not start a frame. */
export interface FramedGarbage {
  type: 'garbage';
  bytes: Uint8Array;
  reason: string;
}

/** What `push` and `flush` report, in stream order. */
export type FramerEvent = FramedFrame | FramedGarbage;

/**
 * Splits a byte stream into frames. Pure: `push` bytes in, events out; no timers. Bytes of a frame
 * not yet complete stay buffered (never more than 256 plus the last chunk); `flush` gives them up
 * as garbage, for example when the line has been quiet longer than a response may take.
 */
export class RtuStreamFramer {
  private buf: Uint8Array = new Uint8Array(0);
  private expected: RequestFrame | undefined;

  constructor(readonly direction: Direction) {}

  /**
   * In `response` direction: accept only a response to this request (same slave, same function
   * or its exception, the length the request implies). `undefined` accepts any response again.
   * The expectation stays until changed.
   */
  expect(request: RequestFrame | undefined): void {
    this.expected = request;
  }

  /** Bytes held back, waiting for the rest of a frame. */
  get pending(): number {
    return this.buf.length;
  }

  /** Feeds bytes; returns the frames and skipped garbage they complete, in stream order. */
  push(chunk: Uint8Array): FramerEvent[] {
    const buf = new Uint8Array(this.buf.length + chunk.length);
    buf.set(this.buf, 0);
    buf.set(chunk, this.buf.length);
    const events: FramerEvent[] = [];
    let pos = 0;
    let junkFrom = -1;
    let junkReason = '';
    const junk = (reason: string): void => {
      if (junkFrom < 0) {
        junkFrom = pos;
        junkReason = reason;
      }
      pos++;
    };
    const endJunk = (): void => {
      if (junkFrom >= 0) events.push({ type: 'garbage', bytes: buf.slice(junkFrom, pos), reason: junkReason });
      junkFrom = -1;
    };
    while (pos < buf.length) {
      const v = this.lengthAt(buf, pos);
      if (v.kind === 'more') break;
      if (v.kind === 'invalid') {
        junk(v.reason);
        continue;
      }
      if (pos + v.length > buf.length) break;
      const got = frameCrc(buf, pos, pos + v.length);
      const computed = crc16(buf, pos, pos + v.length - 2);
      if (got !== computed) {
        junk(`CRC mismatch for a ${v.length}-byte frame: got ${hex4(got)}, computed ${hex4(computed)}`);
        continue;
      }
      endJunk();
      events.push({ type: 'frame', bytes: buf.slice(pos, pos + v.length) });
      pos += v.length;
    }
    endJunk();
    this.buf = buf.slice(pos);
    return events;
  }

  /** Gives up whatever is buffered, as garbage; the framer starts afresh. */
  flush(): FramerEvent[] {
    if (this.buf.length === 0) return [];
    const bytes = this.buf;
    this.buf = new Uint8Array(0);
    return [{ type: 'garbage', bytes, reason: `incomplete frame (${bytes.length} bytes) given up` }];
  }

  private lengthAt(buf: Uint8Array, pos: number): LengthVerdict {
    const v = frameLength(buf, pos, buf.length, this.direction);
    const req = this.expected;
    if (this.direction !== 'response' || req === undefined || v.kind === 'invalid') return v;
    const slave = buf[pos]!;
    if (slave !== req.slave) return { kind: 'invalid', reason: `slave ${slave} is not the one asked (${req.slave})` };
    const fn = buf[pos + 1];
    if (fn === undefined) return v;
    if (fn === (req.request.fn | 0x80)) return v.kind === 'complete' && v.length !== EXCEPTION_FRAME_LENGTH ? { kind: 'invalid', reason: 'bad exception length' } : v;
    if (fn !== req.request.fn) return { kind: 'invalid', reason: `function ${fn} does not answer function ${req.request.fn}` };
    const want = expectedResponseLength(req.request);
    if (v.kind === 'complete' && want !== undefined && v.length !== want) {
      return { kind: 'invalid', reason: `a ${v.length}-byte response, the request implies ${want}` };
    }
    return v;
  }
}
