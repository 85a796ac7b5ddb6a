/**
 * The uplink frame: one message on the byte stream.
 *
 * ```
 * offset  size  field
 *   0      1    magic 'H' (0x48)
 *   1      1    magic 'T' (0x54)
 *   2      1    version (1)
 *   3      1    message type (see MESSAGE_TYPES); bit 7 set: payload compressed (compression.ts)
 *   4      4    payload length N, unsigned, big-endian (at most maxPayload, default 65536)
 *   8      N    payload: UTF-8 JSON object with compact keys (N = 0 means `{}`)
 *   8+N    4    CRC-32 (IEEE, as zlib) of bytes 2 .. 8+N-1, unsigned, big-endian
 * ```
 * A frame is N + 12 bytes.
 */
import { crc32 } from './crc32.ts';
import { UplinkError } from './errors.ts';

export const MAGIC_0 = 0x48; // 'H'
export const MAGIC_1 = 0x54; // 'T'
export const PROTOCOL_VERSION = 1;
export const HEADER_BYTES = 8;
export const CRC_BYTES = 4;
/** Bytes a frame adds around its payload. */
export const FRAME_OVERHEAD = HEADER_BYTES + CRC_BYTES;
/** Default and ceiling of the payload length a decoder accepts. */
export const DEFAULT_MAX_PAYLOAD = 65536;

/** Bit 7 of the type byte: the payload is compressed against the direction's window. */
export const COMPRESSED_FLAG = 0x80;

/** Message type codes of protocol version 1. */
export const MESSAGE_TYPES = {
  hello: 0x01,
  challenge: 0x02,
  auth: 0x03,
  welcome: 0x04,
  reject: 0x05,
  record: 0x10,
  ack: 0x11,
  nack: 0x12,
  push: 0x20,
  'push-ack': 0x21,
  ping: 0x30,
  pong: 0x31,
  bye: 0x3f,
} as const;

export type MessageTypeName = keyof typeof MESSAGE_TYPES;

const NAMES = new Map<number, MessageTypeName>(
  (Object.entries(MESSAGE_TYPES) as [MessageTypeName, number][]).map(([name, code]) => [code, name]),
);

/** The name of a type code, or `undefined` when version 1 does not define it. */
export function messageTypeName(code: number): MessageTypeName | undefined {
  return NAMES.get(code);
}

/** One frame with a good CRC, as cut from the stream; `offset` is its first byte in the stream. */
export interface RawFrame {
  type: MessageTypeName;
  payload: Uint8Array;
  offset: number;
  size: number;
  /** The payload is compressed (type byte bit 7). */
  compressed?: boolean;
}

/** Builds a frame around `payload`. Throws `UplinkError('oversize')` past `maxPayload`. */
export function encodeFrame(type: MessageTypeName, payload: Uint8Array, maxPayload = DEFAULT_MAX_PAYLOAD, compressed = false): Uint8Array {
  if (payload.length > maxPayload) {
    throw new UplinkError('oversize', `${type} payload of ${payload.length} bytes exceeds the limit of ${maxPayload}`);
  }
  const out = new Uint8Array(payload.length + FRAME_OVERHEAD);
  const view = new DataView(out.buffer);
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = PROTOCOL_VERSION;
  out[3] = MESSAGE_TYPES[type] | (compressed ? COMPRESSED_FLAG : 0);
  view.setUint32(4, payload.length);
  out.set(payload, HEADER_BYTES);
  view.setUint32(HEADER_BYTES + payload.length, crc32(out, 2, HEADER_BYTES + payload.length));
  return out;
}
