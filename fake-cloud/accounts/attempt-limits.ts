/**
 * Limits on guessing modem authorization codes, counted on the cloud's clock over sliding
 * windows: by default 5 wrong codes per account in 15 minutes, and 5 per modem (from any
 * account) in an hour. An attempt counts from the moment its check starts (so parallel requests
 * cannot slip past the limit) and stops counting once the code proved right.
 */
import type { Database } from 'better-sqlite3';
import { isoTime } from '../../core/clock/index.ts';
import { ApiError } from '../api/errors.ts';

export interface AttemptLimit {
  max: number;
  windowMs: number;
}

export interface ClaimLimits {
  perAccount: AttemptLimit;
  perModem: AttemptLimit;
}

export const DEFAULT_CLAIM_LIMITS: ClaimLimits = {
  perAccount: { max: 5, windowMs: 15 * 60_000 },
  perModem: { max: 5, windowMs: 60 * 60_000 },
};

/** 429: too many wrong codes; `retryAt` (clock ms) is when the next attempt is allowed. */
export class TooManyAttemptsError extends ApiError {
  constructor(
    message: string,
    readonly retryAt: number,
    readonly retryAfterMs: number,
  ) {
    super(429, message);
  }
}

export class AttemptLimiter {
  constructor(
    private readonly db: Database,
    readonly limits: ClaimLimits = DEFAULT_CLAIM_LIMITS,
  ) {}

  /** Throws `TooManyAttemptsError` when the account or the modem is at its limit at `now`. */
  check(accountId: number, modemNo: string, now: number): void {
    const a = this.blockedUntil('account_id', accountId, this.limits.perAccount, now);
    const m = this.blockedUntil('modem_no', modemNo, this.limits.perModem, now);
    if (a === undefined && m === undefined) return;
    const byModem = m !== undefined && (a === undefined || m > a);
    const until = byModem ? m! : a!;
    const limit = byModem ? this.limits.perModem : this.limits.perAccount;
    const who = byModem ? `for modem ${modemNo}` : 'from this account';
    const wait = until - now;
    throw new TooManyAttemptsError(
      `too many wrong authorization codes ${who} (${limit.max} in ${Math.round(limit.windowMs / 60_000)} min): try again at ${isoTime(until)} (in ${Math.ceil(wait / 1000)} s)`,
      until,
      wait,
    );
  }

  /** Counts an attempt from now on; returns its id for `settle`. */
  begin(accountId: number, modemNo: string, now: number): number {
    return Number(this.db.prepare('INSERT INTO auth_code_attempts (account_id, modem_no, at) VALUES (?, ?, ?)').run(accountId, modemNo, now).lastInsertRowid);
  }

  /** Records the outcome: a right code no longer counts against the limits. */
  settle(id: number, right: boolean): void {
    this.db.prepare('UPDATE auth_code_attempts SET ok = ? WHERE id = ?').run(right ? 1 : 0, id);
  }

  /** Wrong (or unfinished) attempts in the window ending at `now`. */
  count(column: 'account_id' | 'modem_no', key: number | string, windowMs: number, now: number): number {
    return (this.db.prepare(`SELECT COUNT(*) AS n FROM auth_code_attempts WHERE ${column} = ? AND at > ? AND (ok IS NULL OR ok = 0)`).get(key, now - windowMs) as { n: number }).n;
  }

  /** When the count drops below the limit again, or undefined when it is below now. */
  private blockedUntil(column: 'account_id' | 'modem_no', key: number | string, limit: AttemptLimit, now: number): number | undefined {
    const rows = this.db
      .prepare(`SELECT at FROM auth_code_attempts WHERE ${column} = ? AND at > ? AND (ok IS NULL OR ok = 0) ORDER BY at DESC LIMIT ?`)
      .all(key, now - limit.windowMs, limit.max) as { at: number }[];
    if (rows.length < limit.max) return undefined;
    // The oldest of the last `max` attempts leaves the window first.
    return rows[limit.max - 1]!.at + limit.windowMs;
  }
}
