import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { memoryLinkPair } from '../../lines/net/memory-link.ts';
import { authMacHex } from '../../protocols/uplink/auth.ts';
import { encodeMessage } from '../../protocols/uplink/codec.ts';
import { UplinkDecoder } from '../../protocols/uplink/decoder.ts';
import type { UplinkMessage } from '../../protocols/uplink/messages.ts';
import { ApiError } from '../api/errors.ts';
import { FakeCloud } from '../fake-cloud.ts';
import { FAST_HASH } from '../accounts/test-bench.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const M = '21000005';

function cloud() {
  const clock = new VirtualClock();
  const c = new FakeCloud({ clock, logger, accounts: { hashCost: FAST_HASH } });
  c.provisionModem({ modemNo: M, secret: 'secret-0005', model: 'HT G21' });
  return { clock, c };
}

function fail(f: () => unknown): ApiError {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

/** A terminal on the codec alone: logs in and answers each push as `answer` says. */
async function session(w: ReturnType<typeof cloud>, answer: (p: Extract<UplinkMessage, { type: 'push' }>) => { ok: boolean; text?: string }) {
  const { client, server } = memoryLinkPair(w.clock, 'test', { latencyMs: 10 });
  const pushes: Extract<UplinkMessage, { type: 'push' }>[] = [];
  const decoder = new UplinkDecoder();
  const send = (m: UplinkMessage) => void client.write(encodeMessage(m)).catch(() => undefined);
  client.onData((b) => {
    for (const ev of decoder.push(b)) {
      if (ev.kind !== 'message') continue;
      const m = ev.message;
      if (m.type === 'challenge') send({ type: 'auth', mac: authMacHex('secret-0005', m.nonce) });
      if (m.type === 'push') {
        pushes.push(m);
        send({ type: 'push-ack', id: m.id, ...answer(m) });
      }
    }
  });
  w.c.uplink.accept(server);
  send({ type: 'hello', modemNo: M, model: 'HT G21', firmware: '1.0', lastAckedSeq: 0 });
  await w.clock.runFor(100);
  return { pushes, close: () => client.close('bye') };
}

describe('site settings', () => {
  it('location, send period and recipients: each field replaces its part; the rest is kept', () => {
    const { c } = cloud();
    const s = c.service;
    expect(s.siteSettings(M)).toEqual({ modemNo: M, location: null, sendPeriodMin: null, periodVersion: 0, periodAckedVersion: 0, recipients: [], updatedAt: null });
    s.setSiteSettings(M, { location: { name: 'Pump station 3', address: 'Konya OSB 12', lat: 37.87, lon: 32.48 } });
    const v = s.setSiteSettings(M, { recipients: [{ name: 'Duty', email: 'Duty@Example.com', phone: '+905321234567', alarms: ['mains-outage', 'meter-not-answering'] }, { phone: '+905551112233', alarms: 'all' }] });
    expect(v.location).toEqual({ name: 'Pump station 3', address: 'Konya OSB 12', lat: 37.87, lon: 32.48 });
    expect(v.recipients[0]!.email).toBe('duty@example.com');
    expect(v.sendPeriodMin).toBeNull();
    expect(s.pushes(M)).toEqual([]);
    expect(s.setSiteSettings(M, { location: null }).location).toBeNull();
    expect(c.service.site.recipientsFor(M, 'mains-outage')).toEqual({ emails: ['duty@example.com'], phones: ['+905321234567', '+905551112233'] });
    expect(c.service.site.recipientsFor(M, 'relay-change')).toEqual({ emails: [], phones: ['+905551112233'] });
    expect(c.service.site.recipients(M)).toEqual([
      { email: 'duty@example.com', phone: '+905321234567', kinds: ['mains-outage', 'meter-not-answering'] },
      { phone: '+905551112233', kinds: ['*'] },
    ]);
    expect(c.service.site.recipients('29999999')).toEqual([]);
  });

  it('refuses bad settings naming the field', () => {
    const { c } = cloud();
    const bad = (body: unknown) => fail(() => c.service.setSiteSettings(M, body));
    expect([bad({ sendPeriodMin: 0 }).field, bad({ sendPeriodMin: 0 }).message]).toEqual(['sendPeriodMin', 'site settings: sendPeriodMin: expected whole minutes 1..240']);
    expect(bad({ sendPeriodMin: 241 }).field).toBe('sendPeriodMin');
    expect(bad({ sendPeriodMin: 2.5 }).field).toBe('sendPeriodMin');
    expect(bad({ location: { name: 'x', lat: 37 } }).message).toBe('site settings: location.lon: expected lat and lon together (or neither)');
    expect(bad({ location: { name: 'x', lat: 91, lon: 0 } }).field).toBe('location.lat');
    expect(bad({ location: { address: 'no name' } }).field).toBe('location.name');
    expect(bad({ recipients: [{ phone: '05321234567', alarms: 'all' }] }).message).toBe('site settings: recipients[0].phone: expected a phone number in E.164, e.g. +905321234567');
    expect(bad({ recipients: [{ phone: '+0532123', alarms: 'all' }] }).field).toBe('recipients[0].phone');
    expect(bad({ recipients: [{ email: 'nobody', alarms: 'all' }] }).field).toBe('recipients[0].email');
    expect(bad({ recipients: [{ name: 'No way to reach', alarms: 'all' }] }).message).toBe('site settings: recipients[0].email: expected an e-mail address or a phone number (or both)');
    expect(bad({ recipients: [{ email: 'a@example.com', alarms: [] }] }).field).toBe('recipients[0].alarms');
    expect(bad({ recipients: [{ email: 'a@example.com', alarms: ['Outage Start'] }] }).field).toBe('recipients[0].alarms[0]');
    expect(bad({ recipients: [{ email: 'a@example.com', alarms: 'all' }, { email: 'A@example.com', alarms: 'all' }] }).message).toBe('site settings: recipients[1].email: a@example.com is already in recipients[0]');
    expect(bad({ colour: 'red' }).message).toBe('site settings: colour: unknown field');
    expect(bad(null).field).toBe('(body)');
    expect(fail(() => c.service.siteSettings('29999999')).status).toBe(404);
  });

  it('a new send period is versioned and pushed; an older open one is superseded; an equal one changes nothing', () => {
    const { c } = cloud();
    c.service.setSiteSettings(M, { sendPeriodMin: 30 });
    c.service.setSiteSettings(M, { sendPeriodMin: 30, location: { name: 'here' } });
    const v = c.service.setSiteSettings(M, { sendPeriodMin: 5 });
    expect([v.sendPeriodMin, v.periodVersion, v.periodAckedVersion]).toEqual([5, 2, 0]);
    expect(c.service.pushes(M).map((p) => [p.kind, p.body, p.resultText])).toEqual([
      ['config', { periodVersion: 1, sendPeriodMin: 30 }, 'superseded by period version 2'],
      ['config', { periodVersion: 2, sendPeriodMin: 5 }, null],
    ]);
  });

  it('goes out at the next session; an ok records the version, a refusal an event; re-sent at a later session until applied', async () => {
    const w = cloud();
    w.c.service.setSiteSettings(M, { sendPeriodMin: 10 });
    const refuse = await session(w, () => ({ ok: false, text: 'period config: not now' }));
    expect(refuse.pushes.map((p) => p.body)).toEqual([{ periodVersion: 1, sendPeriodMin: 10 }]);
    expect(w.c.service.events(M, { name: 'period-config-refused' })).toMatchObject([{ source: 'cloud', details: { version: 1, text: 'period config: not now' } }]);
    expect(w.c.service.siteSettings(M).periodAckedVersion).toBe(0);
    refuse.close();
    await w.clock.runFor(100);
    const accept = await session(w, () => ({ ok: true, text: 'send period 10 min' }));
    expect(accept.pushes.map((p) => p.body)).toEqual([{ periodVersion: 1, sendPeriodMin: 10 }]);
    expect(w.c.service.siteSettings(M).periodAckedVersion).toBe(1);
    // Online: a change goes out at once.
    w.c.service.setSiteSettings(M, { sendPeriodMin: 60 });
    await w.clock.runFor(100);
    expect(accept.pushes.map((p) => (p.body as { sendPeriodMin: number }).sendPeriodMin)).toEqual([10, 60]);
    expect(w.c.service.siteSettings(M)).toMatchObject({ periodVersion: 2, periodAckedVersion: 2 });
    // The Modbus and I/O bookkeeping take no notice of it.
    expect(w.c.service.modbusDevices(M).ackedVersion).toBe(0);
    expect(w.c.service.events(M, { name: 'config-refused' })).toEqual([]);
    accept.close();
    // Nothing is re-sent once applied.
    await w.clock.runFor(100);
    const again = await session(w, () => ({ ok: true }));
    expect(again.pushes).toEqual([]);
    again.close();
    await w.c.stop();
  });

  it('serves GET and PUT /api/modems/:no/settings to a user with the rights', async () => {
    const w = cloud();
    const owner = await w.c.accounts.openAccount({ email: 'o@example.com', password: 'password-o' });
    const code = w.c.provisionModem({ modemNo: M, secret: 'secret-0005' }).authCode;
    await w.c.accounts.addModem(owner.id, { modemNo: M, code });
    const { token } = await w.c.accounts.login({ email: 'o@example.com', password: 'password-o' });
    const base = `http://127.0.0.1:${(await w.c.start({ http: { port: 0 } })).httpPort}`;
    const call = async (method: string, body?: string) => {
      const res = await fetch(`${base}/api/modems/${M}/settings`, { method, headers: { cookie: `ht_session=${token}`, 'content-type': 'application/json' }, ...(body ? { body } : {}) });
      return { status: res.status, body: (await res.json()) as Record<string, unknown> };
    };
    expect(await call('PUT', JSON.stringify({ sendPeriodMin: 15, location: { name: 'Well 2' } }))).toMatchObject({ status: 200, body: { sendPeriodMin: 15, periodVersion: 1, location: { name: 'Well 2' } } });
    expect(await call('GET')).toMatchObject({ status: 200, body: { sendPeriodMin: 15 } });
    expect(await call('PUT', JSON.stringify({ sendPeriodMin: 500 }))).toMatchObject({ status: 400, body: { field: 'sendPeriodMin' } });
    expect(await call('PUT', '{"sendPeriodMin":')).toMatchObject({ status: 400, body: { field: '(body)' } });
    await w.c.stop();
  });
});
