/**
 * The cloud's web pages (server-rendered HTML, one stylesheet, one small script that calls the
 * JSON API), served by the same express app as the API:
 *
 * ```
 * GET /                         → /modems (or /login)
 * GET /login?next=              the login form (POST /api/login)
 * GET /modems                   the user's modems: state, last seen, open alarms
 * GET /modems/add               add modem authorization (POST /api/account/modems)
 * GET /modems/:no               the dashboard (?day=YYYY-MM-DD&meter=)
 * GET /modems/:no/settings      site, alarm recipients, I/O support, Modbus devices (PUT …/settings[/io|/modbus])
 * GET /alarms                   the alarm list (?state=open|cleared&modem=)
 * GET /assets/style.css, /assets/app.js
 * ```
 * Pages need a session (the API's cookie); without one they redirect to `/login?next=…`. A modem
 * outside the user's account is a 404 page, as in the API. Register these before the API's
 * authentication (the login page and the assets are public).
 */
import { join } from 'node:path';
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { errorMessage } from '../../core/errors.ts';
import type { AccessScope } from '../accounts/scope.ts';
import { ApiError } from '../api/errors.ts';
import { errorPage } from './layout.ts';
import { alarmFilter, alarmsPage } from './pages/alarms.ts';
import { dashboardPage, dashboardQuery } from './pages/dashboard.ts';
import { loginPage } from './pages/login.ts';
import { addModemPage, modemLines, modemsPage } from './pages/modems.ts';
import { settingsPage } from './pages/settings.ts';
import { safeNext, sessionScope, toLogin } from './session.ts';
import type { WebDeps } from './web-deps.ts';

export type { WebDeps } from './web-deps.ts';

/** Folder of the stylesheet and the page script. */
export const ASSETS_DIR = join(import.meta.dirname, 'assets');

type Handler = (req: Request, res: Response, scope: AccessScope, user: string) => void;

const LOCALS_KEY = 'smartPowerWebDeps';

/**
 * The object the pages of `app` read their sources from (the one given to `addWebRoutes`, kept
 * in `app.locals`); its `reports` and `alarms` may be set after the app is made, they are read
 * at each request. Undefined when the app has no pages.
 */
export function webDepsOf(app: Express): WebDeps | undefined {
  return app.locals[LOCALS_KEY] as WebDeps | undefined;
}

/**
 * Adds the pages and their assets to `app`, before the API's authentication (the login page and
 * the assets are public) and its 404 handler. `deps.reports` and `deps.alarms` are read at each
 * request (see `webDepsOf`).
 */
export function addWebRoutes(app: Express, deps: WebDeps): void {
  app.locals[LOCALS_KEY] = deps;
  const { service } = deps;
  const send = (res: Response, status: number, body: string) => res.status(status).type('html').setHeader('Cache-Control', 'no-store').send(body);

  /** A page for a signed-in user; errors become pages with the API's words. */
  const userPage = (h: Handler) => (req: Request, res: Response, next: NextFunction) => {
    const scope = sessionScope(service, req);
    const user = scope?.user;
    if (!scope || !user) return toLogin(req, res);
    try {
      h(req, res, scope, user.email);
    } catch (err) {
      if (err instanceof ApiError) return send(res, err.status, errorPage(err.status, err.message, user.email));
      next(err);
    }
  };
  const modemNo = (req: Request) => String(req.params['no']);

  app.use('/assets', express.static(ASSETS_DIR, { index: false, maxAge: 0 }));
  app.use('/assets', (req, res) => {
    res.status(404).type('text').send(`no asset ${req.path}`);
  });
  app.get('/', (req, res) => {
    res.redirect(303, sessionScope(service, req)?.user ? '/modems' : '/login');
  });
  app.get('/login', (req, res) => {
    const next = safeNext(req.query['next']);
    if (sessionScope(service, req)?.user) return res.redirect(303, next);
    send(res, 200, loginPage(next));
  });
  app.get(
    '/modems',
    userPage((_req, res, scope, user) => send(res, 200, modemsPage(modemLines(deps, scope), { user, owner: scope.user?.role === 'owner' }))),
  );
  app.get(
    '/modems/add',
    userPage((_req, res, scope, user) => send(res, 200, addModemPage({ user, owner: scope.user?.role === 'owner' }))),
  );
  app.get(
    '/modems/:no',
    userPage((req, res, scope, user) => {
      const no = modemNo(req);
      const modem = scope.modem(no);
      const query = dashboardQuery(req.query as Record<string, unknown>);
      send(
        res,
        200,
        dashboardPage(deps, {
          user,
          modem,
          query,
          location: service.site.view(no).location?.name ?? null,
          openAlarms: deps.alarms?.list(no, { state: 'open' }).length,
          utcOffsetMin: service.io.settings(no).utcOffsetMin,
        }),
      );
    }),
  );
  app.get(
    '/modems/:no/settings',
    userPage((req, res, scope, user) => {
      const no = modemNo(req);
      send(res, 200, settingsPage({ user, modemNo: no, canChange: scope.can(no, 'settings'), site: scope.siteSettings(no), io: scope.io.settings(no), modbus: scope.modbusDevices(no) }));
    }),
  );
  app.get(
    '/alarms',
    userPage((req, res, scope, user) => {
      const modems = scope.listModems().map((m) => m.modemNo);
      const filter = alarmFilter(req.query as Record<string, unknown>, modems);
      const visible = new Set(modems);
      const alarms = deps.alarms ? deps.alarms.all({ ...(filter.state ? { state: filter.state } : {}), ...(filter.modem ? { modem: filter.modem } : {}) }).filter((a) => visible.has(a.modemNo)) : undefined;
      const offsets = new Map(modems.map((m) => [m, service.io.settings(m).utcOffsetMin]));
      send(res, 200, alarmsPage({ user, alarms, modems, filter, offsetOf: (m) => offsets.get(m) ?? 180 }));
    }),
  );
  // A page that failed for a reason other than the API's: say so as a page, not as JSON.
  app.use(['/modems', '/alarms', '/login'], (err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    send(res, 500, errorPage(500, errorMessage(err)));
  });
}
