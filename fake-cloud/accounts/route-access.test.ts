/**
 * Walks every route registered on the HTTP app (read from the router's stack, so a route added
 * later is walked too) as each kind of caller, and checks the status each must get.
 */
import type { Express } from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A_MODEM, twoAccounts, type Caller, type TwoAccounts } from './test-bench.ts';

interface RouteInfo {
  method: string;
  path: string;
}

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  rawPath?: unknown;
}

/** Every (method, path) registered on the app, sub-routers included. */
function routesOf(app: Express): RouteInfo[] {
  const out = new Map<string, RouteInfo>();
  const walk = (stack: Layer[], prefix: string): void => {
    for (const layer of stack) {
      if (layer.route) {
        for (const m of Object.keys(layer.route.methods)) {
          for (const method of m === '_all' ? ['GET', 'POST', 'PUT', 'DELETE'] : [m.toUpperCase()]) {
            const path = prefix + layer.route.path;
            out.set(`${method} ${path}`, { method, path });
          }
        }
      } else if (layer.handle?.stack) {
        walk(layer.handle.stack, prefix + (typeof layer.rawPath === 'string' && layer.rawPath !== '/' ? layer.rawPath : ''));
      }
    }
  };
  walk((app.router as unknown as { stack: Layer[] }).stack, '');
  return [...out.values()];
}

/** The path with sample values: the modem of account A, relay 1, an id nobody has. */
function concrete(path: string): string {
  return path.replace(':no', A_MODEM).replace(/:output\b/, '1').replace(/:[A-Za-z]+/g, '424242');
}

/** The right a request needs, stated from the product's rules (not read from the table). */
function expectedRight(r: RouteInfo): 'view' | 'control' | 'settings' {
  if (r.method === 'GET' || r.method === 'HEAD') return 'view';
  if (r.method === 'POST' && /\/relays\/[^/]+$/.test(r.path)) return 'control';
  return 'settings';
}

/** A route on one modem: the API's `/api/modems/:no/...` and the web pages' `/modems/:no/...`. */
const isModemRoute = (r: RouteInfo) => /^(\/api)?\/modems\/:no(\/|$)/.test(r.path);
const isApi = (r: RouteInfo) => r.path.startsWith('/api/');
/** Routes anyone may call: login and logout, the login page and the start page (a redirect). */
const isPublic = (r: RouteInfo) => (r.method === 'POST' && (r.path === '/api/login' || r.path === '/api/logout')) || (r.method === 'GET' && (r.path === '/login' || r.path === '/'));
const isAdmin = (r: RouteInfo) => r.path.startsWith('/api/admin/');

type Answer = Awaited<ReturnType<Caller>>;

/** The answer's words: the JSON `error`, or a page's text with its entities read back. */
function words(a: Answer): string {
  if (typeof a.body['error'] === 'string') return a.body['error'];
  return String(a.body['text'] ?? '').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/** The 404 of the access check, as opposed to a 404 the route itself gives (an unknown rule id). */
const hiddenModem = (a: Answer) => a.status === 404 && words(a).includes(`no modem ${A_MODEM} in your account`);
/** Refused for want of a session: 401 from the API, a redirect to the login page from a page. */
const needsLogin = (a: Answer) => a.status === 401 || (a.status === 303 && (a.headers.get('location') ?? '').startsWith('/login'));

type Role = keyof TwoAccounts['as'];

/** What `role` must get on `route`; returns a problem or undefined. */
function judge(role: Role, r: RouteInfo, a: Answer): string | undefined {
  const got = `${a.status} ${words(a).slice(0, 160)}`;
  if (a.status >= 500) return `server error ${got}`;
  if (isPublic(r)) return a.status === 401 || a.status === 403 ? `public route refused with ${got}` : undefined;
  if (role === 'anonymous') return needsLogin(a) ? undefined : `expected 401 or a redirect to /login, got ${got}`;
  // The admin token is no user session: pages send support to the login page.
  if (role === 'support' && !isApi(r)) return needsLogin(a) ? undefined : `expected a redirect to /login, got ${got}`;
  if (isAdmin(r)) {
    if (role === 'support') return a.status === 401 || a.status === 403 ? `support refused with ${got}` : undefined;
    return a.status === 403 ? undefined : `expected 403 (support only), got ${got}`;
  }
  if (needsLogin(a)) return `a logged-in ${role} was sent to log in: ${got}`;
  if (!isModemRoute(r)) return undefined;
  const right = expectedRight(r);
  const passes = role === 'support' || role === 'ownerA' || (role === 'subView' && right === 'view');
  if (passes) return a.status === 403 || hiddenModem(a) ? `expected to pass the access check, got ${got}` : undefined;
  if (role === 'ownerB') return hiddenModem(a) ? undefined : `expected 404 hiding the modem, got ${got}`;
  const msg = words(a);
  return a.status === 403 && msg.includes(`'${right}'`) && msg.includes(A_MODEM) ? undefined : `expected 403 naming '${right}' and ${A_MODEM}, got ${got}`;
}

/** Calls every route as every role (all at once: none of the calls changes what another sees). */
async function walk(t: TwoAccounts, routes: RouteInfo[]): Promise<string[]> {
  const roles: Role[] = ['anonymous', 'ownerA', 'subNone', 'subView', 'ownerB', 'support'];
  // Logout would end the caller's session: it is called once, at the end of the test.
  const calls = routes.filter((r) => r.path !== '/api/logout').flatMap((r) => roles.map((role) => ({ r, role })));
  const answers = await Promise.all(calls.map(({ r, role }) => (t.as[role] as Caller)(r.method, concrete(r.path))));
  return calls.flatMap(({ r, role }, i) => {
    const p = judge(role, r, answers[i]!);
    return p ? [`${role} ${r.method} ${r.path}: ${p}`] : [];
  });
}

describe('every HTTP route, as every kind of caller', () => {
  let t: TwoAccounts;
  beforeAll(async () => {
    t = await twoAccounts({
      // A route added later, by another part of the cloud: walked and checked like the rest.
      routes: [(app) => app.post('/api/modems/:no/later/:thing', (_req, res) => void res.json({ ok: true }))],
    });
  });
  afterAll(() => t.cloud.stop());

  it('finds the routes on the router stack', () => {
    const names = routesOf(t.cloud.app).map((r) => `${r.method} ${r.path}`);
    for (const known of ['GET /api/modems/:no/readings', 'PUT /api/modems/:no/settings', 'POST /api/modems/:no/relays/:output', 'POST /api/login', 'POST /api/account/modems', 'POST /api/modems/:no/later/:thing']) {
      expect(names).toContain(known);
    }
    expect(names.length).toBeGreaterThan(20);
  });

  it('anonymous 401, owner through, sub-users 403 naming the right, other account 404, support through', async () => {
    const routes = routesOf(t.cloud.app);
    expect(await walk(t, routes)).toEqual([]);
    // Logout is public.
    expect((await t.as.anonymous('POST', '/api/logout')).status).toBe(204);
  });

  it('GET /api/modems lists only what the user may view', async () => {
    const list = async (c: Caller) => ((await c('GET', '/api/modems')).body as unknown as { modemNo: string }[]).map((m) => m.modemNo);
    expect(await list(t.as.ownerA)).toEqual([A_MODEM]);
    expect(await list(t.as.subView)).toEqual([A_MODEM]);
    expect(await list(t.as.subNone)).toEqual([]);
    expect(await list(t.as.ownerB)).toEqual(['21000002']);
    expect(await list(t.as.support)).toEqual([A_MODEM, '21000002']);
  });

  it('a judge that can fail: a sub-user passing a settings write would be reported', () => {
    const r = { method: 'PUT', path: '/api/modems/:no/settings' };
    const answer = (status: number, body: Record<string, unknown> = {}): Answer => ({ status, body, headers: new Headers() });
    expect(judge('subView', r, answer(200))).toMatch(/expected 403 naming 'settings'/);
    expect(judge('ownerB', r, answer(403, { error: 'x' }))).toMatch(/expected 404/);
    expect(judge('anonymous', r, answer(200))).toMatch(/expected 401/);
    expect(judge('subNone', { method: 'GET', path: '/modems/:no' }, answer(200, { text: '<h1>dashboard</h1>' }))).toMatch(/expected 403 naming 'view'/);
  });
});
