import { describe, expect, it } from 'vitest';
import { fromAscii } from '../../core/bytes.ts';
import { bench, undeclaredUrcs, type TestDte } from './test-dte.ts';

async function bearer(dte: TestDte): Promise<string> {
  expect((await dte.command('AT+CGATT?')).lines).toEqual(['+CGATT: 1']);
  expect((await dte.command('AT+CSTT="internet"')).final.kind).toBe('ok');
  expect((await dte.command('AT+CIICR')).final.kind).toBe('ok');
  const ip = await dte.command('AT+CIFSR');
  expect(ip.final.kind).toBe('value');
  return ip.finalText;
}

describe('SIMCom TCP session', () => {
  it('bearer, connect, send both ways with manual receive, status, close, shut; bytes counted on GSM', async () => {
    const { clock, dte, modem, cloud } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      expect((await dte.command('AT+CIPSTATUS')).final.kind).toBe('ok');
      await clock.sleep(10);
      expect(modem.state().cipState).toBe('IP INITIAL');
      const ip = await bearer(dte);
      expect(ip).toMatch(/^10\.64\.12\.\d+$/);
      await dte.command('AT+CIPRXGET=1');
      const t0 = clock.now();
      expect((await dte.command('AT+CIPSTART="TCP","cloud.example.com",5000')).final.kind).toBe('ok');
      await dte.waitUrc(/^CONNECT OK$/);
      expect(clock.now() - t0).toBeGreaterThanOrEqual(600);
      const st = await dte.command('AT+CIPSTATUS');
      await clock.sleep(20);
      expect(st.trailing).toEqual(['STATE: CONNECT OK']);
      const sent = clock.now();
      const a = await dte.command('AT+CIPSEND=5', { data: 'hello', ctrlZ: false });
      expect(a.prompted).toBe(true);
      expect(a.finalText).toBe('SEND OK');
      expect(clock.now() - sent).toBeGreaterThanOrEqual(600);
      await dte.waitUrc(/^\+CIPRXGET: 1$/);
      const r = await dte.command('AT+CIPRXGET=2,100');
      expect(r.lines).toEqual(['+CIPRXGET: 2,5,0']);
      expect(fromAscii(r.data[0]!)).toBe('hello');
      expect((await dte.command('AT+CIPSEND', { data: 'world' })).finalText).toBe('SEND OK');
      await dte.waitUrc(/^\+CIPRXGET: 1$/, 5000, dte.urcs.length);
      expect((await dte.command('AT+CIPRXGET=4')).lines).toEqual(['+CIPRXGET: 4,5']);
      const hex = await dte.command('AT+CIPRXGET=3,2');
      expect(hex.lines).toEqual(['+CIPRXGET: 3,2,3']);
      expect(fromAscii(hex.data[0]!)).toBe('776F');
      expect(fromAscii((await dte.command('AT+CIPRXGET=2,10')).data[0]!)).toBe('rld');
      expect(cloud.receivedText()).toBe('helloworld');
      expect((await dte.command('AT+CIPCLOSE')).finalText).toBe('CLOSE OK');
      expect(modem.state().cipState).toBe('TCP CLOSED');
      expect((await dte.command('AT+CIPSHUT')).finalText).toBe('SHUT OK');
      expect(modem.state().cipState).toBe('IP INITIAL');
      const c = modem.counters;
      expect(c.perTechnology.gsm.payloadSent).toBe(10);
      expect(c.perTechnology.gsm.payloadReceived).toBe(10);
      expect(c.perTechnology.lte.payloadSent).toBe(0);
      expect(c.sockets[0]).toMatchObject({ host: 'cloud.example.com', port: 5000, technology: 'gsm' });
      expect(c.sockets[0]!.closedAt).toBeDefined();
      expect(c.perTechnology.gsm.ipSent).toBeGreaterThan(10 + 100);
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });

  it('pushed data: raw by default, after +IPD,<len>: with AT+CIPHEAD=1; AT+CIPQSEND=1 answers DATA ACCEPT', async () => {
    const { clock, dte } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await bearer(dte);
      await dte.command('AT+CIPHEAD=1');
      await dte.command('AT+CIPQSEND=1');
      await dte.command('AT+CIPSTART="TCP","1.2.3.4",80');
      await dte.waitUrc(/^CONNECT OK$/);
      expect((await dte.command('AT+CIPSEND=4', { data: 'ping', ctrlZ: false })).finalText).toBe('DATA ACCEPT:4');
      await dte.waitUrc(/^\+IPD,4:$/);
      await clock.sleep(10);
      expect(fromAscii(dte.pushedBytes())).toBe('ping');
      expect((await dte.command('AT+CIPSEND=1461')).final.kind).toBe('error');
      expect((await dte.command('AT+CIPSEND?')).lines).toEqual(['+CIPSEND: 1460']);
    });
  });

  it('remote close gives CLOSED; ALREADY CONNECT on an open link; CIPSTART needs IP STATUS (after CIFSR)', async () => {
    const { clock, dte, cloud, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CSTT="internet"');
      await dte.command('AT+CIICR');
      expect((await dte.command('AT+CIPSTART="TCP","h",1')).final.kind).toBe('error');
      await dte.command('AT+CIFSR');
      await dte.command('AT+CIPSTART="TCP","h",1');
      await dte.waitUrc(/^CONNECT OK$/);
      expect((await dte.command('AT+CIPSTART="TCP","h",1')).final.kind).toBe('error');
      await dte.waitUrc(/^ALREADY CONNECT$/);
      cloud.links[0]!.close('server closed');
      await dte.waitUrc(/^CLOSED$/);
      expect(modem.state().cipState).toBe('TCP CLOSED');
      expect((await dte.command('AT+CIPSEND=1')).final.kind).toBe('error');
      await dte.command('AT+CIPSTART="TCP","h",1');
      await dte.waitUrc(/^CONNECT OK$/, 5000, dte.urcs.length - 1);
      expect(cloud.links).toHaveLength(2);
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });

  it('AT+CIPSTART in IP INITIAL brings the bearer up itself; a refused APN gives CONNECT FAIL', async () => {
    const ok = bench({ profile: 'SIM800C' });
    await ok.clock.run(async () => {
      await ok.clock.sleep(9000);
      await ok.dte.command('AT+CIPSTART="TCP","h",1');
      await ok.dte.waitUrc(/^CONNECT OK$/);
      expect(ok.modem.state().pdp[0]).toMatchObject({ cid: 1, active: true });
    });
    const refused = bench({ profile: 'SIM800C', network: { apns: ['m2m.turkcell.com.tr'] } });
    await refused.clock.run(async () => {
      await refused.clock.sleep(9000);
      await refused.dte.command('AT+CIPSTART="TCP","h",1');
      await refused.dte.waitUrc(/^CONNECT FAIL$/);
      await refused.dte.command('AT+CIPSHUT');
      await refused.dte.command('AT+CSTT="internet"');
      expect((await refused.dte.command('AT+CIICR')).final.kind).toBe('error');
    });
  });

  it('PDP deactivation by the network: +PDP: DEACT, state PDP DEACT, sends refused until CIPSHUT', async () => {
    const { clock, dte, modem, cloud } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await bearer(dte);
      await dte.command('AT+CIPSTART="TCP","h",1');
      await dte.waitUrc(/^CONNECT OK$/);
      modem.deactivatePdpByNetwork();
      await dte.waitUrc(/^\+PDP: DEACT$/);
      expect(modem.state().cipState).toBe('PDP DEACT');
      await clock.sleep(1000);
      expect(cloud.links[0]!.closed).toBe(true);
      expect((await dte.command('AT+CIPSEND=1')).final.kind).toBe('error');
      expect((await dte.command('AT+CIPSTART="TCP","h",1')).final.kind).toBe('error');
      expect((await dte.command('AT+CIPSHUT')).finalText).toBe('SHUT OK');
      await bearer(dte);
    });
  });

  it('multi-IP: links with "<n>, " prefixes, +RECEIVE pushes and C: status lines', async () => {
    const { clock, dte, cloud, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CIPMUX=1');
      await bearer(dte);
      await dte.command('AT+CIPSTART=0,"TCP","a",1');
      await dte.command('AT+CIPSTART=1,"TCP","b",2');
      await dte.waitUrc(/^1, CONNECT OK$/);
      expect(dte.urcTexts()).toContain('0, CONNECT OK');
      expect((await dte.command('AT+CIPSEND=1,3', { data: 'abc', ctrlZ: false })).finalText).toBe('1, SEND OK');
      await dte.waitUrc(/^\+RECEIVE,1,3:$/);
      await clock.sleep(10);
      expect(fromAscii(dte.pushedBytes())).toBe('abc');
      const st = await dte.command('AT+CIPSTATUS');
      await clock.sleep(50);
      expect(st.trailing[0]).toBe('STATE: IP PROCESSING');
      expect(st.trailing).toContain('C: 1,0,"TCP","b","2","CONNECTED"');
      expect(st.trailing).toContain('C: 2,0,"","","","INITIAL"');
      expect((await dte.command('AT+CIPCLOSE=0')).finalText).toBe('0, CLOSE OK');
      await clock.sleep(1000);
      expect(cloud.links[0]!.closed).toBe(true);
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });
});
