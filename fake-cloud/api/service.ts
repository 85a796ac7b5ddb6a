/**
 * What the fake cloud can be asked: the functions behind the HTTP routes, callable directly by
 * scenarios (same validation, same code path). Inputs are validated here; errors are `ApiError`.
 *
 * `CloudService` itself acts as support (every modem, every right). `as(userId)`,
 * `forSession(token)` and `asSupport()` give an `AccessScope`: the same calls, checked against
 * the user's rights with the rule table the HTTP API uses (`accounts/rights.ts`).
 */
import { isoTime, type Clock } from '../../core/clock/index.ts';
import type { PushKind } from '../../protocols/uplink/messages.ts';
import type { EventRow, ModemRow, PushRow, ReadingRow, RecordRow, Store } from '../store/store.ts';
import type { UplinkServer } from '../uplink/server.ts';
import { ModbusSettings, type ModbusSettingsView } from '../settings/modbus-settings.ts';
import { IoService } from '../io/io-service.ts';
import { Accounts, type AccountsOptions } from '../accounts/accounts.ts';
import { AccessScope } from '../accounts/scope.ts';
import { SiteSettings, type SiteSettingsView } from '../settings/site-settings.ts';
import { Alarms } from '../alarms/alarms.ts';
import { Notifier } from '../notify/notifier.ts';
import { ApiError } from './errors.ts';
import { eventsQuery, modemNo as modemNoSchema, parseInput, provisionInput, readingsQuery, recordsQuery } from './queries.ts';

export interface ModemView {
  modemNo: string;
  model: string | null;
  reportedModel: string | null;
  firmware: string | null;
  configVersion: number;
  /** Highest seq held contiguously. */
  upTo: number;
  online: boolean;
  lastSeenAt: number | null;
  lastSeen: string | null;
}

type WithTime<T> = T & { time: string };

/** A provisioned modem and the authorization code printed on the paper in its box. */
export type ProvisionedModem = ModemView & { authCode: string };

export interface CloudServiceOptions {
  /** Admin token, session timing, limits on authorization-code guesses. */
  accounts?: Omit<AccountsOptions, 'store' | 'clock'>;
}

export class CloudService {
  /** The modems' Modbus device settings (and the config pushes they cause). */
  readonly modbusSettings: ModbusSettings;
  /** Site I/O: I/O support flag, relay schedules and commands, automation rules, I/O changes. */
  readonly io: IoService;
  /** Location, send period (pushed to the terminal), alarm recipients. */
  readonly site: SiteSettings;
  /** Alarm rules evaluated as records arrive; each alarm raised once and cleared once. */
  readonly alarms: Alarms;
  /** E-mail (real SMTP to the capture server) and SMS (gateway stand-in) of alarm transitions. */
  readonly notifier: Notifier;
  /** Accounts, users, sessions, rights, modem authorization codes. */
  readonly accounts: Accounts;

  constructor(
    private readonly store: Store,
    private readonly clock: Clock,
    private readonly uplink?: UplinkServer,
    options: CloudServiceOptions = {},
  ) {
    this.modbusSettings = new ModbusSettings(store, clock, uplink);
    this.io = new IoService(store, clock, uplink);
    this.site = new SiteSettings(store, clock, uplink);
    const site = this.site;
    this.notifier = new Notifier({ store, clock, recipients: site, location: (no) => site.view(no).location?.name });
    this.alarms = new Alarms({ store, clock, ...(uplink ? { uplink } : {}), notifier: this.notifier, sendPeriodMin: (no) => site.view(no).sendPeriodMin });
    this.accounts = new Accounts({ ...options.accounts, store, clock });
  }

  /**
   * Adds (or re-keys) a modem: `{ modemNo, secret (≥ 8 chars), model?, authCode? }`, and gives
   * it a new one-time authorization code (`authCode` as printed, or a new one), returned in its
   * printed form; the cloud keeps only its hash. A modem already in an account stays there.
   */
  provisionModem(input: unknown): ProvisionedModem {
    const { authCode, ...rest } = (input ?? {}) as { authCode?: unknown };
    if (authCode !== undefined && typeof authCode !== 'string') throw new ApiError(400, "modem: field 'authCode': expected the code as printed, e.g. K7QM-3WXA", 'authCode');
    const m = parseInput(provisionInput, rest, 'modem');
    const code = this.store.db.transaction(() => {
      this.store.provisionModem(m, Math.round(this.clock.now()));
      return this.accounts.claims.issue(m.modemNo, authCode);
    })();
    return { ...this.view(this.store.modem(m.modemNo)!), authCode: code };
  }

  /** This service as a user sees it: every modem call checked against the user's rights. */
  as(userId: number): AccessScope {
    this.accounts.user(userId);
    return new AccessScope(this, { kind: 'user', userId });
  }

  /** This service as the user of a session token sees it (401 when the session is gone). */
  forSession(token: string): AccessScope {
    return this.as(this.accounts.session(token).id);
  }

  /** This service as support sees it (every modem, every right), through the same checks. */
  asSupport(): AccessScope {
    return new AccessScope(this, { kind: 'support' });
  }

  listModems(): ModemView[] {
    return this.store.modems().map((m) => this.view(m));
  }

  modem(modemNo: string): ModemView {
    return this.view(this.requireModem(modemNo));
  }

  /** Readings, oldest first. Query: meter, address, from, to (clock ms or ISO), limit. */
  readings(modemNo: string, query: unknown = {}): WithTime<ReadingRow>[] {
    this.requireModem(modemNo);
    const q = parseInput(readingsQuery, query, 'readings query');
    return this.store.readings(modemNo, q).map(withTime);
  }

  /** Events from the terminal and the cloud, oldest first. Query: name, from, to, limit. */
  events(modemNo: string, query: unknown = {}): WithTime<EventRow>[] {
    this.requireModem(modemNo);
    const q = parseInput(eventsQuery, query, 'events query');
    return this.store.events(modemNo, q).map(withTime);
  }

  /** Raw records by seq. Query: kind, afterSeq, from, to, limit. */
  records(modemNo: string, query: unknown = {}): WithTime<RecordRow>[] {
    this.requireModem(modemNo);
    const q = parseInput(recordsQuery, query, 'records query');
    return this.store.records(modemNo, q).map(withTime);
  }

  /** Queues a push to the modem (sent now if online, else on its next session). */
  push(modemNo: string, kind: PushKind, body: unknown): PushRow {
    this.requireModem(modemNo);
    if (!this.uplink) throw new ApiError(503, 'no uplink listener in this cloud');
    if (kind !== 'config' && kind !== 'command') throw new ApiError(400, `push: field 'kind': expected 'config' or 'command'`, 'kind');
    return this.uplink.push(modemNo, kind, body);
  }

  pushes(modemNo: string): PushRow[] {
    this.requireModem(modemNo);
    return this.store.pushes(modemNo);
  }

  /** The modem's Modbus device list, config version and the version it acknowledged. */
  modbusDevices(modemNo: string): ModbusSettingsView {
    this.requireModem(modemNo);
    return this.modbusSettings.view(modemNo);
  }

  /**
   * Replaces the modem's Modbus device list (`{ devices: [{ address, type, model?, port? }] }`).
   * A change bumps the config version and pushes the config (now, or at the next session).
   * Errors name the field: `modbus settings: devices[3].address: duplicate address 17 on rs485 …`.
   */
  setModbusDevices(modemNo: string, body: unknown): ModbusSettingsView {
    this.requireModem(modemNo);
    return this.modbusSettings.set(modemNo, body);
  }

  /** The modem's location, send period and alarm recipients. */
  siteSettings(modemNo: string): SiteSettingsView {
    this.requireModem(modemNo);
    return this.site.view(modemNo);
  }

  /**
   * Changes the modem's settings (`{ location?, sendPeriodMin?, recipients? }`, each field present
   * replaces that part). A new send period is pushed to the terminal. Errors name the field.
   */
  setSiteSettings(modemNo: string, body: unknown): SiteSettingsView {
    this.requireModem(modemNo);
    return this.site.set(modemNo, body);
  }

  private requireModem(no: string): ModemRow {
    const ok = modemNoSchema.safeParse(no);
    if (!ok.success) throw new ApiError(400, `field 'modemNo': ${ok.error.issues[0]!.message}`, 'modemNo');
    const m = this.store.modem(no);
    if (!m) throw new ApiError(404, `modem ${no} is not provisioned`);
    return m;
  }

  private view(m: ModemRow): ModemView {
    return {
      modemNo: m.modemNo,
      model: m.model,
      reportedModel: m.reportedModel,
      firmware: m.firmware,
      configVersion: m.configVersion,
      upTo: m.upTo,
      online: this.uplink?.isOnline(m.modemNo) ?? false,
      lastSeenAt: m.lastSeenAt,
      lastSeen: m.lastSeenAt === null ? null : isoTime(m.lastSeenAt),
    };
  }
}

function withTime<T extends { at: number }>(row: T): WithTime<T> {
  return { ...row, time: isoTime(row.at) };
}
