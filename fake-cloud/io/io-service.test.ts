import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { FakeCloud } from '../fake-cloud.ts';
import { createHttpApp } from '../api/http.ts';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const logger = rootLogger().child({}, { level: 'silent' });

function cloud() {
  const c = new FakeCloud({ clock: new VirtualClock(), logger });
  c.provisionModem({ modemNo: '21000001', secret: 'secret-21000001', model: 'HT G21' });
  c.provisionModem({ modemNo: '25000001', secret: 'secret-25000001', model: 'HT G25' });
  return c;
}

describe('IoService', () => {
  it('settings: validated, versioned, pushed; older open pushes superseded; equal settings change nothing', () => {
    const c = cloud();
    expect(c.service.io.settings('21000001')).toMatchObject({ enabled: false, ioVersion: 0, schedule: [] });
    expect(() => c.service.io.setSettings('21000001', { enabled: true, schedule: [{ output: 1, days: ['mon'], on: '6:00', off: '07:00' }] })).toThrow(/schedule\[0\]\.on/);
    c.service.io.setSettings('21000001', { enabled: true });
    c.service.io.setSettings('21000001', { enabled: true });
    c.service.io.setSettings('21000001', { enabled: true, schedule: [{ output: 1, days: ['mon'], on: '06:00', off: '07:00' }] });
    const pushes = c.service.pushes('21000001');
    expect(pushes.map((p) => [p.kind, (p.body as { ioVersion: number }).ioVersion, p.resultText])).toEqual([
      ['config', 1, 'superseded by io config version 2'],
      ['config', 2, null],
    ]);
  });

  it('relay commands need I/O support; rules are checked and listed', () => {
    const c = cloud();
    expect(() => c.service.io.setRelay('21000001', { output: 1, on: true })).toThrow(/I\/O support is off/);
    c.service.io.setSettings('21000001', { enabled: true });
    expect(() => c.service.io.setRelay('21000001', { output: 9, on: true })).toThrow(/field 'output'/);
    expect(c.service.io.setRelay('21000001', { output: 1, on: true }).body).toEqual({ op: 'relay-set', output: 1, on: true });
    expect(() => c.service.io.addRule({ from: { modemNo: '21000001', input: 1 }, to: { modemNo: '99999999', output: 1 } })).toThrow(/not provisioned/);
    const r = c.service.io.addRule({ from: { modemNo: '21000001', input: 1 }, to: { modemNo: '25000001', output: 1 } });
    expect(c.service.io.rules()).toEqual([r]);
    c.service.io.deleteRule(r.id);
    expect(() => c.service.io.deleteRule(r.id)).toThrow(/no io rule/);
  });

  it('serves the I/O routes over HTTP', async () => {
    const c = cloud();
    const server = createServer(createHttpApp(c.service, logger));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const put = await fetch(`${base}/api/modems/21000001/settings/io`, { method: 'PUT', headers: { authorization: `Bearer ${c.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ enabled: true }) });
      expect(await put.json()).toMatchObject({ enabled: true, ioVersion: 1 });
      const relay = await fetch(`${base}/api/modems/25000001/relays/1`, { method: 'POST', headers: { authorization: `Bearer ${c.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ on: true }) });
      expect(relay.status).toBe(409);
      expect(await relay.json()).toEqual({ error: 'relay C1: I/O support is off for modem 25000001' });
      const rule = await fetch(`${base}/api/io/rules`, { method: 'POST', headers: { authorization: `Bearer ${c.adminToken}`, 'content-type': 'application/json' }, body: JSON.stringify({ from: { modemNo: '21000001', input: 1 }, to: { modemNo: '25000001', output: 3 } }) });
      expect(rule.status).toBe(201);
      expect(await (await fetch(`${base}/api/modems/21000001/io`, { headers: { authorization: `Bearer ${c.adminToken}` } })).json()).toEqual([]);
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await c.stop();
    }
  });
});
