/**
 * Hashing of the secrets the cloud keeps: passwords and modem authorization codes as argon2id
 * (`@node-rs/argon2`; one lane, a random salt per hash; costs below), session
 * tokens as SHA-256 (they are 256 random bits; a fast hash is enough to keep the database from
 * holding a usable token).
 *
 * The async forms run on libuv's pool; they are registered with the clock, so virtual time does
 * not move while a hash is being computed.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, hashSync, verify } from '@node-rs/argon2';
import type { Clock } from '../../core/clock/index.ts';

/** argon2id cost: memory in KiB and passes. */
export interface HashCost {
  memoryCost: number;
  timeCost: number;
}

/** `@node-rs/argon2`'s defaults (the OWASP choice for argon2id: 19 MiB, 2 passes): passwords. */
export const DEFAULT_HASH_COST: HashCost = { memoryCost: 19_456, timeCost: 2 };

/**
 * Authorization codes: 4 MiB, one pass (about 2 ms; every provisioned modem pays it once). A code
 * is 40 random bits, used once, and guessed online only 5 times per hour per modem; offline, a
 * stolen database still costs 4 MiB and a pass per guess.
 */
export const DEFAULT_CODE_HASH_COST: HashCost = { memoryCost: 4096, timeCost: 1 };

/** Hashes and checks secrets at one cost, timed on one clock. */
export class SecretHasher {
  private dummy: string | undefined;

  constructor(
    private readonly clock: Clock,
    readonly cost: HashCost = DEFAULT_HASH_COST,
  ) {}

  /** argon2id PHC string of `secret`. */
  hash(secret: string): Promise<string> {
    return this.clock.track(hash(secret, { ...this.cost, parallelism: 1 }), 'argon2 hash');
  }

  /** The same, on the calling thread (provisioning, which answers at once with the code). */
  hashSync(secret: string): string {
    return hashSync(secret, { ...this.cost, parallelism: 1 });
  }

  /** True when `secret` matches the PHC string (its own cost applies); a malformed hash is a mismatch. */
  async verify(stored: string, secret: string): Promise<boolean> {
    try {
      return await this.clock.track(verify(stored, secret), 'argon2 verify');
    } catch {
      return false;
    }
  }

  /**
   * Spends the time of one verification against a hash nobody knows the secret of, so that a
   * login with an unknown e-mail takes as long as one with a wrong password.
   */
  async burn(secret: string): Promise<false> {
    this.dummy ??= this.hashSync(randomBytes(16).toString('hex'));
    await this.verify(this.dummy, secret);
    return false;
  }
}

/** A new session token: 32 random bytes, base64url. */
export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** SHA-256 hex of a token, the form it is stored in. */
export function tokenHash(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Constant-time equality of two strings. */
export function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
