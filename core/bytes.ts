/** Byte helpers shared by every room: hex in and out, printable views with named controls. */

/** Names of the ASCII control characters as IEC 62056-21 and AT traces show them. */
const CONTROL_NAMES: readonly string[] = [
  'NUL', 'SOH', 'STX', 'ETX', 'EOT', 'ENQ', 'ACK', 'BEL', 'BS', 'HT', 'LF', 'VT', 'FF', 'CR', 'SO', 'SI',
  'DLE', 'DC1', 'DC2', 'DC3', 'DC4', 'NAK', 'SYN', 'ETB', 'CAN', 'EM', 'SUB', 'ESC', 'FS', 'GS', 'RS', 'US',
];

export const STX = 0x02;
export const ETX = 0x03;
export const EOT = 0x04;
export const ACK = 0x06;
export const NAK = 0x15;
export const SOH = 0x01;
export const CR = 0x0d;
export const LF = 0x0a;

/** `01 a2 ff` style, lowercase, space separated. */
export function toHex(bytes: Uint8Array, separator = ' '): string {
  let out = '';
  for (let i = 0; i < bytes.length; i++) {
    if (i > 0) out += separator;
    out += bytes[i]!.toString(16).padStart(2, '0');
  }
  return out;
}

/** Parses hex with optional spaces, colons or `0x` prefixes; throws naming the bad position. */
export function fromHex(text: string): Uint8Array {
  const clean = text.replace(/0x/gi, '').replace(/[\s:,-]/g, '');
  if (clean.length % 2 !== 0) throw new RangeError(`hex string has an odd number of digits (${clean.length})`);
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i++) {
    const pair = clean.slice(2 * i, 2 * i + 2);
    if (!/^[0-9a-fA-F]{2}$/.test(pair)) throw new RangeError(`not a hex byte at digit ${2 * i}: '${pair}'`);
    out[i] = parseInt(pair, 16);
  }
  return out;
}

/** Printable view: ASCII as is, controls as `<STX>`, other bytes as `<0x9f>`. */
export function toPrintable(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) {
    if (b < 0x20) out += `<${CONTROL_NAMES[b]}>`;
    else if (b < 0x7f) out += String.fromCharCode(b);
    else if (b === 0x7f) out += '<DEL>';
    else out += `<0x${b.toString(16).padStart(2, '0')}>`;
  }
  return out;
}

export function ascii(text: string): Uint8Array {
  const out = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c > 0xff) throw new RangeError(`character ${JSON.stringify(text[i])} at ${i} is not a single byte`);
    out[i] = c;
  }
  return out;
}

export function fromAscii(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Index of the first byte where two buffers differ, or -1 when equal. */
export function firstDifference(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) if (a[i] !== b[i]) return i;
  return a.length === b.length ? -1 : n;
}
