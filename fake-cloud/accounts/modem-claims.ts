/**
 * "Add modem authorization": each provisioned modem has a one-time code (printed on the paper in
 * its box; the cloud keeps only its argon2id hash). A user who types the modem number and the
 * code moves the modem into their account; the code is then used up.
 *
 * Refusals, in the order they are checked:
 * - 400 a body that is not `{ modemNo, code }` or a code that cannot be one (not counted);
 * - 409 the modem is already in the user's own account;
 * - 429 too many wrong codes from the account or for the modem (`attempt-limits.ts`);
 * - 400 a wrong code, a code of another modem, or no such modem (one answer for all three, so a
 *   guess learns neither that a code is valid elsewhere nor that a modem number exists; counted);
 * - 409 a right code already used (the modem is in another account, or was released since);
 * - 409 a right, unused code for a modem that is in another account (support must release it).
 */
import type { Database } from 'better-sqlite3';
import { isoTime, type Clock } from '../../core/clock/index.ts';
import { ApiError } from '../api/errors.ts';
import { parseInput } from '../api/queries.ts';
import { CODE_FORMAT, countingCodes, formatCode, normalizeCode, randomCode } from './auth-code.ts';
import { AttemptLimiter, type ClaimLimits } from './attempt-limits.ts';
import { addModemInput } from './inputs.ts';
import type { SecretHasher } from './secrets.ts';

/** A modem that moved into an account. */
export interface ClaimedModem {
  modemNo: string;
  accountId: number;
  addedAt: number;
}

type Row = Record<string, unknown>;

export class ModemClaims {
  readonly limiter: AttemptLimiter;
  private readonly nextCode: (modemNo: string) => string;

  constructor(
    private readonly db: Database,
    private readonly clock: Clock,
    private readonly hasher: SecretHasher,
    limits?: ClaimLimits,
  ) {
    this.limiter = new AttemptLimiter(db, limits);
    this.nextCode = clock.virtual ? countingCodes() : () => randomCode();
  }

  /**
   * Gives the modem a new code (the old one stops working) and returns it in its printed form.
   * `code`: the code to print (as typed; 400 naming `authCode` when it cannot be one); default:
   * random on a real clock, a repeatable sequence on a virtual one.
   */
  issue(modemNo: string, code?: string): string {
    const c = code === undefined ? this.nextCode(modemNo) : normalizeCode(code);
    if (c === undefined) throw new ApiError(400, `modem: field 'authCode': expected ${CODE_FORMAT}`, 'authCode');
    this.db
      .prepare(
        `INSERT INTO modem_auth_codes (modem_no, code_hash, issued_at) VALUES (?, ?, ?)
         ON CONFLICT (modem_no) DO UPDATE SET code_hash = excluded.code_hash, issued_at = excluded.issued_at, used_at = NULL, used_by = NULL`,
      )
      .run(modemNo, this.hasher.hashSync(c), this.now());
    return formatCode(c);
  }

  /** The account holding the modem, if any. */
  accountOf(modemNo: string): number | undefined {
    const r = this.db.prepare('SELECT account_id FROM account_modems WHERE modem_no = ?').get(modemNo) as Row | undefined;
    return r ? (r['account_id'] as number) : undefined;
  }

  /** Modem numbers of an account, sorted. */
  modemsOf(accountId: number): string[] {
    return (this.db.prepare('SELECT modem_no FROM account_modems WHERE account_id = ? ORDER BY modem_no').all(accountId) as Row[]).map((r) => r['modem_no'] as string);
  }

  /** Puts a modem into an account without a code (support). 409 when it is in another one. */
  assign(modemNo: string, accountId: number): ClaimedModem {
    const owner = this.accountOf(modemNo);
    if (owner !== undefined && owner !== accountId) throw new ApiError(409, `modem ${modemNo} is already in another account`);
    const now = this.now();
    if (owner === undefined) this.db.prepare('INSERT INTO account_modems (modem_no, account_id, added_at, added_by) VALUES (?, ?, ?, NULL)').run(modemNo, accountId, now);
    return { modemNo, accountId, addedAt: now };
  }

  /** Takes a modem out of its account (support) and returns its new code, for a new paper. */
  release(modemNo: string): string {
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM account_modems WHERE modem_no = ?').run(modemNo);
      this.db.prepare('DELETE FROM modem_rights WHERE modem_no = ?').run(modemNo);
    })();
    return this.issue(modemNo);
  }

  /** Moves the modem into the user's account with its code (`{ modemNo, code }`); see the file header. */
  async claim(by: { userId: number; accountId: number }, input: unknown): Promise<ClaimedModem> {
    const i = parseInput(addModemInput, input, 'add modem authorization');
    const code = normalizeCode(i.code);
    if (code === undefined) throw new ApiError(400, `add modem authorization: field 'code': expected ${CODE_FORMAT}`, 'code');
    const no = i.modemNo;
    if (this.accountOf(no) === by.accountId) throw new ApiError(409, `modem ${no} is already in your account`);
    this.limiter.check(by.accountId, no, this.now());
    const attempt = this.limiter.begin(by.accountId, no, this.now());
    const row = this.db.prepare('SELECT m.modem_no, c.code_hash, c.used_at FROM modems m JOIN modem_auth_codes c ON c.modem_no = m.modem_no WHERE m.modem_no = ?').get(no) as Row | undefined;
    const right = row ? await this.hasher.verify(row['code_hash'] as string, code) : await this.hasher.burn(code);
    this.limiter.settle(attempt, right);
    if (!right) throw new ApiError(400, `wrong authorization code for modem ${no}: the modem number and the code must come from the same paper`, 'code');
    const owner = this.accountOf(no);
    const usedAt = row!['used_at'] as number | null;
    if (usedAt !== null) {
      throw new ApiError(409, owner !== undefined && owner !== by.accountId
        ? `modem ${no} is in another account: its authorization code was used at ${isoTime(usedAt)}`
        : `the authorization code of modem ${no} was already used at ${isoTime(usedAt)}: ask support for a new one`);
    }
    if (owner === by.accountId) throw new ApiError(409, `modem ${no} is already in your account`);
    if (owner !== undefined) throw new ApiError(409, `modem ${no} is already in another account`);
    const now = this.now();
    this.db.transaction(() => {
      const used = this.db.prepare('UPDATE modem_auth_codes SET used_at = ?, used_by = ? WHERE modem_no = ? AND used_at IS NULL').run(now, by.userId, no);
      if (used.changes !== 1) throw new ApiError(409, `the authorization code of modem ${no} was used at the same moment by another request`);
      this.db.prepare('INSERT INTO account_modems (modem_no, account_id, added_at, added_by) VALUES (?, ?, ?, ?)').run(no, by.accountId, now, by.userId);
    })();
    return { modemNo: no, accountId: by.accountId, addedAt: now };
  }

  private now(): number {
    return Math.round(this.clock.now());
  }
}
