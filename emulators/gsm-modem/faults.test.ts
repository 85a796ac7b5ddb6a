import { describe, expect, it } from 'vitest';
import { CSQ } from '../../protocols/at/index.ts';
import { ModemFaultSet } from './faults.ts';
import { bench, undeclaredUrcs, type TestDte } from './test-dte.ts';

const MIN = 60_000;

async function connectSimcom(dte: TestDte): Promise<void> {
  await dte.command('AT+CSTT="internet"');
  await dte.command('AT+CIICR');
  await dte.command('AT+CIFSR');
  await dte.command('AT+CIPSTART="TCP","h",1');
  await dte.waitUrc(/^CONNECT OK$/);
}

describe('ModemFaultSet', () => {
  it('newest first; wears off by count and by time; reports changes', () => {
    let changes = 0;
    const set = new ModemFaultSet(() => changes++);
    set.add({ kind: 'slow-answers', factor: 2 }, { count: 1 }, 0);
    set.add({ kind: 'slow-answers', factor: 5 }, { forMs: 100 }, 0);
    expect(set.take('slow-answers', 50)?.factor).toBe(5);
    expect(set.nextExpiry(50)).toBe(100);
    expect(set.take('slow-answers', 100)?.factor).toBe(2);
    expect(set.take('slow-answers', 100)).toBeUndefined();
    expect(changes).toBe(4);
  });
});

describe('faults on the AT interface', () => {
  it('SIM removed for 10 minutes: +CPIN: NOT READY, deregistration, CME 10; then the SIM is read again', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CREG=1;+CMEE=1');
      const from = dte.urcs.length;
      modem.addFault({ kind: 'sim-removed' }, { forMs: 10 * MIN });
      await clock.sleep(100);
      expect(dte.urcTexts().slice(from)).toEqual(['+CPIN: NOT READY', '+CREG: 0']);
      expect((await dte.command('AT+CPIN?')).finalText).toBe('+CME ERROR: 10');
      await clock.sleep(10 * MIN + 5000);
      expect(dte.urcTexts().slice(from + 2)).toEqual(['+CPIN: READY', '+CREG: 2', 'Call Ready', 'SMS Ready', '+CREG: 1']);
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });

  it('PIN enabled: after the next power cycle the SIM asks for its PIN; with count 1 the one after does not', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      modem.addFault({ kind: 'pin-enabled' }, { count: 1 });
      expect((await dte.command('AT+CPIN?')).lines).toEqual(['+CPIN: READY']);
      modem.powerCycle();
      await clock.sleep(9000);
      expect(dte.urcTexts().at(-1)).toBe('+CPIN: SIM PIN');
      expect((await dte.command('AT+CLCK="SC",2')).final.kind).toBe('error');
      modem.powerCycle();
      await clock.sleep(9000);
      expect(dte.urcTexts().at(-1)).toBe('SMS Ready');
    });
  });

  it('no coverage for 5 minutes: searching, CSQ 99; the PDP context is lost after the hold; service comes back', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await connectSimcom(dte);
      await dte.command('AT+CREG=1');
      modem.addFault({ kind: 'no-coverage' }, { forMs: 5 * MIN });
      await clock.sleep(100);
      expect((await dte.command('AT+CSQ')).lines).toEqual(['+CSQ: 99,99']);
      expect(dte.urcTexts().at(-1)).toBe('+CREG: 2');
      await clock.sleep(16_000);
      expect(dte.urcTexts().at(-1)).toBe('+PDP: DEACT');
      await clock.sleep(5 * MIN);
      expect(dte.urcTexts().at(-1)).toBe('+CREG: 1');
    });
  });

  it('no LTE coverage: a 4G module falls back to GSM', async () => {
    const { clock, modem } = bench({ profile: 'EC25' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      expect(modem.state().registration.technology).toBe('lte');
      modem.addFault({ kind: 'no-coverage', technology: 'lte' }, { forMs: 10 * MIN });
      await clock.sleep(6000);
      expect(modem.state().registration.technology).toBe('gsm');
      await clock.sleep(10 * MIN);
      expect(modem.state().registration.technology).toBe('lte');
    });
  });

  it('weak signal lowers CSQ by its loss; a deep loss leaves no service', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      const base = CSQ.parse((await dte.command('AT+CSQ')).lines[0]!).rssi;
      const f = modem.addFault({ kind: 'weak-signal', lossDb: 10 });
      expect(CSQ.parse((await dte.command('AT+CSQ')).lines[0]!).rssi).toBe(base - 5);
      f.remove();
      modem.addFault({ kind: 'weak-signal', lossDb: 40 }, { forMs: MIN });
      await clock.sleep(10);
      expect(modem.state().registration.stat).toBe(2);
      await clock.sleep(MIN + 5000);
      expect(modem.state().registration.stat).toBe(1);
    });
  });

  it('registration denied: <stat> 3 while it lasts', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CREG=1');
      modem.addFault({ kind: 'registration-denied' }, { forMs: 2 * MIN });
      await clock.sleep(10);
      expect((await dte.command('AT+CREG?')).lines).toEqual(['+CREG: 1,3']);
      await clock.sleep(2 * MIN);
      expect(dte.urcTexts().slice(-2)).toEqual(['+CREG: 3', '+CREG: 1']);
    });
  });

  it('PDP dropped mid-send: SEND FAIL, then +PDP: DEACT (SIMCom) / +QIURC: "pdpdeact",1 (Quectel)', async () => {
    const s = bench({ profile: 'SIM800C' });
    await s.clock.run(async () => {
      await s.clock.sleep(9000);
      await connectSimcom(s.dte);
      s.modem.addFault({ kind: 'pdp-drop-on-send' }, { count: 1 });
      expect((await s.dte.command('AT+CIPSEND=3', { data: 'abc', ctrlZ: false })).finalText).toBe('SEND FAIL');
      await s.dte.waitUrc(/^\+PDP: DEACT$/);
      expect(s.cloud.received).toEqual([]);
    });
    const q = bench({ profile: 'EC25' });
    await q.clock.run(async () => {
      await q.clock.sleep(20_000);
      await q.dte.command('AT+QIACT=1');
      await q.dte.command('AT+QIOPEN=1,0,"TCP","h",1,0,0');
      await q.dte.waitUrc(/^\+QIOPEN: 0,0$/);
      q.modem.addFault({ kind: 'pdp-drop-on-send' }, { count: 1 });
      expect((await q.dte.command('AT+QISEND=0,3', { data: 'abc', ctrlZ: false })).finalText).toBe('SEND FAIL');
      await q.dte.waitUrc(/^\+QIURC: "pdpdeact",1$/);
      expect(undeclaredUrcs(q.dte, q.modem)).toEqual([]);
    });
  });

  it('socket closed by the network after a send: SEND OK, then CLOSED; PDP activation failure: CIICR ERROR once', async () => {
    const { clock, dte, modem, cloud } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CSTT="internet"');
      modem.addFault({ kind: 'pdp-activation-fail' }, { count: 1 });
      expect((await dte.command('AT+CIICR')).final.kind).toBe('error');
      expect((await dte.command('AT+CIICR')).final.kind).toBe('ok');
      await dte.command('AT+CIFSR');
      await dte.command('AT+CIPSTART="TCP","h",1');
      await dte.waitUrc(/^CONNECT OK$/);
      modem.addFault({ kind: 'socket-closed-on-send' }, { count: 1 });
      expect((await dte.command('AT+CIPSEND=2', { data: 'hi', ctrlZ: false })).finalText).toBe('SEND OK');
      await dte.waitUrc(/^CLOSED$/);
      await clock.sleep(1000);
      expect(cloud.receivedText()).toBe('hi');
      expect(cloud.links[0]!.closed).toBe(true);
    });
  });

  it('slow answers: the latency is multiplied for the next lines only', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      modem.addFault({ kind: 'slow-answers', factor: 200 }, { count: 1 });
      let t = clock.now();
      await dte.command('AT+CSQ');
      expect(clock.now() - t).toBeGreaterThanOrEqual(4000);
      t = clock.now();
      await dte.command('AT+CSQ');
      expect(clock.now() - t).toBeLessThan(100);
    });
  });

  it('the data allowance: once used up the operator takes the context away and refuses a new one', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C', sim: { dataLimitMb: 0.001 } });
    await clock.run(async () => {
      await clock.sleep(9000);
      await connectSimcom(dte);
      await dte.command('AT+CIPSEND=1000', { data: 'x'.repeat(1000), ctrlZ: false, timeoutMs: 10_000 });
      await dte.waitUrc(/^\+PDP: DEACT$/);
      expect(modem.quotaExhausted).toBe(true);
      await dte.command('AT+CIPSHUT');
      await dte.command('AT+CSTT="internet"');
      expect((await dte.command('AT+CIICR')).final.kind).toBe('error');
    });
  });
});
