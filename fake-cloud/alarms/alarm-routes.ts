/**
 * HTTP routes of alarms and notifications:
 *
 * ```
 * GET /api/modems/:no/alarms?state=open|cleared&rule=&limit=   the modem's alarms, newest first
 * GET /api/alarms?state=&rule=&modem=&limit=                    every modem's alarms
 * GET /api/modems/:no/alarm-rules                               rule settings (defaults until set)
 * PUT /api/modems/:no/alarm-rules                               body: settings (missing fields: defaults)
 * GET /api/notifications/mail?to=&alarm=&limit=                 e-mail the SMTP capture received
 * GET /api/notifications/sms?to=&alarm=&limit=                  SMS the gateway accepted
 * GET /api/notifications/outbox?alarm=&state=&channel=          the notification outbox
 * ```
 * Errors are `ApiError`s, answered by the app's error handler: 400 naming the field, 404 for an
 * unknown modem, 503 when the cloud has no notifier.
 *
 * Behind the cloud's authentication (`res.locals.scope`), a user sees in the cross-modem views
 * (`/api/alarms`, `/api/notifications/...`) only the modems they may view; support sees all.
 * The per-modem routes are checked by the cloud's modem access rule (view to read, settings to
 * change). Without a scope (a bare app, as in tests) everything is shown.
 */
import express, { type Express, type Request, type Response } from 'express';
import { errorMessage } from '../../core/errors.ts';
import { ApiError } from '../api/errors.ts';
import type { AccessScope } from '../accounts/scope.ts';
import type { Notifier } from '../notify/notifier.ts';
import { parseNotificationQuery, parseOutboxQuery } from './alarm-inputs.ts';
import type { Alarms } from './alarms.ts';

export function addAlarmRoutes(app: Express, alarms: Alarms): void {
  const json = express.json({ limit: '64kb' });
  const no = (req: Request) => req.params['no'] as string;
  const notifier = (): Notifier => {
    if (!alarms.notifier) throw new ApiError(503, 'no notifier in this cloud');
    return alarms.notifier;
  };
  app.get('/api/modems/:no/alarms', (req, res) => {
    res.json(alarms.list(no(req), req.query));
  });
  app.get('/api/alarms', (req, res) => {
    const seen = visibleModems(res);
    res.json(alarms.all(req.query).filter((a) => !seen || seen.has(a.modemNo)));
  });
  app.get('/api/modems/:no/alarm-rules', (req, res) => {
    res.json(alarms.rules(no(req)));
  });
  app.put(
    '/api/modems/:no/alarm-rules',
    (req, res, next) => json(req, res, (err?: unknown) => next(err ? new ApiError(400, `alarm rules: the body is not JSON: ${errorMessage(err)}`, '(body)') : undefined)),
    (req, res) => {
      res.json(alarms.setRules(no(req), req.body));
    },
  );
  /** Alarm ids the principal may see notices of (undefined: all). */
  const visibleAlarms = (res: Response): ReadonlySet<number> | undefined => {
    const seen = visibleModems(res);
    return seen && alarms.book.idsOf([...seen]);
  };
  app.get('/api/notifications/mail', (req, res) => {
    const q = parseNotificationQuery(req.query);
    const ids = visibleAlarms(res);
    res.json(notifier().capture.messages(q).filter((m) => !ids || (m.alarmId !== null && ids.has(m.alarmId))));
  });
  app.get('/api/notifications/sms', (req, res) => {
    const q = parseNotificationQuery(req.query);
    const ids = visibleAlarms(res);
    res.json(notifier().sms.messages(q).filter((m) => !ids || (m.alarmId !== null && ids.has(m.alarmId))));
  });
  app.get('/api/notifications/outbox', (req, res) => {
    const q = parseOutboxQuery(req.query);
    const ids = visibleAlarms(res);
    res.json(notifier().outbox(q).filter((r) => !ids || ids.has(r.alarmId)));
  });
}

/** The modems a user session may view; undefined for support or without authentication. */
function visibleModems(res: Response): ReadonlySet<string> | undefined {
  const scope = res.locals['scope'] as AccessScope | undefined;
  if (!scope || scope.principal.kind === 'support') return undefined;
  return new Set(scope.listModems().map((m) => m.modemNo));
}
