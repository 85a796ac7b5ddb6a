import { describe, expect, it } from 'vitest';
import { fromAscii } from '../../core/bytes.ts';
import { bench, undeclaredUrcs, type TestDte } from './test-dte.ts';

async function activate(dte: TestDte): Promise<void> {
  expect((await dte.command('AT+QICSGP=1,1,"internet","","",1')).final.kind).toBe('ok');
  expect((await dte.command('AT+QICSGP=1')).lines).toEqual(['+QICSGP: 1,"internet","","",1']);
  expect((await dte.command('AT+QIACT=1')).final.kind).toBe('ok');
}

describe('Quectel TCP session', () => {
  it('context, open, send, buffered receive, counters, state, close, deactivate; bytes counted on LTE', async () => {
    const { clock, dte, modem, cloud } = bench({ profile: 'EC25' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      await activate(dte);
      expect((await dte.command('AT+QIACT?')).lines[0]).toMatch(/^\+QIACT: 1,1,1,"10\.64\.12\.\d+"$/);
      expect((await dte.command('AT+QIOPEN=1,0,"TCP","cloud.example.com",5000,0,0')).final.kind).toBe('ok');
      expect(await dte.waitUrc(/^\+QIOPEN:/)).toBe('+QIOPEN: 0,0');
      const a = await dte.command('AT+QISEND=0,5', { data: 'hello', ctrlZ: false });
      expect(a.prompted).toBe(true);
      expect(a.finalText).toBe('SEND OK');
      expect(await dte.waitUrc(/^\+QIURC: "recv"/)).toBe('+QIURC: "recv",0');
      const r = await dte.command('AT+QIRD=0,1500');
      expect(r.lines).toEqual(['+QIRD: 5']);
      expect(fromAscii(r.data[0]!)).toBe('hello');
      expect((await dte.command('AT+QIRD=0,1500')).lines).toEqual(['+QIRD: 0']);
      expect((await dte.command('AT+QISEND=0', { data: 'abc' })).finalText).toBe('SEND OK');
      await clock.sleep(500);
      expect((await dte.command('AT+QISEND=0,0')).lines).toEqual(['+QISEND: 8,8,0']);
      expect((await dte.command('AT+QIRD=0,0')).lines).toEqual(['+QIRD: 8,5,3']);
      expect((await dte.command('AT+QISTATE?')).lines).toEqual(['+QISTATE: 0,"TCP","cloud.example.com",5000,0,2,1,0,0,"uart1"']);
      expect((await dte.command('AT+QICLOSE=0')).final.kind).toBe('ok');
      expect((await dte.command('AT+QIDEACT=1')).final.kind).toBe('ok');
      expect((await dte.command('AT+QIACT?')).lines).toEqual([]);
      expect(cloud.receivedText()).toBe('helloabc');
      expect(modem.counters.perTechnology.lte).toMatchObject({ payloadSent: 8, payloadReceived: 8 });
      expect(modem.counters.perTechnology.gsm.payloadSent).toBe(0);
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });

  it('direct push mode: +QIURC: "recv",<id>,<len> followed by the bytes', async () => {
    const { clock, dte } = bench({ profile: 'EC25' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      await activate(dte);
      await dte.command('AT+QIOPEN=1,3,"TCP","1.2.3.4",80,0,1');
      await dte.waitUrc(/^\+QIOPEN: 3,0$/);
      await dte.command('AT+QISEND=3,4', { data: 'ping', ctrlZ: false });
      expect(await dte.waitUrc(/^\+QIURC: "recv"/)).toBe('+QIURC: "recv",3,4');
      await clock.sleep(10);
      expect(fromAscii(dte.pushedBytes())).toBe('ping');
    });
  });

  it('remote close: +QIURC: "closed",<id>, socket closing (4) until AT+QICLOSE; open errors 563, 561, 566', async () => {
    const { clock, dte, cloud, modem } = bench({ profile: 'EC25' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      await dte.command('AT+CMEE=1');
      await dte.command('AT+QIOPEN=1,1,"TCP","h",1,0,0');
      expect(await dte.waitUrc(/^\+QIOPEN:/)).toBe('+QIOPEN: 1,561');
      await activate(dte);
      await dte.command('AT+QIOPEN=1,0,"TCP","h",1,0,0');
      await dte.waitUrc(/^\+QIOPEN: 0,0$/);
      expect((await dte.command('AT+QIOPEN=1,0,"TCP","h",1,0,0')).finalText).toBe('+CME ERROR: 563');
      cloud.links[0]!.close('server gone');
      await dte.waitUrc(/^\+QIURC: "closed",0$/);
      expect((await dte.command('AT+QISTATE=1,0')).lines[0]).toMatch(/^\+QISTATE: 0,"TCP","h",1,0,4,/);
      expect((await dte.command('AT+QISEND=0,1')).final.kind).toBe('error');
      await dte.command('AT+QICLOSE=0');
      modem.addFault({ kind: 'connect-fail' }, { count: 1 });
      await dte.command('AT+QIOPEN=1,0,"TCP","h",1,0,0');
      expect(await dte.waitUrc(/^\+QIOPEN: 0,5/, 5000, dte.urcs.length)).toBe('+QIOPEN: 0,566');
      await dte.command('AT+QICLOSE=0');
      await dte.command('AT+QIOPEN=1,0,"TCP","h",1,0,0');
      expect(await dte.waitUrc(/^\+QIOPEN: 0,/, 5000, dte.urcs.length)).toBe('+QIOPEN: 0,0');
    });
  });

  it('PDP deactivation: +QIURC: "pdpdeact",1; AT+QIACT refused until AT+QIDEACT', async () => {
    const { clock, dte, modem } = bench({ profile: 'EC25' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      await activate(dte);
      await dte.command('AT+QIOPEN=1,0,"TCP","h",1,0,0');
      await dte.waitUrc(/^\+QIOPEN: 0,0$/);
      modem.deactivatePdpByNetwork();
      await dte.waitUrc(/^\+QIURC: "pdpdeact",1$/);
      expect(modem.state().pdp[0]).toMatchObject({ active: false, lost: true });
      expect((await dte.command('AT+QIACT=1')).final.kind).toBe('error');
      await dte.command('AT+QICLOSE=0');
      await dte.command('AT+QIDEACT=1');
      expect((await dte.command('AT+QIACT=1')).final.kind).toBe('ok');
    });
  });

  it('LTE goes away mid-session: the module falls back to GSM within the PDP hold and the socket carries on; bytes per technology', async () => {
    const { clock, dte, modem, cloud } = bench({ profile: 'EC25', radio: { lte: { kind: 'steps', steps: [{ atMin: 0, dbm: -80 }, { atMin: 1, dbm: null }] }, gsm: { kind: 'constant', dbm: -85 } } });
    await clock.run(async () => {
      await clock.sleep(20_000);
      await activate(dte);
      await dte.command('AT+QIOPEN=1,0,"TCP","h",1,0,0');
      await dte.waitUrc(/^\+QIOPEN: 0,0$/);
      await dte.command('AT+QISEND=0,4', { data: 'on4g', ctrlZ: false });
      await clock.sleep(60_000 - (clock.now() - modem.coverage.start) + 100);
      expect(modem.state().registration.stat).toBe(2);
      expect((await dte.command('AT+QISEND=0,4', { data: 'wait', ctrlZ: false })).finalText).toBe('SEND OK');
      await clock.sleep(8000);
      expect(modem.state().registration.technology).toBe('gsm');
      await clock.sleep(2000);
      expect(cloud.receivedText()).toBe('on4gwait');
      expect(dte.urcTexts()).not.toContain('+QIURC: "pdpdeact",1');
      expect(modem.counters.perTechnology.lte.payloadSent).toBe(4);
      expect(modem.counters.perTechnology.gsm.payloadSent).toBe(4);
      expect(modem.counters.perTechnology.gsm.payloadReceived).toBe(4);
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });
});
