/**
 * IPv4 addresses as the configuration port writes them: dotted quads (`192.168.1.50`), a prefix
 * length after a slash (`192.168.1.50/24`). Addresses are handled as unsigned 32-bit numbers.
 * Parsing is strict (four decimal numbers 0..255, no leading zeros, no spaces) and every error
 * names the field and the offset of the offending character.
 */
import { UsbConfigError } from './errors.ts';

/** Where a value sits, for errors: its field and the offset of its first character. */
export interface ValueAt {
  field: string;
  offset: number;
}

function bad(at: ValueAt, index: number, problem: string): UsbConfigError {
  return new UsbConfigError('invalid-field', problem, { field: at.field, offset: at.offset + index });
}

/** Parses `a.b.c.d` starting at `start` of `text` up to `end`; returns the address as a u32. */
function scanQuad(text: string, start: number, end: number, at: ValueAt): number {
  let value = 0;
  let i = start;
  for (let part = 0; part < 4; part++) {
    const from = i;
    while (i < end && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39) i++;
    const digits = text.slice(from, i);
    if (digits.length === 0) {
      const got = i < end ? `'${text[i]}'` : 'the end';
      throw bad(at, i, `expected a number 0..255 (part ${part + 1} of 4 of an IPv4 address), got ${got} in '${text}'`);
    }
    if (digits.length > 1 && digits[0] === '0') throw bad(at, from, `'${digits}' has a leading zero (part ${part + 1} of '${text}'); write it without`);
    const n = digits.length > 3 ? 256 : Number(digits);
    if (n > 255) throw bad(at, from, `${digits} is above 255 (part ${part + 1} of '${text}')`);
    value = value * 256 + n;
    if (part < 3) {
      if (i >= end || text[i] !== '.') {
        const got = i < end ? `'${text[i]}'` : 'the end';
        throw bad(at, i, `expected '.' after part ${part + 1} of an IPv4 address, got ${got} in '${text}'`);
      }
      i++;
    }
  }
  if (i < end) throw bad(at, i, `unexpected '${text[i]}' after the 4 parts of an IPv4 address in '${text}'`);
  return value >>> 0;
}

/** Parses a dotted quad; throws a `UsbConfigError` naming the field and offset. */
export function parseIpv4(text: string, at: ValueAt): number {
  return scanQuad(text, 0, text.length, at);
}

/** An address with its prefix length. */
export interface Cidr {
  address: number;
  prefix: number;
}

/** Parses `a.b.c.d/p` with p in `minPrefix..maxPrefix`. */
export function parseCidr(text: string, at: ValueAt, limits: { minPrefix: number; maxPrefix: number } = { minPrefix: 0, maxPrefix: 32 }): Cidr {
  const slash = text.indexOf('/');
  if (slash < 0) throw bad(at, text.length, `expected '/' and a prefix length after the address (e.g. 192.168.1.50/24), got '${text}'`);
  const address = scanQuad(text, 0, slash, at);
  const p = text.slice(slash + 1);
  if (!/^\d{1,2}$/.test(p)) throw bad(at, slash + 1, `expected a prefix length ${limits.minPrefix}..${limits.maxPrefix} after '/', got '${p}'`);
  const prefix = Number(p);
  if (prefix < limits.minPrefix || prefix > limits.maxPrefix) {
    throw bad(at, slash + 1, `prefix length /${prefix} is outside ${limits.minPrefix}..${limits.maxPrefix}`);
  }
  return { address, prefix };
}

/** `192.168.1.50` */
export function formatIpv4(n: number): string {
  const v = n >>> 0;
  return `${v >>> 24}.${(v >>> 16) & 0xff}.${(v >>> 8) & 0xff}.${v & 0xff}`;
}

/** The netmask of a prefix length as a u32 (`/24` → 0xffffff00). */
export function maskOf(prefix: number): number {
  return prefix <= 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The subnet's network address. */
export function networkOf(address: number, prefix: number): number {
  return (address & maskOf(prefix)) >>> 0;
}

/** The subnet's broadcast address. */
export function broadcastOf(address: number, prefix: number): number {
  return (networkOf(address, prefix) | ~maskOf(prefix)) >>> 0;
}

/** Whether `ip` lies in the subnet of `address/prefix`. */
export function inSubnet(ip: number, address: number, prefix: number): boolean {
  return networkOf(ip, prefix) === networkOf(address, prefix);
}

/** `192.168.1.0/24`: the subnet of an address. */
export function formatSubnet(address: number, prefix: number): string {
  return `${formatIpv4(networkOf(address, prefix))}/${prefix}`;
}

/**
 * Why an address cannot be a host's or a server's (RFC 6890 special-purpose blocks that never
 * reach a terminal's LAN), or undefined for an ordinary unicast address.
 */
export function specialUse(ip: number): string | undefined {
  const a = ip >>> 24;
  if (ip === 0xffffffff) return 'is the limited broadcast address';
  if (a === 0) return 'is in 0.0.0.0/8 ("this network")';
  if (a === 127) return 'is a loopback address (127.0.0.0/8)';
  if (a === 169 && ((ip >>> 16) & 0xff) === 254) return 'is a link-local address (169.254.0.0/16)';
  if (a >= 224 && a <= 239) return 'is a multicast address (224.0.0.0/4)';
  if (a >= 240) return 'is in the reserved block 240.0.0.0/4';
  return undefined;
}
