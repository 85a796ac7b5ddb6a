/**
 * The fake cloud's HTTP API (express 5), a thin layer over `CloudService`:
 *
 * ```
 * (accounts and sessions: see accounts/account-routes.ts)
 * GET /api/modems                         the modems the user may view, with online state
 * GET /api/modems/:no                     one modem
 * GET /api/modems/:no/readings?meter=&address=&from=&to=&limit=
 * GET /api/modems/:no/events?name=&from=&to=&limit=
 * GET /api/modems/:no/records?kind=&afterSeq=&from=&to=&limit=     raw records
 * GET /api/modems/:no/pushes
 * GET /api/modems/:no/settings            location, send period, alarm recipients
 * PUT /api/modems/:no/settings            body { location?, sendPeriodMin?, recipients? }
 * GET /api/modems/:no/settings/modbus     the Modbus device list, config and acknowledged versions
 * PUT /api/modems/:no/settings/modbus     body { devices: [{ address, type, model?, port? }] }
 * (site I/O routes: see io/io-routes.ts; its automation rules are served here, per user)
 * ```
 * Every route needs a session cookie or the admin token (401), but `POST /api/login` and
 * `POST /api/logout`. Every `/api/modems/:no/...` route, including the ones added later through
 * `routes`, is checked with the rule table of `accounts/rights.ts` before its handler runs.
 * `from`/`to` take clock ms or ISO 8601. Errors are JSON `{ error, field? }`: 400 for a bad
 * input (naming the field), 401 without a session, 403 without the right, 404 for an unknown
 * modem (or one of another account) or path, 409 for a conflict, 429 with `Retry-After` for
 * too many wrong authorization codes, 500 otherwise.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { isoTime } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import { addAccountRoutes, jsonBody } from '../accounts/account-routes.ts';
import { TooManyAttemptsError } from '../accounts/attempt-limits.ts';
import { authenticate, modemAccess, scopeOf } from '../accounts/http-auth.ts';
import { addIoRoutes } from '../io/io-routes.ts';
import { addWebRoutes } from '../web/web-routes.ts';
import { ApiError } from './errors.ts';
import type { CloudService } from './service.ts';

/** Adds routes to the app; runs after authentication and the modem access check are in place. */
export type RouteAdder = (app: Express, service: CloudService) => void;

export interface HttpAppOptions {
  /** Further routes (reports, alarms, …), registered before the 404 fallback. */
  routes?: readonly RouteAdder[];
}

export function createHttpApp(service: CloudService, log?: Logger, options: HttpAppOptions = {}): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('json spaces', 0);
  addWebRoutes(app, { service }); // the web pages: public login page and assets, their own session check
  app.use(authenticate(service));
  addAccountRoutes(app, service);
  app.use('/api/modems/:no', modemAccess());
  const no = (req: Request) => String(req.params['no']);
  app.get('/api/modems', (_req, res) => {
    res.json(scopeOf(res).listModems());
  });
  app.get('/api/modems/:no', (req, res) => {
    res.json(service.modem(no(req)));
  });
  app.get('/api/modems/:no/readings', (req, res) => {
    res.json(service.readings(no(req), req.query));
  });
  app.get('/api/modems/:no/events', (req, res) => {
    res.json(service.events(no(req), req.query));
  });
  app.get('/api/modems/:no/records', (req, res) => {
    res.json(service.records(no(req), req.query));
  });
  app.get('/api/modems/:no/pushes', (req, res) => {
    res.json(service.pushes(no(req)));
  });
  app.get('/api/modems/:no/settings', (req, res) => {
    res.json(service.siteSettings(no(req)));
  });
  app.put('/api/modems/:no/settings', jsonBody('site settings'), (req, res) => {
    res.json(service.setSiteSettings(no(req), req.body));
  });
  app.get('/api/modems/:no/settings/modbus', (req, res) => {
    res.json(service.modbusDevices(no(req)));
  });
  app.put('/api/modems/:no/settings/modbus', jsonBody('modbus settings'), (req, res) => {
    res.json(service.setModbusDevices(no(req), req.body));
  });
  // Automation rules span modems: served per user here (io-routes' own handlers stay behind these).
  app.get('/api/io/rules', (_req, res) => {
    res.json(scopeOf(res).io.rules());
  });
  app.post('/api/io/rules', jsonBody('io rule'), (req, res) => {
    res.status(201).json(scopeOf(res).io.addRule(req.body));
  });
  app.delete('/api/io/rules/:id', (req, res) => {
    const id = String(req.params['id']);
    if (!/^\d{1,15}$/.test(id)) throw new ApiError(400, `field 'id': expected a rule id, got '${id}'`, 'id');
    scopeOf(res).io.deleteRule(Number(id));
    res.status(204).end();
  });
  addIoRoutes(app, service.io);
  for (const add of options.routes ?? []) add(app, service);
  app.use((req, res) => {
    res.status(404).json({ error: `no route ${req.method} ${req.path}` });
  });
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof TooManyAttemptsError) {
      res.setHeader('Retry-After', String(Math.ceil(err.retryAfterMs / 1000)));
      res.status(429).json({ error: err.message, retryAt: isoTime(err.retryAt), retryAfterS: Math.ceil(err.retryAfterMs / 1000) });
      return;
    }
    if (err instanceof ApiError) {
      res.status(err.status).json(err.field === undefined ? { error: err.message } : { error: err.message, field: err.field });
      return;
    }
    log?.error({ err: errorMessage(err) }, 'HTTP API failure');
    res.status(500).json({ error: errorMessage(err) });
  });
  return app;
}
