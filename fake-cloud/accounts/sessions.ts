/**
 * Login sessions, kept in SQLite (`sessions`, migration 4) and timed on the cloud's clock (virtual
 * time ages them like real time). The token lives only in the user's cookie; the table holds its
 * SHA-256. A session ends after `idleMs` without a request, and `maxMs` after login at the latest.
 */
import type { Database } from 'better-sqlite3';
import type { Clock } from '../../core/clock/index.ts';
import { newToken, tokenHash } from './secrets.ts';

export interface SessionTiming {
  /** A session unused this long ends (default 12 h). */
  idleMs: number;
  /** A session ends this long after login, used or not (default 7 days). */
  maxMs: number;
}

export const DEFAULT_SESSION_TIMING: SessionTiming = { idleMs: 12 * 3_600_000, maxMs: 7 * 24 * 3_600_000 };

/** What a token stands for: its user, or why it no longer does. */
export type SessionLookup = { ok: true; userId: number; expiresAt: number } | { ok: false; reason: 'unknown' | 'expired' };

type Row = Record<string, number>;

export class Sessions {
  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    readonly timing: SessionTiming = DEFAULT_SESSION_TIMING,
  ) {}

  /** Starts a session for the user; returns the token (for the cookie) and its first expiry. */
  create(userId: number): { token: string; expiresAt: number } {
    const now = this.now();
    this.db.prepare('DELETE FROM sessions WHERE expires_at <= ?').run(now);
    const token = newToken();
    const expiresAt = Math.min(now + this.timing.idleMs, now + this.timing.maxMs);
    this.db.prepare('INSERT INTO sessions (token_hash, user_id, created_at, last_used_at, expires_at) VALUES (?, ?, ?, ?, ?)').run(tokenHash(token), userId, now, now, expiresAt);
    return { token, expiresAt };
  }

  /** The session of a token, its idle expiry pushed forward; an expired one is removed. */
  use(token: string): SessionLookup {
    const h = tokenHash(token);
    const r = this.db.prepare('SELECT user_id, created_at, expires_at FROM sessions WHERE token_hash = ?').get(h) as Row | undefined;
    if (!r) return { ok: false, reason: 'unknown' };
    const now = this.now();
    if (r['expires_at']! <= now) {
      this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(h);
      return { ok: false, reason: 'expired' };
    }
    const expiresAt = Math.min(now + this.timing.idleMs, r['created_at']! + this.timing.maxMs);
    this.db.prepare('UPDATE sessions SET last_used_at = ?, expires_at = ? WHERE token_hash = ?').run(now, expiresAt, h);
    return { ok: true, userId: r['user_id']!, expiresAt };
  }

  /** Ends the session of a token (logout); false when there was none. */
  end(token: string): boolean {
    return this.db.prepare('DELETE FROM sessions WHERE token_hash = ?').run(tokenHash(token)).changes > 0;
  }

  /** Ends every session of a user (the user was removed). */
  endAllOf(userId: number): void {
    this.db.prepare('DELETE FROM sessions WHERE user_id = ?').run(userId);
  }

  /** Live sessions of a user. */
  count(userId: number): number {
    return (this.db.prepare('SELECT COUNT(*) AS n FROM sessions WHERE user_id = ? AND expires_at > ?').get(userId, this.now()) as Row)['n']!;
  }

  private now(): number {
    return Math.round(this.clock.now());
  }
}
