/**
 * Session authentication. Each modem has a number and a secret key provisioned at manufacture
 * (the same key is in the cloud's modem table). The cloud sends a fresh 16-byte nonce; the
 * terminal answers with HMAC-SHA256(key = UTF-8 bytes of the secret, message = the nonce bytes).
 * The account "authorization code" printed on the paper in the box is a different matter and
 * is not used here.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { fromHex, toHex } from '../../core/bytes.ts';

export const NONCE_BYTES = 16;
export const MAC_BYTES = 32;

function keyBytes(secret: string | Uint8Array): Uint8Array {
  return typeof secret === 'string' ? new TextEncoder().encode(secret) : secret;
}

/** HMAC-SHA256(secret, nonce). */
export function authMac(secret: string | Uint8Array, nonce: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac('sha256', keyBytes(secret)).update(nonce).digest());
}

/** The AUTH `mac` field for a CHALLENGE `nonce` field (both lowercase hex). */
export function authMacHex(secret: string | Uint8Array, nonceHex: string): string {
  return toHex(authMac(secret, fromHex(nonceHex)), '');
}

/** True when `macHex` is the right answer to `nonceHex`; compares in constant time. */
export function verifyAuthMac(secret: string | Uint8Array, nonceHex: string, macHex: string): boolean {
  if (!/^[0-9a-f]{64}$/.test(macHex) || !/^[0-9a-f]+$/.test(nonceHex) || nonceHex.length % 2 !== 0) return false;
  const expected = authMac(secret, fromHex(nonceHex));
  return timingSafeEqual(expected, fromHex(macHex));
}
