import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type NextFunction, type Request, type Response } from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { addAlarmRoutes } from './alarm-routes.ts';
import { defaultRuleSettings, parseRuleSettings } from './rule-settings.ts';
import { AlarmBench, MODEM, T0 } from './test-support.ts';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0)) await c();
});

/** The bench's alarms behind HTTP, with the cloud app's error answers. */
async function serve(b: AlarmBench, scope?: object): Promise<string> {
  const app = express();
  if (scope) app.use((_req, res, next) => ((res.locals['scope'] = scope), next()));
  addAlarmRoutes(app, b.alarms);
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof ApiError) res.status(err.status).json(err.field === undefined ? { error: err.message } : { error: err.message, field: err.field });
    else res.status(500).json({ error: String(err) });
  });
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  cleanups.push(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await b.close();
  });
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

const put = (url: string, body: unknown) => fetch(url, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: typeof body === 'string' ? body : JSON.stringify(body) });

describe('rule settings', () => {
  it('defaults: every rule on, Turkish reactive limits, 230 V ± 10 %, 3 silent periods of 15 min', () => {
    const d = defaultRuleSettings();
    expect(d).toMatchObject({ sendPeriodMin: 15, utcOffsetMin: 180, 'reactive-ratio': { enabled: true, inductivePct: 20, capacitivePct: 15 }, voltage: { nominalV: 230, overPct: 10, underPct: 10 }, 'modem-silent': { periods: 3 } });
    expect(Object.values(d).filter((v) => typeof v === 'object').every((r) => (r as { enabled: boolean }).enabled)).toBe(true);
  });

  it('errors name the field', () => {
    expect(() => parseRuleSettings({ voltage: { overPct: 80 } })).toThrow("alarm rules: field 'voltage.overPct': expected a number from 1 to 50");
    expect(() => parseRuleSettings({ voltage: { overpct: 5 } })).toThrow("alarm rules: field 'voltage.overpct': unknown field");
    expect(() => parseRuleSettings({ 'input-change': { inputs: [1, 9] } })).toThrow("alarm rules: field 'input-change.inputs[1]': expected a whole number from 1 to 8");
    expect(() => parseRuleSettings({ 'mains-outage': { enabled: 'yes' } })).toThrow("field 'mains-outage.enabled': expected true or false");
    expect(() => parseRuleSettings({ sendPeriodMin: 0 })).toThrow("field 'sendPeriodMin': expected a whole number from 1 to 240");
    expect(() => parseRuleSettings({ burglar: {} })).toThrow("field 'burglar': unknown field");
    expect(() => parseRuleSettings([])).toThrow("field '(body)': expected an object");
  });
});

describe('alarm and notification routes', () => {
  it('GET/PUT alarm-rules: defaults filled in, 400 naming the field, 404 for an unknown modem', async () => {
    const b = new AlarmBench();
    const base = await serve(b);
    expect(await (await fetch(`${base}/api/modems/${MODEM}/alarm-rules`)).json()).toEqual(defaultRuleSettings());
    const ok = await put(`${base}/api/modems/${MODEM}/alarm-rules`, { voltage: { nominalV: 220 }, 'modem-silent': { enabled: false } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ voltage: { nominalV: 220, overPct: 10 }, 'modem-silent': { enabled: false, periods: 3 }, 'mains-outage': { enabled: true } });
    const bad = await put(`${base}/api/modems/${MODEM}/alarm-rules`, { voltage: { underPct: -1 } });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toEqual({ error: "alarm rules: field 'voltage.underPct': expected a number from 1 to 90", field: 'voltage.underPct' });
    const notJson = await put(`${base}/api/modems/${MODEM}/alarm-rules`, '{"voltage":');
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { field: string }).field).toBe('(body)');
    expect((await fetch(`${base}/api/modems/99999999/alarm-rules`)).status).toBe(404);
    expect(await (await fetch(`${base}/api/modems/bad%20no/alarms`)).json()).toMatchObject({ field: 'modemNo' });
  });

  it('alarms by modem and state; all alarms; mail, SMS and outbox of their notices', async () => {
    const b = new AlarmBench();
    b.recipients.set(MODEM, [{ email: 'ops@example.com', phone: '+905321234567', kinds: ['mains-outage'] }]);
    const base = await serve(b);
    b.event(T0 + 60_000, 'outage-start', { startedAt: T0 + 60_000 });
    b.record('io', T0 + 70_000, { point: 'input', n: 2, on: true });
    await b.clock.settle();
    const open = (await (await fetch(`${base}/api/modems/${MODEM}/alarms?state=open`)).json()) as { rule: string; raised: string }[];
    expect(open.map((a) => [a.rule, a.raised])).toEqual([['input-change', '2026-01-05T00:01:10.000Z'], ['mains-outage', '2026-01-05T00:01:00.000Z']]);
    expect(await (await fetch(`${base}/api/modems/${MODEM}/alarms?state=cleared`)).json()).toEqual([]);
    expect(await (await fetch(`${base}/api/alarms?rule=mains-outage&modem=${MODEM}`)).json()).toHaveLength(1);
    const badState = await fetch(`${base}/api/modems/${MODEM}/alarms?state=closed`);
    expect(await badState.json()).toEqual({ error: "alarms query: field 'state': expected 'open' or 'cleared'", field: 'state' });
    const mail = (await (await fetch(`${base}/api/notifications/mail?alarm=1`)).json()) as { to: string[]; subject: string; text: string; alarmId: number }[];
    expect(mail).toMatchObject([{ to: ['ops@example.com'], subject: `[ALARM] modem ${MODEM}: mains outage (mains supply)`, alarmId: 1 }]);
    expect(mail[0]!.text).toContain('What:      mains supply lost at the terminal');
    expect(await (await fetch(`${base}/api/notifications/sms?to=%2B905321234567`)).json()).toMatchObject([{ to: '+905321234567', alarmId: 1 }]);
    expect(await (await fetch(`${base}/api/notifications/outbox?state=sent`)).json()).toHaveLength(2);
    expect((await fetch(`${base}/api/notifications/mail?alarm=x`)).status).toBe(400);
    // switching a rule off clears its open alarms, and that is told too
    await put(`${base}/api/modems/${MODEM}/alarm-rules`, { 'mains-outage': { enabled: false } });
    await b.clock.settle();
    expect(await (await fetch(`${base}/api/modems/${MODEM}/alarms?state=cleared`)).json()).toMatchObject([{ rule: 'mains-outage', clearedText: 'the rule was switched off' }]);
    expect(b.notifier.sms.messages().map((m) => m.text.split(' ')[0])).toEqual(['ALARM', 'CLEARED']);
  });

  it('a user sees the alarms and notices of the modems they may view only', async () => {
    const b = new AlarmBench();
    b.store.provisionModem({ modemNo: '99000001', secret: 'secret-99000001' }, T0);
    b.recipients.set(MODEM, [{ phone: '+905321234567', kinds: ['*'] }]);
    b.recipients.set('99000001', [{ phone: '+905321234567', kinds: ['*'] }]);
    const user = { principal: { kind: 'user', userId: 7 }, listModems: () => [{ modemNo: MODEM }] };
    const base = await serve(b, user);
    b.event(T0 + 1000, 'outage-start', { startedAt: T0 + 1000 });
    b.record('io', T0 + 2000, { point: 'input', n: 1, on: true }, '99000001');
    await b.clock.settle();
    expect(b.alarms.all()).toHaveLength(2);
    expect(((await (await fetch(`${base}/api/alarms`)).json()) as { modemNo: string }[]).map((a) => a.modemNo)).toEqual([MODEM]);
    expect(((await (await fetch(`${base}/api/notifications/sms`)).json()) as { alarmId: number }[]).map((m) => m.alarmId)).toEqual([1]);
    expect(await (await fetch(`${base}/api/notifications/outbox`)).json()).toHaveLength(1);
  });
});
