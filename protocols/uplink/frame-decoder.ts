/**
 * Cuts frames out of a byte stream that arrives in arbitrary chunks. Pure: `push` bytes in,
 * events out. A fault is reported as an `error` event naming its stream offset, and the decoder
 * resynchronises: it skips one byte past the start of the bad frame and hunts for the next
 * 'HT'. It never throws on input and always makes progress.
 */
import { COMPRESSED_FLAG, CRC_BYTES, DEFAULT_MAX_PAYLOAD, HEADER_BYTES, MAGIC_0, MAGIC_1, PROTOCOL_VERSION, messageTypeName, type RawFrame } from './frame.ts';
import { crc32 } from './crc32.ts';
import { UplinkError, hex2, hex8 } from './errors.ts';

export type FrameEvent = { kind: 'frame'; frame: RawFrame } | { kind: 'error'; error: UplinkError };

export class FrameDecoder {
  private chunks: Uint8Array[] = [];
  private queued = 0;
  /** Bytes needed in the buffer before parsing can move on. */
  private need = 1;
  /** Stream offset of the first buffered byte. */
  private base = 0;

  constructor(readonly maxPayload = DEFAULT_MAX_PAYLOAD) {}

  /** Bytes held back, waiting for the rest of a frame. */
  get pending(): number {
    return this.queued;
  }

  /** Stream offset of the next byte to be pushed. */
  get offset(): number {
    return this.base + this.queued;
  }

  /** Feeds bytes; returns the frames and faults they complete, in stream order. */
  push(chunk: Uint8Array): FrameEvent[] {
    if (chunk.length === 0) return [];
    this.chunks.push(chunk);
    this.queued += chunk.length;
    if (this.queued < this.need) return [];
    const buf = this.chunks.length === 1 ? this.chunks[0]! : concat(this.chunks, this.queued);
    const events: FrameEvent[] = [];
    const pos = this.parse(buf, events);
    const rest = buf.subarray(pos);
    this.chunks = rest.length ? [rest] : [];
    this.queued = rest.length;
    this.base += pos;
    return events;
  }

  /** Gives up buffered bytes (the link closed mid-frame); returns an error naming them, if any. */
  reset(): UplinkError | undefined {
    const n = this.queued;
    const at = this.base;
    this.base += n;
    this.chunks = [];
    this.queued = 0;
    this.need = 1;
    return n ? new UplinkError('bad-magic', `${n} bytes of an unfinished frame at offset ${at} discarded`, { offset: at }) : undefined;
  }

  private parse(buf: Uint8Array, events: FrameEvent[]): number {
    let pos = 0;
    const abs = (p: number) => this.base + p;
    while (pos < buf.length) {
      if (buf[pos] !== MAGIC_0 || (pos + 1 < buf.length && buf[pos + 1] !== MAGIC_1)) {
        const next = findMagic(buf, pos + 1);
        const got = buf.subarray(pos, Math.min(pos + 2, buf.length));
        events.push({
          kind: 'error',
          error: new UplinkError(
            'bad-magic',
            `bad magic at offset ${abs(pos)}: got ${[...got].map(hex2).join(' ')}, expected 'HT' (0x48 0x54); skipped ${next - pos} bytes`,
            { offset: abs(pos) },
          ),
        });
        pos = next;
        continue;
      }
      if (buf.length - pos < HEADER_BYTES) {
        this.need = HEADER_BYTES;
        return pos;
      }
      const fault = this.headerFault(buf, pos);
      if (fault) {
        events.push({ kind: 'error', error: fault });
        pos += 1;
        continue;
      }
      const length = readU32(buf, pos + 4);
      const size = HEADER_BYTES + length + CRC_BYTES;
      if (buf.length - pos < size) {
        this.need = size;
        return pos;
      }
      const crcAt = pos + HEADER_BYTES + length;
      const got = readU32(buf, crcAt);
      const computed = crc32(buf, pos + 2, crcAt);
      if (got !== computed) {
        events.push({
          kind: 'error',
          error: new UplinkError('crc-mismatch', `CRC mismatch at offset ${abs(crcAt)}: got ${hex8(got)}, computed ${hex8(computed)} (frame at offset ${abs(pos)})`, {
            offset: abs(crcAt),
          }),
        });
        pos += 1;
        continue;
      }
      events.push({
        kind: 'frame',
        frame: {
          type: messageTypeName(buf[pos + 3]! & ~COMPRESSED_FLAG)!,
          payload: buf.slice(pos + HEADER_BYTES, crcAt),
          offset: abs(pos),
          size,
          ...((buf[pos + 3]! & COMPRESSED_FLAG) !== 0 ? { compressed: true } : {}),
        },
      });
      pos += size;
    }
    this.need = 1;
    return pos;
  }

  private headerFault(buf: Uint8Array, pos: number): UplinkError | undefined {
    const at = this.base + pos;
    const version = buf[pos + 2]!;
    if (version !== PROTOCOL_VERSION) {
      return new UplinkError('bad-version', `unsupported version ${version} at offset ${at + 2}: expected ${PROTOCOL_VERSION}`, { offset: at + 2 });
    }
    const type = buf[pos + 3]!;
    if (!messageTypeName(type & ~COMPRESSED_FLAG)) {
      return new UplinkError('unknown-type', `unknown message type ${hex2(type)} at offset ${at + 3}`, { offset: at + 3 });
    }
    const length = readU32(buf, pos + 4);
    if (length > this.maxPayload) {
      return new UplinkError('oversize', `payload length ${length} at offset ${at + 4} exceeds the limit of ${this.maxPayload}`, { offset: at + 4 });
    }
    return undefined;
  }
}

/** Index of the next 'HT' (or a trailing 'H' that may start one) at or after `from`. */
function findMagic(buf: Uint8Array, from: number): number {
  for (let i = from; i < buf.length; i++) {
    if (buf[i] === MAGIC_0 && (i + 1 === buf.length || buf[i + 1] === MAGIC_1)) return i;
  }
  return buf.length;
}

function readU32(buf: Uint8Array, at: number): number {
  return ((buf[at]! << 24) | (buf[at + 1]! << 16) | (buf[at + 2]! << 8) | buf[at + 3]!) >>> 0;
}

function concat(chunks: readonly Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
