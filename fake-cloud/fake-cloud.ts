/**
 * The fake cloud as one object: store + uplink listener + service + HTTP API.
 *
 * In virtual mode nothing listens on a port: hand `cloud.uplink` (a `LinkAcceptor`) to a
 * `MemoryDialer`, and call `cloud.service` directly. `start()` opens the HTTP API and/or a TCP
 * uplink listener on real ports (pty and rig modes, or a real terminal talking to it).
 *
 * Users: support opens accounts (`cloud.accounts.openAccount`, or `POST /api/admin/users` with
 * `cloud.adminToken`); `cloud.service.as(userId)` is the service as that user may use it.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../core/clock/index.ts';
import { createLogger, type Logger } from '../core/log.ts';
import { listenTcp } from '../lines/net/tcp-link.ts';
import type { Express } from 'express';
import type { Accounts, AccountsOptions } from './accounts/accounts.ts';
import { createHttpApp, type RouteAdder } from './api/http.ts';
import { Reports, addReportRoutes } from './reports/index.ts';
import { addAlarmRoutes, type Alarms } from './alarms/index.ts';
import type { Notifier } from './notify/index.ts';
import { webDepsOf } from './web/web-routes.ts';
import { CloudService, type ProvisionedModem } from './api/service.ts';
import { Store } from './store/store.ts';
import { UplinkServer, type UplinkServerOptions } from './uplink/server.ts';

export interface FakeCloudOptions {
  clock: Clock;
  /** SQLite file, or `:memory:` (default). A file survives `stop()` and a new FakeCloud. */
  db?: string;
  logger?: Logger;
  uplink?: Omit<UplinkServerOptions, 'clock' | 'store' | 'logger'>;
  /** Bearer token of support for `/api/admin/...` (and full access). Default: random, see `adminToken`. */
  adminToken?: string;
  /** Session timing and limits on authorization-code guesses. */
  accounts?: Omit<AccountsOptions, 'store' | 'clock' | 'adminToken'>;
  /** Further HTTP routes (behind authentication and the modem access check). */
  routes?: readonly RouteAdder[];
}

export interface FakeCloudStartOptions {
  /** Serve the HTTP API on this port (0: any free port). */
  http?: { port?: number; host?: string };
  /** Accept uplink connections over TCP on this port (0: any free port). */
  tcp?: { port?: number; host?: string };
  /** The SMTP capture server's port (0, the default: any free port; it always starts). */
  smtp?: { port?: number };
}

export class FakeCloud {
  readonly store: Store;
  readonly uplink: UplinkServer;
  readonly service: CloudService;
  /** Accounts, users, sessions, rights and modem authorization codes. */
  readonly accounts: Accounts;
  /** The HTTP API (served by `start({ http })`). */
  readonly app: Express;
  /** Reports: consumption, reactive ratio, instantaneous values, steps, I/O, outages, communication. */
  readonly reports: Reports;
  /** Alarm rules and their state (started with the cloud: virtual benches never call start()). */
  readonly alarms: Alarms;
  /** Alarm notifications: SMTP capture server, SMS outbox, retries. */
  readonly notifier: Notifier;
  private readonly log: Logger;
  private http: Server | undefined;
  private tcp: { close(): Promise<void> } | undefined;
  private stopped = false;

  constructor(private readonly options: FakeCloudOptions) {
    this.log = options.logger ?? createLogger('fake-cloud');
    this.store = new Store(options.db ?? ':memory:');
    this.uplink = new UplinkServer({ ...options.uplink, clock: options.clock, store: this.store, logger: this.log });
    this.service = new CloudService(this.store, options.clock, this.uplink, {
      accounts: { ...options.accounts, ...(options.adminToken !== undefined ? { adminToken: options.adminToken } : {}) },
    });
    this.accounts = this.service.accounts;
    this.alarms = this.service.alarms;
    this.notifier = this.service.notifier;
    this.alarms.start();
    this.reports = new Reports(this.store, options.clock, this.uplink);
    this.app = createHttpApp(this.service, this.log, { routes: [(app) => addReportRoutes(app, this.reports), (app) => addAlarmRoutes(app, this.alarms), ...(options.routes ?? [])] });
    const web = webDepsOf(this.app)!;
    web.reports = this.reports;
    web.alarms = this.alarms;
  }

  /** Support's bearer token (`Authorization: Bearer <token>`). */
  get adminToken(): string {
    return this.accounts.adminToken;
  }

  /**
   * Adds a modem (or gives it a new secret), as the factory provisions it, with a new one-time
   * authorization code (`authCode`: the one to print, or a new one), returned as printed on the
   * paper in the box.
   */
  provisionModem(modem: { modemNo: string; secret: string; model?: string; authCode?: string }): ProvisionedModem {
    return this.service.provisionModem(modem);
  }

  /** Opens the requested listeners; resolves with the ports they got. */
  async start(options: FakeCloudStartOptions = {}): Promise<{ httpPort?: number; uplinkPort?: number; smtpPort?: number }> {
    const out: { httpPort?: number; uplinkPort?: number; smtpPort?: number } = {};
    out.smtpPort = await this.notifier.start(options.smtp?.port ?? 0);
    if (options.http) {
      const server = createServer(this.app);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(options.http!.port ?? 0, options.http!.host ?? '127.0.0.1', () => resolve());
      });
      this.http = server;
      out.httpPort = (server.address() as AddressInfo).port;
    }
    if (options.tcp) {
      const l = await listenTcp(this.uplink, options.tcp.port ?? 0, options.tcp.host ?? '127.0.0.1');
      this.tcp = l;
      out.uplinkPort = l.port;
    }
    this.log.info(out, 'fake cloud started');
    return out;
  }

  /** Closes every session (BYE), the listeners and the database. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.uplink.close('cloud stopping');
    await this.alarms.stop();
    const http = this.http;
    this.http = undefined;
    if (http) {
      http.closeAllConnections();
      await new Promise<void>((resolve) => http.close(() => resolve()));
    }
    const tcp = this.tcp;
    this.tcp = undefined;
    if (tcp) await tcp.close();
    this.store.close();
  }
}
