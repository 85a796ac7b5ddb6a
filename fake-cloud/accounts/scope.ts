/**
 * The cloud service as one user (or support) may use it: `CloudService.as(userId)`,
 * `CloudService.forSession(token)`, `CloudService.asSupport()`. Every call on a modem is checked
 * with the rule table of `rights.ts` (the one the HTTP middleware uses), described by the HTTP
 * request it stands for: `readings(no)` is `GET /readings`, `io.setRelay(no)` is
 * `POST /relays/:output`, `setSiteSettings(no)` is `PUT /settings`.
 *
 * - A modem outside the user's account, or no such modem: 404 `no modem X in your account`
 *   (the same answer for both, so its existence is not revealed); a bad modem number: 400.
 * - A missing right: 403 naming the right and the modem.
 * - Support holds every right on every provisioned modem.
 */
import type { CloudService, ModemView } from '../api/service.ts';
import { ApiError } from '../api/errors.ts';
import { modemNo as modemNoSchema } from '../api/queries.ts';
import type { IoChangeRow, IoRule, IoSettingsView } from '../io/io-service.ts';
import { parseRuleInput } from '../io/io-inputs.ts';
import type { ModbusSettingsView } from '../settings/modbus-settings.ts';
import type { SiteSettingsView } from '../settings/site-settings.ts';
import type { PushRow } from '../store/store.ts';
import type { UserRightsView, UserView } from './accounts.ts';
import type { ClaimedModem } from './modem-claims.ts';
import { MODEM_RIGHTS, requireRight, ruleFor, type ModemRight } from './rights.ts';

/** Who is asking: support (admin token, or the service itself) or a user. */
export type Principal = { kind: 'support' } | { kind: 'user'; userId: number };

export class AccessScope {
  /** Site I/O, checked per modem. */
  readonly io: ScopedIo;

  constructor(
    private readonly service: CloudService,
    readonly principal: Principal,
  ) {
    this.io = new ScopedIo(service, this);
  }

  /** The user (undefined for support). */
  get user(): UserView | undefined {
    return this.principal.kind === 'user' ? this.service.accounts.user(this.principal.userId) : undefined;
  }

  /** The rights held on a modem; 400 for a bad number, 404 when it is not the user's to see. */
  rightsOn(modemNo: string): ModemRight[] {
    const ok = modemNoSchema.safeParse(modemNo);
    if (!ok.success) throw new ApiError(400, `field 'modemNo': ${ok.error.issues[0]!.message}`, 'modemNo');
    if (this.principal.kind === 'support') {
      this.service.modem(modemNo);
      return [...MODEM_RIGHTS];
    }
    const rights = this.service.accounts.rightsOn(this.principal.userId, modemNo);
    if (rights === undefined) throw new ApiError(404, `no modem ${modemNo} in your account`);
    return rights;
  }

  /** Checks a request on a modem (`method`, path below `/api/modems/:no`) against the rule table. */
  authorize(modemNo: string, method: string, subPath: string): void {
    requireRight(this.rightsOn(modemNo), modemNo, ruleFor(method, subPath));
  }

  /** True when the principal holds `right` on the modem (false for a modem it may not see). */
  can(modemNo: string, right: ModemRight): boolean {
    try {
      return this.rightsOn(modemNo).includes(right);
    } catch {
      return false;
    }
  }

  /** The modems the principal may view. */
  listModems(): ModemView[] {
    if (this.principal.kind === 'support') return this.service.listModems();
    const visible = new Set(this.service.accounts.visibleModems(this.principal.userId));
    return this.service.listModems().filter((m) => visible.has(m.modemNo));
  }

  modem(no: string): ModemView {
    this.authorize(no, 'GET', '');
    return this.service.modem(no);
  }

  readings(no: string, query: unknown = {}): ReturnType<CloudService['readings']> {
    this.authorize(no, 'GET', '/readings');
    return this.service.readings(no, query);
  }

  events(no: string, query: unknown = {}): ReturnType<CloudService['events']> {
    this.authorize(no, 'GET', '/events');
    return this.service.events(no, query);
  }

  records(no: string, query: unknown = {}): ReturnType<CloudService['records']> {
    this.authorize(no, 'GET', '/records');
    return this.service.records(no, query);
  }

  pushes(no: string): PushRow[] {
    this.authorize(no, 'GET', '/pushes');
    return this.service.pushes(no);
  }

  modbusDevices(no: string): ModbusSettingsView {
    this.authorize(no, 'GET', '/settings/modbus');
    return this.service.modbusDevices(no);
  }

  setModbusDevices(no: string, body: unknown): ModbusSettingsView {
    this.authorize(no, 'PUT', '/settings/modbus');
    return this.service.setModbusDevices(no, body);
  }

  siteSettings(no: string): SiteSettingsView {
    this.authorize(no, 'GET', '/settings');
    return this.service.siteSettings(no);
  }

  setSiteSettings(no: string, body: unknown): SiteSettingsView {
    this.authorize(no, 'PUT', '/settings');
    return this.service.setSiteSettings(no, body);
  }

  /** "Add modem authorization" (the account owner): `{ modemNo, code }`. */
  async addModem(input: unknown): Promise<ClaimedModem> {
    return this.service.accounts.addModem(this.userId('adds modems'), input);
  }

  /** The account's users and their rights (the owner). */
  users(): UserRightsView[] {
    return this.service.accounts.usersFor(this.userId('manages users'));
  }

  /** Creates a sub-user (the owner): `{ email, password, name? }`. */
  async createSubUser(input: unknown): Promise<UserRightsView> {
    return this.service.accounts.createSubUser(this.userId('creates sub-users'), input);
  }

  /** Replaces a sub-user's rights (the owner): `{ modems: { "<no>": ["view", …] } }`. */
  setRights(userId: number, input: unknown): UserRightsView {
    return this.service.accounts.setRights(this.userId('manages users'), userId, input);
  }

  removeSubUser(userId: number): void {
    this.service.accounts.removeSubUser(this.userId('manages users'), userId);
  }

  private userId(what: string): number {
    if (this.principal.kind !== 'user') throw new ApiError(400, `a user ${what}, not support: log in as the account owner`);
    return this.principal.userId;
  }
}

/** Site I/O as the principal may use it. */
export class ScopedIo {
  constructor(
    private readonly service: CloudService,
    private readonly scope: AccessScope,
  ) {}

  settings(no: string): IoSettingsView {
    this.scope.authorize(no, 'GET', '/settings/io');
    return this.service.io.settings(no);
  }

  setSettings(no: string, input: unknown): IoSettingsView {
    this.scope.authorize(no, 'PUT', '/settings/io');
    return this.service.io.setSettings(no, input);
  }

  /** A relay command (`{ output, on, until? }`): needs `control`. */
  setRelay(no: string, input: unknown): PushRow {
    this.scope.authorize(no, 'POST', '/relays/:output');
    return this.service.io.setRelay(no, input);
  }

  changes(no: string, q: { point?: 'input' | 'output'; n?: number } = {}): IoChangeRow[] {
    this.scope.authorize(no, 'GET', '/io');
    return this.service.io.changes(no, q);
  }

  /** Rules whose both modems the principal may view. */
  rules(): IoRule[] {
    return this.service.io.rules().filter((r) => this.scope.can(r.from.modemNo, 'view') && this.scope.can(r.to.modemNo, 'view'));
  }

  /** A rule switches the target's relay: `view` on the source modem and `control` on the target. */
  addRule(input: unknown): IoRule {
    const r = parseRuleInput(input);
    this.scope.authorize(r.from.modemNo, 'GET', '/io');
    this.scope.authorize(r.to.modemNo, 'POST', '/relays/:output');
    return this.service.io.addRule(input);
  }

  /** Removes a rule: `control` on its target; a rule the principal may not see is 404. */
  deleteRule(id: number): void {
    const r = this.rules().find((x) => x.id === id);
    if (!r) throw new ApiError(404, `no io rule ${id}`);
    this.scope.authorize(r.to.modemNo, 'POST', '/relays/:output');
    this.service.io.deleteRule(id);
  }
}
