import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import type { AlarmView } from '../alarms/alarms.ts';
import { FakeCloud } from '../fake-cloud.ts';
import { dashboardSession } from './capture.ts';
import { safeNext } from './session.ts';
import { webDepsOf } from './web-routes.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const A = '21000001';
const B = '21000002';
const clock = new VirtualClock();
const cloud = new FakeCloud({ clock, logger });
let base = '';
const cookies: Record<'owner' | 'viewer', string> = { owner: '', viewer: '' };

async function login(email: string, password: string): Promise<string> {
  const res = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  expect(res.status).toBe(200);
  return res.headers.getSetCookie()[0]!.split(';')[0]!;
}

async function get(path: string, who?: keyof typeof cookies | string): Promise<{ status: number; location: string | null; type: string | null; text: string }> {
  const cookie = who === undefined ? undefined : who in cookies ? cookies[who as keyof typeof cookies] : who;
  const res = await fetch(`${base}${path}`, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, location: res.headers.get('location'), type: res.headers.get('content-type'), text: await res.text() };
}

beforeAll(async () => {
  for (const no of [A, B]) cloud.provisionModem({ modemNo: no, secret: `secret-${no}`, model: 'HT G21' });
  const owner = await cloud.accounts.openAccount({ email: 'owner@a.example', password: 'owner-a-pass', account: 'Site A' });
  const other = await cloud.accounts.openAccount({ email: 'owner@b.example', password: 'owner-b-pass', account: 'Site B' });
  cloud.accounts.claims.assign(A, owner.accountId);
  cloud.accounts.claims.assign(B, other.accountId);
  const viewer = await cloud.accounts.createSubUser(owner.id, { email: 'viewer@a.example', password: 'viewer-pass' });
  cloud.accounts.setRights(owner.id, viewer.id, { modems: { [A]: ['view'] } });
  cloud.service.setSiteSettings(A, { location: { name: 'Pump house <b>&</b> "north"' } });
  base = `http://127.0.0.1:${(await cloud.start({ http: {} })).httpPort}`;
  cookies.owner = await login('owner@a.example', 'owner-a-pass');
  cookies.viewer = await login('viewer@a.example', 'viewer-pass');
});
afterAll(() => cloud.stop());

describe('web pages without a session', () => {
  it('send the browser to the login page and back, and serve the login page and assets to anyone', async () => {
    expect(await get('/modems')).toMatchObject({ status: 303, location: '/login?next=%2Fmodems' });
    expect(await get(`/modems/${A}/settings?x=1`)).toMatchObject({ status: 303, location: `/login?next=${encodeURIComponent(`/modems/${A}/settings?x=1`)}` });
    expect(await get('/')).toMatchObject({ status: 303, location: '/login' });
    expect(await get('/modems', 'ht_session=not-a-session')).toMatchObject({ status: 303 });
    const form = await get('/login?next=/modems/21000001');
    expect(form.status).toBe(200);
    expect(form.type).toMatch(/^text\/html/);
    expect(form.text).toContain('<label for="email">E-mail</label>');
    expect(form.text).toContain('<input id="email" name="email" type="email"');
    expect(form.text).toContain('data-next="/modems/21000001"');
    expect(form.text).toContain('<html lang="en">');
    expect(await get('/assets/style.css')).toMatchObject({ status: 200, type: expect.stringMatching(/^text\/css/) });
    expect(await get('/assets/app.js')).toMatchObject({ status: 200, type: expect.stringMatching(/javascript/) });
    expect(await get('/assets/nothing.js')).toMatchObject({ status: 404 });
    // The API keeps answering in JSON.
    expect(await get('/api/modems')).toMatchObject({ status: 401, type: expect.stringMatching(/json/) });
  });

  it('return only to a page of this site after login', () => {
    expect(safeNext('/modems/21000001?day=2026-01-05')).toBe('/modems/21000001?day=2026-01-05');
    for (const bad of ['//evil.example/', 'https://evil.example/', '/\\evil.example', '/api/logout', undefined, ['/a'], 'modems', '/x"onmouseover=1']) expect(safeNext(bad)).toBe('/modems');
  });
});

describe('web pages of a signed-in user', () => {
  it('list the account’s modems only, with every text escaped', async () => {
    const page = await get('/modems', 'owner');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`<tr data-modem="${A}">`);
    expect(page.text).not.toContain(`data-modem="${B}"`);
    expect(page.text).toContain('Pump house &lt;b&gt;&amp;&lt;/b&gt; &quot;north&quot;');
    expect(page.text).not.toContain('<b>&</b>');
    expect(page.text).toContain('<td class="state"><span class="badge muted">offline</span></td>');
    expect(page.text).toContain('href="/modems/add"');
    expect(page.text).toContain('<span class="who">owner@a.example</span>');
    const logIn = await get('/login', 'owner');
    expect(logIn).toMatchObject({ status: 303, location: '/modems' });
  });

  it('answer a modem of another account with the API’s 404, and a bad day with a 400 naming it', async () => {
    const other = await get(`/modems/${B}`, 'owner');
    expect(other.status).toBe(404);
    expect(other.text).toContain(`no modem ${B} in your account`);
    expect((await get(`/modems/${B}/settings`, 'owner')).status).toBe(404);
    const bad = await get(`/modems/${A}?day=05.01.2026`, 'owner');
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("dashboard: field &#39;day&#39;: expected a date YYYY-MM-DD, got &#39;05.01.2026&#39;");
  });

  it('show a dashboard without reports, and say so', async () => {
    const deps = webDepsOf(cloud.app)!;
    const reports = deps.reports;
    deps.reports = undefined;
    const page = await get(`/modems/${A}?day=2026-01-05`, 'owner');
    deps.reports = reports;
    expect(page.status).toBe(200);
    expect(page.text).toContain('Reports are not available on this cloud.');
    expect(page.text).toContain('value="2026-01-05"');
    expect(page.text).toContain(`href="/modems/${A}?day=2026-01-04" rel="prev"`);
    expect(page.text).toContain(`href="/modems/${A}?day=2026-01-06" rel="next"`);
    expect((await get(`/modems/${A}`, 'owner')).text).toContain('This modem has not been in contact with the cloud yet.');
  });

  it('let the owner change settings, and show them read-only to a user with the view right only', async () => {
    const owner = await get(`/modems/${A}/settings`, 'owner');
    expect(owner.text).not.toContain('<fieldset disabled>');
    expect(owner.text.match(/<button type="submit">/g)).toHaveLength(4);
    expect(owner.text).toContain(`data-api="/api/modems/${A}/settings/io" data-method="PUT" data-schedule="[]" data-utc-offset-min="180"`);
    const viewer = await get(`/modems/${A}/settings`, 'viewer');
    expect(viewer.status).toBe(200);
    expect(viewer.text.match(/<fieldset disabled>/g)).toHaveLength(4);
    expect(viewer.text).not.toContain('<button type="submit">');
    expect(viewer.text).toContain("changing them needs the 'settings' right");
    expect((await get('/modems', 'viewer')).text).not.toContain('href="/modems/add"');
    expect((await get('/modems/add', 'viewer')).text).toContain('Only the account owner adds modems.');
  });

  it('give a report run a session that may view a modem’s dashboard', async () => {
    const own = await dashboardSession(cloud.service, A);
    expect(cloud.service.forSession(own).user).toMatchObject({ email: 'owner@a.example' });
    cloud.provisionModem({ modemNo: '21000009', secret: 'secret-0009' });
    const fresh = await dashboardSession(cloud.service, '21000009');
    expect(cloud.service.forSession(fresh).user).toMatchObject({ email: 'report-viewer-21000009@ht-hil.invalid', role: 'owner' });
    expect((await get('/modems/21000009?day=2026-01-05', `ht_session=${fresh}`)).status).toBe(200);
    expect((await get(`/modems/${A}`, `ht_session=${fresh}`)).status).toBe(404);
    await expect(dashboardSession(cloud.service, '21000099')).rejects.toThrow('modem 21000099 is not provisioned');
  });

  it('list the alarms of the user’s modems only', async () => {
    const deps = webDepsOf(cloud.app)!;
    const real = deps.alarms;
    deps.alarms = undefined;
    expect((await get('/alarms', 'owner')).text).toContain('Alarms are not kept on this cloud.');
    const alarm = (id: number, modemNo: string, state: 'open' | 'cleared'): AlarmView =>
      ({ id, modemNo, rule: 'mains-outage', subject: 'mains', about: 'mains <supply>', state, raisedAt: Date.UTC(2026, 0, 5, 9), raisedText: 'mains lost', details: null, notedAt: 0, clearedAt: null, clearedText: null, clearDetails: null, clearedNotedAt: null, title: 'mains outage', raised: '', cleared: null }) as AlarmView;
    const all = [alarm(1, A, 'open'), alarm(2, B, 'open'), alarm(3, A, 'cleared')];
    webDepsOf(cloud.app)!.alarms = {
      list: (no, q) => all.filter((a) => a.modemNo === no && (q as { state?: string }).state === a.state),
      all: (q) => all.filter((a) => (q as { state?: string }).state === undefined || (q as { state?: string }).state === a.state),
    };
    try {
      const page = await get('/alarms', 'owner');
      expect(page.text.match(/<tr data-alarm=/g)).toHaveLength(2);
      expect(page.text).not.toContain(`<a href="/modems/${B}">`);
      expect(page.text).toContain('<time datetime="2026-01-05T09:00:00.000Z" title="UTC+03:00">05.01.2026 12:00</time>');
      expect(page.text).toContain('mains &lt;supply&gt;');
      expect((await get('/alarms?state=open', 'owner')).text.match(/<tr data-alarm=/g)).toHaveLength(1);
      expect((await get('/modems', 'owner')).text).toContain(`<a href="/alarms?modem=${A}"><span class="badge bad">1</span></a>`);
    } finally {
      deps.alarms = real;
    }
  });
});
