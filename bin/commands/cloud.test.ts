import { mkdtemp, rm } from 'node:fs/promises';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../core/log.ts';
import { serveCloud, type ServedCloud } from './cloud.ts';

let served: ServedCloud | undefined;
let dir: string | undefined;
afterEach(async () => {
  await served?.stop();
  served = undefined;
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('ht-hil cloud serve', () => {
  it('serves the API and pages with the account and modems asked for, the uplink and the SMTP capture', async () => {
    setLogLevel('silent');
    dir = await mkdtemp(join(tmpdir(), 'ht-cloud-'));
    served = await serveCloud({ http: 0, uplink: 0, smtp: 0, host: '127.0.0.1', db: join(dir, 'cloud.sqlite'), modem: ['21000001:factory-key-0001:HT E21', '25000002:factory-key-0002'], user: 'qa@lab.example:qa-password-1' });
    expect(served.lines[0]).toMatch(/^web pages and API: http:\/\/127\.0\.0\.1:\d+\/ {2}\(admin token: \S+\)$/);
    expect(served.lines).toContain('account qa@lab.example holds 2 modem(s)');
    const base = `http://127.0.0.1:${served.httpPort}`;
    const login = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'qa@lab.example', password: 'qa-password-1' }) });
    expect(login.status).toBe(200);
    const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
    const modems = (await (await fetch(`${base}/api/modems`, { headers: { cookie } })).json()) as { modemNo: string }[];
    expect(modems.map((m) => m.modemNo).sort()).toEqual(['21000001', '25000002']);
    expect((await fetch(`${base}/login`)).status).toBe(200);
    const banner = await new Promise<string>((resolve, reject) => {
      const s = connect(served!.smtpPort, '127.0.0.1');
      s.once('data', (b) => (resolve(b.toString()), s.destroy()));
      s.once('error', reject);
    });
    expect(banner).toMatch(/^220 /);
    expect(served.uplinkPort).toBeGreaterThan(0);
  });

  it('refuses a malformed --modem naming the option', async () => {
    await expect(serveCloud({ http: 0, uplink: 0, smtp: 0, host: '127.0.0.1', db: ':memory:', modem: ['21000001'] })).rejects.toThrow("--modem: '21000001' is not NO:SECRET[:MODEL]");
  });
});
