/**
 * Accounts, users and their rights on modems.
 *
 * - Support opens an account with its owner (`openAccount`, or `POST /api/admin/users` with the
 *   admin token). The owner logs in, adds modems with their authorization codes, creates
 *   sub-users and grants each of them rights per modem (`view`, `control`, `settings`).
 * - The owner holds every right on every modem of the account; a sub-user holds what was granted
 *   (`control` and `settings` include `view`). Nobody reaches a modem of another account.
 * - Passwords are kept as argon2id; sessions as in `sessions.ts`; codes as in `modem-claims.ts`.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock/index.ts';
import { ApiError } from '../api/errors.ts';
import { parseInput } from '../api/queries.ts';
import type { Store } from '../store/store.ts';
import type { ClaimLimits } from './attempt-limits.ts';
import { loginInput, newUserInput, openAccountInput, rightsInput } from './inputs.ts';
import { ModemClaims, type ClaimedModem } from './modem-claims.ts';
import { MODEM_RIGHTS, normalizeRights, parseRights, type ModemRight } from './rights.ts';
import { DEFAULT_CODE_HASH_COST, sameSecret, SecretHasher, type HashCost } from './secrets.ts';
import { DEFAULT_SESSION_TIMING, Sessions, type SessionTiming } from './sessions.ts';

export interface UserView {
  id: number;
  accountId: number;
  accountName: string;
  email: string;
  name: string | null;
  /** `owner`: opened with the account, holds every right; `sub`: created by the owner. */
  role: 'owner' | 'sub';
  createdAt: number;
}

/** A user with the rights granted per modem (an owner: every right on every account modem). */
export interface UserRightsView extends UserView {
  rights: Record<string, ModemRight[]>;
}

export interface AccountsOptions {
  store: Store;
  clock: Clock;
  /** Bearer token of support (`/api/admin/...`, and full access). Default: 32 random bytes, hex. */
  adminToken?: string;
  sessions?: Partial<SessionTiming>;
  claimLimits?: ClaimLimits;
  /** argon2id cost of passwords (default: 19 MiB, 2 passes). */
  hashCost?: HashCost;
  /** argon2id cost of authorization codes (default: 4 MiB, 1 pass; see `secrets.ts`). */
  codeHashCost?: HashCost;
}

type Row = Record<string, unknown>;

export class Accounts {
  readonly adminToken: string;
  readonly sessions: Sessions;
  readonly claims: ModemClaims;
  private readonly hasher: SecretHasher;
  private readonly store: Store;
  private readonly clock: Clock;

  constructor(o: AccountsOptions) {
    this.store = o.store;
    this.clock = o.clock;
    this.adminToken = o.adminToken ?? randomBytes(32).toString('hex');
    this.sessions = new Sessions(o.store.db, o.clock, { ...DEFAULT_SESSION_TIMING, ...o.sessions });
    this.hasher = new SecretHasher(o.clock, o.hashCost);
    this.claims = new ModemClaims(o.store.db, o.clock, new SecretHasher(o.clock, o.codeHashCost ?? DEFAULT_CODE_HASH_COST), o.claimLimits);
  }

  /** True for the admin token (constant-time comparison). */
  isAdminToken(token: string): boolean {
    return sameSecret(token, this.adminToken);
  }

  /** Support opens an account: `{ email, password, name?, account? }`; returns its owner. 409 for a known e-mail. */
  async openAccount(input: unknown): Promise<UserView> {
    const i = parseInput(openAccountInput, input, 'new account');
    this.requireFreeEmail(i.email);
    const hash = await this.hasher.hash(i.password);
    const now = this.now();
    const id = this.store.db.transaction((): number => {
      this.requireFreeEmail(i.email);
      const account = Number(this.store.db.prepare('INSERT INTO accounts (name, created_at) VALUES (?, ?)').run(i.account ?? i.email, now).lastInsertRowid);
      return this.insertUser(account, i.email, i.name, hash, 'owner', null, now);
    })();
    return this.user(id);
  }

  /** The owner creates a sub-user (`{ email, password, name? }`), with no rights yet. */
  async createSubUser(ownerId: number, input: unknown): Promise<UserRightsView> {
    const owner = this.requireOwner(ownerId, 'creates sub-users');
    const i = parseInput(newUserInput, input, 'new user');
    this.requireFreeEmail(i.email);
    const hash = await this.hasher.hash(i.password);
    const id = this.store.db.transaction((): number => {
      this.requireFreeEmail(i.email);
      return this.insertUser(owner.accountId, i.email, i.name, hash, 'sub', owner.id, this.now());
    })();
    return this.withRights(this.user(id));
  }

  /** A user by id (404 when there is none). */
  user(id: number): UserView {
    const r = this.store.db.prepare('SELECT u.*, a.name AS account_name FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = ?').get(id) as Row | undefined;
    if (!r) throw new ApiError(404, `no user ${id}`);
    return toUser(r);
  }

  /** A user with the rights held per modem. */
  userRights(id: number): UserRightsView {
    return this.withRights(this.user(id));
  }

  /** The users of an account with their rights, owner first. */
  users(accountId: number): UserRightsView[] {
    const rows = this.store.db.prepare("SELECT u.*, a.name AS account_name FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.account_id = ? ORDER BY u.role = 'sub', u.id").all(accountId) as Row[];
    return rows.map((r) => this.withRights(toUser(r)));
  }

  /** The owner's view of the account's users (403 for a sub-user). */
  usersFor(ownerId: number): UserRightsView[] {
    return this.users(this.requireOwner(ownerId, 'manages users').accountId);
  }

  /** The owner removes a sub-user; the sub-user's sessions end. */
  removeSubUser(ownerId: number, userId: number): void {
    const sub = this.requireSubUser(ownerId, userId);
    this.store.db.transaction(() => {
      this.store.db.prepare('DELETE FROM modem_rights WHERE user_id = ?').run(sub.id);
      this.store.db.prepare('DELETE FROM users WHERE id = ?').run(sub.id);
      this.sessions.endAllOf(sub.id);
    })();
  }

  /**
   * The owner replaces a sub-user's rights: `{ modems: { "<modem no>": ["view", "control"] } }`.
   * Every modem must be in the account (404 otherwise); an empty list removes the modem.
   */
  setRights(ownerId: number, userId: number, input: unknown): UserRightsView {
    const sub = this.requireSubUser(ownerId, userId);
    const i = parseInput(rightsInput, input, 'rights');
    const mine = new Set(this.claims.modemsOf(sub.accountId));
    for (const no of Object.keys(i.modems)) if (!mine.has(no)) throw new ApiError(404, `no modem ${no} in your account`, `modems.${no}`);
    this.store.db.transaction(() => {
      this.store.db.prepare('DELETE FROM modem_rights WHERE user_id = ?').run(sub.id);
      const ins = this.store.db.prepare('INSERT INTO modem_rights (user_id, modem_no, rights) VALUES (?, ?, ?)');
      for (const [no, rights] of Object.entries(i.modems)) {
        const r = normalizeRights(rights);
        if (r.length) ins.run(sub.id, no, r.join(','));
      }
    })();
    return this.withRights(sub);
  }

  /** `{ email, password }` → a new session; 401 `wrong e-mail or password` for either mistake. */
  async login(input: unknown): Promise<{ token: string; expiresAt: number; user: UserView }> {
    const i = parseInput(loginInput, input, 'login');
    const r = this.store.db.prepare('SELECT id, password_hash FROM users WHERE email = ?').get(i.email) as Row | undefined;
    const ok = r ? await this.hasher.verify(r['password_hash'] as string, i.password) : await this.hasher.burn(i.password);
    if (!ok || !r) throw new ApiError(401, 'wrong e-mail or password');
    const s = this.sessions.create(r['id'] as number);
    return { ...s, user: this.user(r['id'] as number) };
  }

  /** The user of a session token (its idle expiry moves on); 401 when unknown or expired. */
  session(token: string): UserView {
    const s = this.sessions.use(token);
    if (!s.ok) throw new ApiError(401, s.reason === 'expired' ? 'the session expired: log in again' : 'not logged in');
    return this.user(s.userId);
  }

  /** Ends a session (no error when there is none). */
  logout(token: string): void {
    this.sessions.end(token);
  }

  /** The user's rights on a modem; undefined when the modem is not in the user's account (or does not exist). */
  rightsOn(userId: number, modemNo: string): ModemRight[] | undefined {
    const u = this.user(userId);
    if (this.claims.accountOf(modemNo) !== u.accountId) return undefined;
    if (u.role === 'owner') return [...MODEM_RIGHTS];
    const r = this.store.db.prepare('SELECT rights FROM modem_rights WHERE user_id = ? AND modem_no = ?').get(userId, modemNo) as Row | undefined;
    return r ? parseRights(r['rights'] as string) : [];
  }

  /** Modems the user may view, sorted. */
  visibleModems(userId: number): string[] {
    const u = this.user(userId);
    return this.claims.modemsOf(u.accountId).filter((no) => (this.rightsOn(userId, no) ?? []).includes('view'));
  }

  /** The owner adds a modem with its authorization code (`{ modemNo, code }`, see `modem-claims.ts`). */
  async addModem(userId: number, input: unknown): Promise<ClaimedModem> {
    const owner = this.requireOwner(userId, 'adds modems');
    return this.claims.claim({ userId: owner.id, accountId: owner.accountId }, input);
  }

  private withRights(u: UserView): UserRightsView {
    const rights: Record<string, ModemRight[]> = {};
    if (u.role === 'owner') {
      for (const no of this.claims.modemsOf(u.accountId)) rights[no] = [...MODEM_RIGHTS];
    } else {
      const rows = this.store.db.prepare('SELECT modem_no, rights FROM modem_rights WHERE user_id = ? ORDER BY modem_no').all(u.id) as Row[];
      for (const r of rows) rights[r['modem_no'] as string] = parseRights(r['rights'] as string);
    }
    return { ...u, rights };
  }

  private requireOwner(userId: number, what: string): UserView {
    const u = this.user(userId);
    if (u.role !== 'owner') throw new ApiError(403, `only the account owner ${what}`);
    return u;
  }

  private requireSubUser(ownerId: number, userId: number): UserView {
    const owner = this.requireOwner(ownerId, 'manages users');
    const r = this.store.db.prepare('SELECT id FROM users WHERE id = ? AND account_id = ?').get(userId, owner.accountId) as Row | undefined;
    if (!r) throw new ApiError(404, `no user ${userId} in your account`);
    if (userId === owner.id) throw new ApiError(400, 'the account owner holds every right and cannot be removed');
    return this.user(userId);
  }

  private requireFreeEmail(email: string): void {
    if (this.store.db.prepare('SELECT 1 FROM users WHERE email = ?').get(email)) throw new ApiError(409, `a user with e-mail ${email} exists`, 'email');
  }

  private insertUser(accountId: number, email: string, name: string | undefined, hash: string, role: 'owner' | 'sub', by: number | null, now: number): number {
    return Number(
      this.store.db.prepare('INSERT INTO users (account_id, email, name, password_hash, role, created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?)').run(accountId, email, name ?? null, hash, role, now, by).lastInsertRowid,
    );
  }

  private now(): number {
    return Math.round(this.clock.now());
  }
}

function toUser(r: Row): UserView {
  return {
    id: r['id'] as number,
    accountId: r['account_id'] as number,
    accountName: r['account_name'] as string,
    email: r['email'] as string,
    name: (r['name'] as string | null) ?? null,
    role: r['role'] as 'owner' | 'sub',
    createdAt: r['created_at'] as number,
  };
}
