import { describe, expect, it } from 'vitest';
import { bench, undeclaredUrcs } from './test-dte.ts';

describe('power', () => {
  it('hang: nothing is answered and nothing is emitted (not even socket data), the power key is ignored; a power cycle restarts', async () => {
    const { clock, dte, modem, cloud } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CIPRXGET=1;+CREG=1');
      await dte.command('AT+CIPSTART="TCP","h",1');
      await dte.waitUrc(/^CONNECT OK$/);
      const from = dte.urcs.length;
      modem.addFault({ kind: 'hang' });
      expect(modem.powerState()).toBe('hung');
      await expect(dte.command('AT', { timeoutMs: 2000 })).rejects.toThrow(/no final result/);
      void cloud.links[0]!.write(new TextEncoder().encode('data'));
      modem.addFault({ kind: 'no-coverage' }, { forMs: 1000 });
      modem.pressPowerKey();
      await clock.sleep(5000);
      expect(dte.urcs.length).toBe(from);
      expect(modem.powerState()).toBe('hung');
      modem.powerCycle();
      await clock.sleep(1000);
      expect(cloud.links[0]!.closed).toBe(true);
      await clock.sleep(8000);
      expect(dte.urcTexts().slice(from)).toEqual(['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready']);
      expect((await dte.command('AT')).final.kind).toBe('ok');
      expect(modem.state().faults).toEqual([]);
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });

  it('AT+CFUN=1,1 answers OK, restarts with the start-up URCs and factory settings; open sockets drop', async () => {
    const { clock, dte, modem, cloud } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CIPSTART="TCP","h",1');
      await dte.waitUrc(/^CONNECT OK$/);
      await dte.command('AT+CMEE=2');
      const from = dte.urcs.length;
      expect((await dte.command('AT+CFUN=1,1')).final.kind).toBe('ok');
      expect(modem.powerState()).toBe('booting');
      await clock.sleep(10_000);
      expect(dte.urcTexts().slice(from)).toEqual(['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready']);
      expect(dte.urcs[from]!.at).toBeGreaterThan(clock.now() - 10_000 + 1500 + 2500 - 100);
      expect(cloud.links[0]!.closed).toBe(true);
      expect((await dte.command('AT+CMEE?')).lines).toEqual(['+CMEE: 0']);
      expect(modem.state().cipState).toBe('IP INITIAL');
    });
  });

  it('SIMCom AT+CPOWD=1: NORMAL POWER DOWN (no OK), then silence; the power key starts it again', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      const a = dte.command('AT+CPOWD=1', { timeoutMs: 1000 }).catch((e: Error) => e.name);
      expect(await dte.waitUrc(/POWER DOWN/)).toBe('NORMAL POWER DOWN');
      expect(await a).toBe('TimeoutError');
      expect(modem.powerState()).toBe('off');
      await expect(dte.command('AT', { timeoutMs: 1000 })).rejects.toThrow(/no final result/);
      modem.pressPowerKey();
      await clock.sleep(9000);
      expect((await dte.command('AT')).final.kind).toBe('ok');
    });
  });

  it('Quectel AT+QPOWD: OK, POWERED DOWN; the power key on a running module prints it too', async () => {
    const { clock, dte, modem } = bench({ profile: 'EC25' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      expect((await dte.command('AT+QPOWD')).final.kind).toBe('ok');
      await clock.sleep(10);
      expect(dte.urcTexts().at(-1)).toBe('POWERED DOWN');
      expect(modem.powerState()).toBe('off');
      modem.pressPowerKey();
      await clock.sleep(20_000);
      expect(modem.powerState()).toBe('on');
      modem.pressPowerKey();
      await clock.sleep(10);
      expect(dte.urcTexts().at(-1)).toBe('POWERED DOWN');
      expect(modem.powerState()).toBe('off');
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });

  it('AT+CFUN=0 then AT+CFUN=1: deregistered, then the SIM is read again and the module registers', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CFUN=0');
      expect(modem.state().registration.stat).toBe(0);
      const from = dte.urcs.length;
      await dte.command('AT+CFUN=1');
      await clock.sleep(5000);
      expect(dte.urcTexts().slice(from)).toEqual(['+CPIN: READY', 'Call Ready', 'SMS Ready']);
      expect(modem.state().registration.stat).toBe(1);
    });
  });

  it('AT+IPR changes the rate after the OK; the module then talks at the new rate', async () => {
    const { clock, dte, wire } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      expect((await dte.command('AT+IPR=9600')).final.kind).toBe('ok');
      await clock.sleep(10);
      expect(wire.b.settings.baudRate).toBe(9600);
      await wire.a.update({ baudRate: 9600 });
      expect((await dte.command('AT+IPR?')).lines).toEqual(['+IPR: 9600']);
    });
  });
});
