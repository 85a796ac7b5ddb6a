/**
 * HTTP routes of accounts and sessions:
 *
 * ```
 * POST   /api/login                      { email, password } → user; sets the session cookie
 * POST   /api/logout                     ends the session, clears the cookie (204)
 * GET    /api/me                         the user and their rights per modem ({ role: 'support' } for the admin token)
 * POST   /api/admin/users                (admin token) { email, password, name?, account? } → a new account's owner (201)
 * GET    /api/account/users              (owner) the account's users and their rights
 * POST   /api/account/users              (owner) { email, password, name? } → a sub-user (201)
 * PUT    /api/account/users/:id/rights   (owner) { modems: { "<no>": ["view", "control", "settings"] } }
 * DELETE /api/account/users/:id          (owner) removes a sub-user (204)
 * POST   /api/account/modems             (owner) { modemNo, code } → add modem authorization (201)
 * ```
 * `authenticate` (see `http-auth.ts`) runs before these.
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import { errorMessage } from '../../core/errors.ts';
import { ApiError } from '../api/errors.ts';
import type { CloudService } from '../api/service.ts';
import { clearedSessionCookie, scopeOf, sessionCookie, sessionTokenOf, supportOnly } from './http-auth.ts';

const json = express.json({ limit: '64kb' });

/** Parses a JSON body; a malformed one is a 400 naming `(body)`. */
export function jsonBody(what: string) {
  return (req: Request, res: Response, next: NextFunction): void =>
    json(req, res, (err?: unknown) => next(err ? new ApiError(400, `${what}: the body is not JSON: ${errorMessage(err)}`, '(body)') : undefined));
}

function userId(req: Request): number {
  const raw = String(req.params['id']);
  if (!/^\d{1,15}$/.test(raw)) throw new ApiError(400, `field 'id': expected a user id, got '${raw}'`, 'id');
  return Number(raw);
}

export function addAccountRoutes(app: Express, service: CloudService): void {
  app.post('/api/login', jsonBody('login'), async (req, res) => {
    const s = await service.accounts.login(req.body);
    res.setHeader('Set-Cookie', sessionCookie(s.token));
    res.json({ user: service.accounts.userRights(s.user.id), expiresAt: s.expiresAt });
  });
  app.post('/api/logout', (req, res) => {
    const token = sessionTokenOf(req);
    if (token !== undefined) service.accounts.logout(token);
    res.setHeader('Set-Cookie', clearedSessionCookie());
    res.status(204).end();
  });
  app.get('/api/me', (_req, res) => {
    const scope = scopeOf(res);
    res.json(scope.principal.kind === 'user' ? service.accounts.userRights(scope.principal.userId) : { role: 'support' });
  });
  app.post('/api/admin/users', supportOnly(), jsonBody('new account'), async (req, res) => {
    res.status(201).json(await service.accounts.openAccount(req.body));
  });
  app.get('/api/account/users', (_req, res) => {
    res.json(scopeOf(res).users());
  });
  app.post('/api/account/users', jsonBody('new user'), async (req, res) => {
    res.status(201).json(await scopeOf(res).createSubUser(req.body));
  });
  app.put('/api/account/users/:id/rights', jsonBody('rights'), (req, res) => {
    res.json(scopeOf(res).setRights(userId(req), req.body));
  });
  app.delete('/api/account/users/:id', (req, res) => {
    scopeOf(res).removeSubUser(userId(req));
    res.status(204).end();
  });
  app.post('/api/account/modems', jsonBody('add modem authorization'), async (req, res) => {
    res.status(201).json(await scopeOf(res).addModem(req.body));
  });
}
