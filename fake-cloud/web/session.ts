/**
 * Who is looking at a page: the user of the session cookie (the one the JSON API sets at
 * `POST /api/login`), as a checked `AccessScope`. Pages need a user: without a live session the
 * browser is sent to `/login?next=<the page>`.
 */
import type { Request, Response } from 'express';
import { SESSION_COOKIE, readCookie } from '../accounts/http-auth.ts';
import type { AccessScope } from '../accounts/scope.ts';
import type { CloudService } from '../api/service.ts';

/** The scope of the request's session, or undefined when it has none that is live. */
export function sessionScope(service: CloudService, req: Request): AccessScope | undefined {
  const token = readCookie(req.headers.cookie, SESSION_COOKIE);
  if (token === undefined) return undefined;
  try {
    return service.forSession(token);
  } catch {
    return undefined;
  }
}

/** A same-site path to return to after login (anything else becomes `/modems`). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/(?![/\\])[\w\-./?=&%]*$/.test(next) && !next.startsWith('/api/') ? next : '/modems';
}

/** Sends the browser to the login page, to come back to this page afterwards. */
export function toLogin(req: Request, res: Response): void {
  res.redirect(303, `/login?next=${encodeURIComponent(safeNext(req.originalUrl))}`);
}
