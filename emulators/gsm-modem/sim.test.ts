import { describe, expect, it } from 'vitest';
import { luhnOk } from '../../protocols/at/index.ts';
import { SimCard, makeIccid } from './sim.ts';
import { bench, undeclaredUrcs } from './test-dte.ts';

describe('SimCard', () => {
  it('three wrong PINs ask for the PUK; the PUK sets a new PIN; ten wrong PUKs block the SIM', () => {
    const sim = new SimCard({ state: 'pin', pin: '4321' });
    expect(sim.state()).toBe('pin');
    expect(sim.enterPin('0000')).toBe('wrong');
    expect(sim.enterPin('0000')).toBe('wrong');
    expect(sim.pinLeft).toBe(1);
    expect(sim.enterPin('0000')).toBe('wrong');
    expect(sim.state()).toBe('puk');
    expect(sim.enterPuk('12345678', '1111')).toBe('ok');
    expect(sim.state()).toBe('ready');
    sim.powerOn();
    expect(sim.state()).toBe('pin');
    expect(sim.enterPin('1111')).toBe('ok');
    const b = new SimCard({ state: 'puk' });
    for (let i = 0; i < 10; i++) expect(b.enterPuk('00000000', '1234')).toBe('wrong');
    expect(b.state()).toBe('blocked');
  });

  it('generated ICCIDs carry a valid check digit; bad identities are refused', () => {
    expect(luhnOk(new SimCard().iccid)).toBe(true);
    expect(luhnOk(makeIccid('899002123456789012'))).toBe(true);
    expect(() => new SimCard({ pin: '12' })).toThrow(/PIN/);
    expect(() => new SimCard({ imsi: '123' })).toThrow(/IMSI/);
  });
});

describe('SIM states on the AT interface', () => {
  it('absent: +CPIN: NOT INSERTED at start-up, CME 10 for +CPIN?, +CIMI and +CCID, no registration', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C', sim: { state: 'absent' } });
    await clock.run(async () => {
      await clock.sleep(12_000);
      expect(dte.urcTexts()).toEqual(['RDY', '+CFUN: 1', '+CPIN: NOT INSERTED']);
      await dte.command('AT+CMEE=1');
      expect((await dte.command('AT+CPIN?')).finalText).toBe('+CME ERROR: 10');
      expect((await dte.command('AT+CIMI')).finalText).toBe('+CME ERROR: 10');
      expect((await dte.command('AT+CCID')).finalText).toBe('+CME ERROR: 10');
      expect((await dte.command('AT+CREG?')).lines).toEqual(['+CREG: 0,0']);
      expect(modem.state().sim).toBe('absent');
    });
  });

  it('PIN required: +CPIN: SIM PIN, CME 11, a wrong PIN CME 16; the right one gives READY, Call Ready, SMS Ready and registration', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C', sim: { state: 'pin', pin: '2468' } });
    await clock.run(async () => {
      await clock.sleep(12_000);
      expect(dte.urcTexts()).toEqual(['RDY', '+CFUN: 1', '+CPIN: SIM PIN']);
      await dte.command('AT+CMEE=2');
      expect((await dte.command('AT+CPIN?')).lines).toEqual(['+CPIN: SIM PIN']);
      expect((await dte.command('AT+CIMI')).finalText).toBe('+CME ERROR: SIM PIN required');
      expect((await dte.command('AT+CCID')).lines).toEqual([modem.sim.iccid]);
      expect((await dte.command('AT+CLCK="SC",2')).finalText).toBe('+CME ERROR: SIM PIN required');
      expect((await dte.command('AT+CPIN="1111"')).finalText).toBe('+CME ERROR: incorrect password');
      expect(modem.sim.pinLeft).toBe(2);
      const from = dte.urcs.length;
      expect((await dte.command('AT+CPIN="2468"')).final.kind).toBe('ok');
      await clock.sleep(8000);
      expect(dte.urcTexts().slice(from)).toEqual(['+CPIN: READY', 'Call Ready', 'SMS Ready']);
      expect((await dte.command('AT+CREG?')).lines).toEqual(['+CREG: 0,1']);
      expect((await dte.command('AT+CPIN="2468"')).finalText).toBe('+CME ERROR: operation not allowed');
    });
  });

  it('PUK required: +CPIN: SIM PUK and CME 12; PUK and a new PIN unlock it', async () => {
    const { clock, dte, modem } = bench({ profile: 'EC25', sim: { state: 'puk' } });
    await clock.run(async () => {
      await clock.sleep(20_000);
      expect(dte.urcTexts()).toEqual(['RDY', '+CFUN: 1', '+CPIN: SIM PUK']);
      expect((await dte.command('AT+CPIN?')).lines).toEqual(['+CPIN: SIM PUK']);
      expect((await dte.command('AT+CIMI')).finalText).toBe('+CME ERROR: 12');
      expect((await dte.command('AT+CPIN="1234"')).finalText).toBe('+CME ERROR: 12');
      expect((await dte.command('AT+CPIN="12345678","4321"')).final.kind).toBe('ok');
      await clock.sleep(6000);
      expect(dte.urcTexts().slice(3)).toEqual(['+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE']);
      expect((await dte.command('AT+QCCID')).lines[0]).toMatch(/^\+QCCID: 8990\d{15}$/);
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });

  it('ready: AT+CLCK="SC",2 reports the lock; disabling needs the right PIN; enabling makes the next start ask', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(8000);
      expect((await dte.command('AT+CPIN?')).lines).toEqual(['+CPIN: READY']);
      expect((await dte.command('AT+CLCK="SC",2')).lines).toEqual(['+CLCK: 0']);
      await dte.command('AT+CMEE=1');
      expect((await dte.command('AT+CLCK="SC",1,"9999"')).finalText).toBe('+CME ERROR: 16');
      expect((await dte.command('AT+CLCK="SC",1,"1234"')).final.kind).toBe('ok');
      expect((await dte.command('AT+CLCK="SC",2')).lines).toEqual(['+CLCK: 1']);
      expect((await dte.command('AT+CIMI')).lines).toEqual([modem.sim.imsi]);
      modem.powerCycle();
      await clock.sleep(8000);
      expect(dte.urcTexts().slice(-3)).toEqual(['RDY', '+CFUN: 1', '+CPIN: SIM PIN']);
      expect(modem.state().sim).toBe('pin');
    });
  });

  it('AT+CPIN? between RDY and the SIM read answers CME 14 (SIM busy)', async () => {
    const { clock, dte } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(2700);
      await dte.command('AT+CMEE=1');
      expect((await dte.command('AT+CPIN?')).finalText).toBe('+CME ERROR: 14');
    });
  });
});
