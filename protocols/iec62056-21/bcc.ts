/**
 * Block check character (IEC 62056-21 6.2, ISO 1155): the XOR of every byte after the first
 * SOH or STX of a message up to and including the ETX or EOT that ends it.
 */
import { ETX, EOT, SOH, STX } from '../../core/bytes.ts';

/** XOR of `bytes[from..to)` (end exclusive). */
export function xorBytes(bytes: Uint8Array, from = 0, to = bytes.length): number {
  let x = 0;
  for (let i = from; i < to; i++) x ^= bytes[i]!;
  return x;
}

/**
 * BCC of a complete message body as sent on the line, starting with SOH or STX and ending with
 * ETX or EOT (without the BCC byte). Throws a RangeError when the framing bytes are missing.
 */
export function computeBcc(message: Uint8Array): number {
  const first = message[0];
  const last = message[message.length - 1];
  if (first !== SOH && first !== STX) throw new RangeError('a BCC-protected message starts with SOH or STX');
  if (message.length < 2 || (last !== ETX && last !== EOT)) throw new RangeError('a BCC-protected message ends with ETX or EOT');
  return xorBytes(message, 1);
}

/** The message followed by its BCC. */
export function appendBcc(message: Uint8Array): Uint8Array {
  const out = new Uint8Array(message.length + 1);
  out.set(message);
  out[message.length] = computeBcc(message);
  return out;
}
