import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { A_MODEM, B_MODEM, caller, login, twoAccounts, type TwoAccounts } from './test-bench.ts';

let t: TwoAccounts;
beforeAll(async () => {
  t = await twoAccounts();
});
afterAll(() => t.cloud.stop());

describe('sessions over HTTP', () => {
  it('login sets an HttpOnly, SameSite=Lax session cookie; /api/me; logout ends it', async () => {
    const res = await fetch(`${t.base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'Owner@A.example', password: 'owner-a-pass' }) });
    expect(res.status).toBe(200);
    const cookie = res.headers.getSetCookie()[0]!;
    expect(cookie).toMatch(/^ht_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
    expect(await res.json()).toMatchObject({ user: { email: 'owner@a.example', role: 'owner', rights: { [A_MODEM]: ['view', 'control', 'settings'] } } });
    const me = caller(t.base, { cookie: cookie.split(';')[0]! });
    expect((await me('GET', '/api/me')).body).toMatchObject({ email: 'owner@a.example', accountName: 'Site A' });
    const out = await me('POST', '/api/logout');
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie()[0]).toContain('Max-Age=0');
    expect(await me('GET', '/api/me')).toMatchObject({ status: 401, body: { error: 'not logged in' } });
  });

  it('refuses a wrong password, a malformed body, and answers the admin token as support', async () => {
    expect(await t.as.anonymous('POST', '/api/login', { email: 'owner@a.example', password: 'nope-nope' })).toMatchObject({ status: 401, body: { error: 'wrong e-mail or password' } });
    expect(await t.as.anonymous('POST', '/api/login', '{"email":')).toMatchObject({ status: 400, body: { field: '(body)' } });
    expect(await t.as.anonymous('POST', '/api/login', { email: 'a@b.c', password: 'x', remember: true })).toMatchObject({ status: 400, body: { field: 'remember' } });
    expect((await t.as.support('GET', '/api/me')).body).toEqual({ role: 'support' });
  });
});

describe('accounts over HTTP', () => {
  it('support opens an account; its owner adds a modem by code; 429 carries Retry-After', async () => {
    const code = t.cloud.provisionModem({ modemNo: '21000077', secret: 'secret-0077' }).authCode;
    expect(await t.as.ownerA('POST', '/api/admin/users', { email: 'x@c.example', password: 'password-x' })).toMatchObject({ status: 403 });
    const made = await t.as.support('POST', '/api/admin/users', { email: 'owner@c.example', password: 'owner-c-pass', account: 'Site C' });
    expect(made).toMatchObject({ status: 201, body: { email: 'owner@c.example', role: 'owner', accountName: 'Site C' } });
    const c = await login(t.base, 'owner@c.example', 'owner-c-pass');
    // Spread over two modem numbers: the account's limit (15 min) is what stops it, not a modem's (1 h).
    for (let i = 0; i < 5; i++) expect((await c('POST', '/api/account/modems', { modemNo: i % 2 ? '21000077' : '21000078', code: 'AAAA-AAAA' })).status).toBe(400);
    const locked = await c('POST', '/api/account/modems', { modemNo: '21000077', code });
    expect(locked.status).toBe(429);
    expect(locked.headers.get('retry-after')).toBe('900');
    expect(locked.body).toMatchObject({ retryAt: '2026-01-05T00:15:00.000Z', retryAfterS: 900 });
    await t.clock.runFor(15 * 60_000);
    expect(await c('POST', '/api/account/modems', { modemNo: '21000077', code })).toMatchObject({ status: 201, body: { modemNo: '21000077' } });
    expect(await t.as.ownerB('POST', '/api/account/modems', { modemNo: '21000077', code })).toMatchObject({ status: 409 });
    expect(((await c('GET', '/api/modems')).body as unknown as { modemNo: string }[]).map((m) => m.modemNo)).toEqual(['21000077']);
  });

  it('the owner manages sub-users and their rights; a sub-user may not', async () => {
    const made = await t.as.ownerA('POST', '/api/account/users', { email: 'ops@a.example', password: 'ops-pass-1', name: 'Ops' });
    expect(made).toMatchObject({ status: 201, body: { role: 'sub', rights: {} } });
    const id = made.body['id'] as number;
    expect(await t.as.ownerA('PUT', `/api/account/users/${id}/rights`, { modems: { [A_MODEM]: ['control'] } })).toMatchObject({ status: 200, body: { rights: { [A_MODEM]: ['view', 'control'] } } });
    expect(await t.as.ownerA('PUT', `/api/account/users/${id}/rights`, { modems: { [B_MODEM]: ['view'] } })).toMatchObject({ status: 404, body: { error: `no modem ${B_MODEM} in your account` } });
    expect(await t.as.ownerB('PUT', `/api/account/users/${id}/rights`, { modems: {} })).toMatchObject({ status: 404 });
    expect(await t.as.subView('POST', '/api/account/users', { email: 'y@a.example', password: 'password-y' })).toMatchObject({ status: 403, body: { error: 'only the account owner creates sub-users' } });
    expect(await t.as.subView('POST', '/api/account/modems', { modemNo: B_MODEM, code: t.codes.b })).toMatchObject({ status: 403 });
    expect(((await t.as.ownerA('GET', '/api/account/users')).body as unknown as { email: string }[]).map((u) => u.email)).toEqual(['owner@a.example', 'none@a.example', 'view@a.example', 'ops@a.example']);
    const ops = await login(t.base, 'ops@a.example', 'ops-pass-1');
    expect((await ops('POST', `/api/modems/${A_MODEM}/relays/1`, { on: true })).status).toBe(409); // past the check: I/O support is off
    expect(await t.as.ownerA('DELETE', `/api/account/users/${id}`)).toMatchObject({ status: 204 });
    expect((await ops('GET', '/api/me')).status).toBe(401);
  });

  it('automation rules: only between modems the user may see; the target needs control', async () => {
    await t.cloud.service.io.setSettings(A_MODEM, { enabled: true });
    const rule = { from: { modemNo: A_MODEM, input: 1 }, to: { modemNo: A_MODEM, output: 1 } };
    expect(await t.as.ownerB('POST', '/api/io/rules', rule)).toMatchObject({ status: 404 });
    expect(await t.as.ownerB('POST', '/api/io/rules', { from: { modemNo: B_MODEM, input: 1 }, to: { modemNo: A_MODEM, output: 1 } })).toMatchObject({ status: 404, body: { error: `no modem ${A_MODEM} in your account` } });
    expect(await t.as.subView('POST', '/api/io/rules', rule)).toMatchObject({ status: 403, body: { error: `no 'control' right on modem ${A_MODEM} (a relay command needs it)` } });
    const made = await t.as.ownerA('POST', '/api/io/rules', rule);
    expect(made.status).toBe(201);
    expect(((await t.as.subView('GET', '/api/io/rules')).body as unknown as unknown[]).length).toBe(1);
    expect((await t.as.ownerB('GET', '/api/io/rules')).body).toEqual([]);
    expect(await t.as.ownerB('DELETE', `/api/io/rules/${made.body['id'] as number}`)).toMatchObject({ status: 404 });
    expect(await t.as.subView('DELETE', `/api/io/rules/${made.body['id'] as number}`)).toMatchObject({ status: 403 });
    expect(await t.as.ownerA('DELETE', `/api/io/rules/${made.body['id'] as number}`)).toMatchObject({ status: 204 });
  });
});
