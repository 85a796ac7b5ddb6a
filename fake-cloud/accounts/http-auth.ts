/**
 * Authentication and authorization of the HTTP API.
 *
 * - `authenticate`: every request gets its principal: support with `Authorization: Bearer
 *   <admin token>`, or the user of the session cookie (`ht_session`, HttpOnly, SameSite=Lax).
 *   Without one, every route but the public ones (`PUBLIC_ROUTES`) answers 401.
 * - `modemAccess`: mounted on `/api/modems/:no`, checks every request on a modem, whatever route
 *   serves it (present or added later), with the rule table of `rights.ts`: 404 for a modem
 *   outside the user's account, 403 naming the missing right.
 * - `supportOnly`: `/api/admin/...` needs the admin token (403 for a user session).
 * Route handlers reach the principal's checked service with `scopeOf(res)`.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ApiError } from '../api/errors.ts';
import type { CloudService } from '../api/service.ts';
import type { AccessScope } from './scope.ts';

/** Name of the session cookie. */
export const SESSION_COOKIE = 'ht_session';

/** Routes anyone may call (method and exact path). */
export const PUBLIC_ROUTES: readonly { method: string; path: string }[] = [
  { method: 'POST', path: '/api/login' },
  { method: 'POST', path: '/api/logout' },
];

/** The `Set-Cookie` value of a new session (a browser session cookie; expiry is kept by the cloud). */
export function sessionCookie(token: string): string {
  return `${SESSION_COOKIE}=${token}; Path=/; HttpOnly; SameSite=Lax`;
}

/** The `Set-Cookie` value that removes the session cookie. */
export function clearedSessionCookie(): string {
  return `${SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0`;
}

/** A cookie's value from a `Cookie` header. */
export function readCookie(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim() || undefined;
  }
  return undefined;
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  const m = h ? /^Bearer\s+(\S+)\s*$/i.exec(h) : null;
  return m ? m[1] : undefined;
}

function isPublic(req: Request): boolean {
  return PUBLIC_ROUTES.some((r) => r.method === req.method && r.path === req.path);
}

/** The session token a request carries, if any. */
export function sessionTokenOf(req: Request): string | undefined {
  return readCookie(req.headers.cookie, SESSION_COOKIE);
}

/** Sets `res.locals.scope` from the admin token or the session cookie; 401 where one is needed. */
export function authenticate(service: CloudService): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const open = isPublic(req);
    const token = bearer(req);
    if (token !== undefined) {
      if (!service.accounts.isAdminToken(token)) return next(new ApiError(401, 'wrong admin token'));
      res.locals['scope'] = service.asSupport();
      return next();
    }
    const session = sessionTokenOf(req);
    if (session !== undefined) {
      try {
        res.locals['scope'] = service.forSession(session);
      } catch (err) {
        if (!open) return next(err);
      }
      return next();
    }
    next(open ? undefined : new ApiError(401, 'not logged in'));
  };
}

/** The checked service of the request's principal (401 when the request has none). */
export function scopeOf(res: Response): AccessScope {
  const s = res.locals['scope'] as AccessScope | undefined;
  if (!s) throw new ApiError(401, 'not logged in');
  return s;
}

/** Checks a request on `/api/modems/:no/...` against the rule table (mount on that path). */
export function modemAccess(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    scopeOf(res).authorize(String(req.params['no']), req.method, req.path);
    next();
  };
}

/** Lets only support (the admin token) through. */
export function supportOnly(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction) => {
    if (scopeOf(res).principal.kind !== 'support') throw new ApiError(403, 'support only: send the admin token as Authorization: Bearer <token>');
    next();
  };
}
