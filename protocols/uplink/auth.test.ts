import { describe, expect, it } from 'vitest';
import { ascii, toHex } from '../../core/bytes.ts';
import { authMac, authMacHex, verifyAuthMac } from './auth.ts';

describe('session authentication', () => {
  it('is HMAC-SHA256 (RFC 4231 test case 2)', () => {
    expect(toHex(authMac('Jefe', ascii('what do ya want for nothing?')), '')).toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });

  it('signs the nonce bytes, not their hex text (protocol vector)', () => {
    const nonce = '000102030405060708090a0b0c0d0e0f';
    const mac = authMacHex('G21-000123:k3y', nonce);
    expect(mac).toBe(toHex(authMac('G21-000123:k3y', Uint8Array.from({ length: 16 }, (_, i) => i)), ''));
    expect(mac).not.toBe(toHex(authMac('G21-000123:k3y', ascii(nonce)), ''));
    expect(mac).toBe('e4ca4cc46458443511d51c593176b805da14740af6134ffbde38f7aa8f1a3674');
  });

  it('verifies the right answer only', () => {
    const nonce = 'ffeeddccbbaa99887766554433221100';
    const mac = authMacHex('secret-1', nonce);
    expect(verifyAuthMac('secret-1', nonce, mac)).toBe(true);
    expect(verifyAuthMac('secret-2', nonce, mac)).toBe(false);
    expect(verifyAuthMac('secret-1', '00' + nonce.slice(2), mac)).toBe(false);
    expect(verifyAuthMac('secret-1', nonce, mac.slice(0, 62))).toBe(false);
    expect(verifyAuthMac('secret-1', nonce, mac.toUpperCase())).toBe(false);
    expect(verifyAuthMac('secret-1', 'xyz', mac)).toBe(false);
  });
});
