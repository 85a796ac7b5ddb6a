/**
 * The modem authorization code printed on the paper in the terminal's box: 8 characters from a
 * 32-symbol alphabet without 0/O and 1/I (40 bits), shown as two groups (`K7QM-3WXA`). Typed
 * input is read case-insensitively, spaces and dashes ignored.
 */
import { createHash, randomBytes } from 'node:crypto';

/** The code's symbols: digits 2–9 and the letters without I and O. */
export const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Symbols in a code. */
export const CODE_LENGTH = 8;

/** What a code looks like, for messages. */
export const CODE_FORMAT = `${CODE_LENGTH} letters and digits as printed on the paper, e.g. K7QM-3WXA`;

/** The printed form of a normalized code (`K7QM3WXA` → `K7QM-3WXA`). */
export function formatCode(code: string): string {
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The code as typed, normalized (upper case, no spaces or dashes); undefined when it cannot be a code. */
export function normalizeCode(typed: string): string | undefined {
  const c = typed.replace(/[\s-]/g, '').toUpperCase();
  if (c.length !== CODE_LENGTH) return undefined;
  for (const ch of c) if (!CODE_ALPHABET.includes(ch)) return undefined;
  return c;
}

/** Code from 8 bytes of entropy (5 bits each). */
function codeFrom(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i < CODE_LENGTH; i++) out += CODE_ALPHABET[bytes[i]! & 31];
  return out;
}

/** A random code (real clock). */
export function randomCode(): string {
  return codeFrom(new Uint8Array(randomBytes(CODE_LENGTH)));
}

/**
 * Codes that repeat from run to run (virtual clock): SHA-256 of the modem number and a counter,
 * so a virtual run prints the same papers every time.
 */
export function countingCodes(): (modemNo: string) => string {
  let n = 0;
  return (modemNo) => codeFrom(new Uint8Array(createHash('sha256').update(`ht-hil fake cloud authorization code ${modemNo} ${++n}`).digest()));
}
