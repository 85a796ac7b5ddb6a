import { describe, expect, it } from 'vitest';
import { ascii } from '../../core/bytes.ts';
import { hasCommand } from './command-log.ts';
import { bench } from './test-dte.ts';

describe('start-up', () => {
  it('SIM800C prints RDY, +CFUN: 1, +CPIN: READY, Call Ready, SMS Ready in order, then answers', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      expect(modem.powerState()).toBe('booting');
      await clock.sleep(1000);
      const early = await dte.command('AT', { timeoutMs: 500 }).catch((e: Error) => e.name);
      expect(early).toBe('TimeoutError');
      await clock.sleep(7000);
      expect(dte.urcTexts()).toEqual(['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready']);
      expect(dte.urcs[0]!.at - clock.now()).toBeLessThan(0);
      expect((await dte.command('AT')).final.kind).toBe('ok');
      expect(modem.powerState()).toBe('on');
    });
  });

  it('EC25 prints RDY, +CFUN: 1, +CPIN: READY, +QUSIM: 1, +QIND: SMS DONE, +QIND: PB DONE', async () => {
    const { clock, dte } = bench({ profile: 'quectel/ec25-e' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      expect(dte.urcTexts().slice(0, 6)).toEqual(['RDY', '+CFUN: 1', '+CPIN: READY', '+QUSIM: 1', '+QIND: SMS DONE', '+QIND: PB DONE']);
    });
  });

  it('autobauding: no start-up URCs; the first AT puts the module in step, then it answers at the terminal rate', async () => {
    const { clock, dte, modem, wire } = bench({ profile: 'SIM800C', autobaud: true });
    await clock.run(async () => {
      await wire.b.update({ baudRate: 9600 });
      await wire.a.update({ baudRate: 57600 });
      await clock.sleep(8000);
      expect(dte.urcTexts()).toEqual([]);
      const first = await dte.command('AT', { timeoutMs: 300 }).catch((e: Error) => e.name);
      expect(first).toBe('TimeoutError');
      expect((await dte.command('AT')).final.kind).toBe('ok');
      expect(wire.b.settings.baudRate).toBe(57600);
      expect((await dte.command('AT+IPR?')).lines).toEqual(['+IPR: 0']);
      expect(modem.received.map((r) => r.line)).toEqual(['AT', 'AT+IPR?']);
    });
  });
});

describe('identification', () => {
  it('SIM800C: ATI, AT+GMR, AT+CGMM, AT+CGMI, AT+CGSN', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(7000);
      expect((await dte.command('ATI')).lines).toEqual(['SIM800 R14.18']);
      expect((await dte.command('AT+GMR')).lines).toEqual(['Revision:1418B04SIM800C24']);
      expect((await dte.command('AT+CGMM')).lines).toEqual(['SIMCOM_SIM800C']);
      expect((await dte.command('AT+CGMI')).lines).toEqual(['SIMCOM_Ltd']);
      const imei = (await dte.command('AT+CGSN')).lines;
      expect(imei).toEqual([modem.imei]);
      expect(modem.imei).toMatch(/^86581403\d{7}$/);
    });
  });

  it('EC25: ATI has three lines; AT+GMR the revision', async () => {
    const { clock, dte } = bench({ profile: 'EC25' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      expect((await dte.command('ATI')).lines).toEqual(['Quectel', 'EC25', 'Revision: EC25EFAR06A03M4G']);
      expect((await dte.command('AT+GMR')).lines).toEqual(['EC25EFAR06A03M4G']);
      expect((await dte.command('AT+CGMM')).lines).toEqual(['EC25']);
    });
  });
});

describe('V.250 behaviour', () => {
  it('echo on by default, off with ATE0; the echo is the line as typed', async () => {
    const { clock, dte, wire } = bench({ profile: 'SIM800C' });
    const seen: string[] = [];
    wire.a.onData((c) => seen.push(new TextDecoder().decode(c.bytes)));
    await clock.run(async () => {
      await clock.sleep(7000);
      seen.length = 0;
      await dte.command('AT+CSQ');
      expect(seen.join('')).toMatch(/^AT\+CSQ\r\r\n\+CSQ: \d+,0\r\n\r\nOK\r\n$/);
      await dte.command('ATE0');
      seen.length = 0;
      await dte.command('AT+CSQ');
      expect(seen.join('')).toMatch(/^\r\n\+CSQ: \d+,0\r\n\r\nOK\r\n$/);
    });
  });

  it('ATV0 gives numeric results; ATQ1 none', async () => {
    const { clock, dte, wire } = bench({ profile: 'SIM800C' });
    const seen: string[] = [];
    wire.a.onData((c) => seen.push(new TextDecoder().decode(c.bytes)));
    await clock.run(async () => {
      await clock.sleep(7000);
      await clock.sleep(2000);
      await dte.command('ATE0');
      dte.decoder.setNumeric(true);
      await dte.command('ATV0');
      seen.length = 0;
      const a = await dte.command('AT+CREG?');
      expect(a.lines).toEqual(['+CREG: 0,1']);
      expect(seen.join('')).toBe('+CREG: 0,1\r\n0\r');
      seen.length = 0;
      await dte.command('AT+FOO').catch(() => undefined);
      expect(seen.join('')).toBe('4\r');
      await dte.command('ATV1Q1', { timeoutMs: 200 }).catch(() => undefined);
      seen.length = 0;
      await dte.command('AT', { timeoutMs: 200 }).catch(() => undefined);
      expect(seen.join('')).toBe('');
    });
  });

  it('AT+CMEE selects ERROR, a number or a text for the same failure', async () => {
    const { clock, dte } = bench({ profile: 'SIM800C', sim: { state: 'pin' } });
    await clock.run(async () => {
      await clock.sleep(7000);
      expect((await dte.command('AT+CIMI')).finalText).toBe('ERROR');
      await dte.command('AT+CMEE=1');
      expect((await dte.command('AT+CIMI')).finalText).toBe('+CME ERROR: 11');
      await dte.command('AT+CMEE=2');
      expect((await dte.command('AT+CIMI')).finalText).toBe('+CME ERROR: SIM PIN required');
      expect((await dte.command('AT+CMEE?')).lines).toEqual(['+CMEE: 2']);
    });
  });

  it('concatenated commands answer in order with one OK; an error stops the line', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CREG=2');
      const a = await dte.command('AT+CREG?;+CGREG?;+CMEE?');
      expect(a.lines).toEqual(['+CREG: 2,1,"A51C","3F2B"', '+CGREG: 0,1', '+CMEE: 0']);
      expect(a.final.kind).toBe('ok');
      const b = await dte.command('AT+CMEE=1;+NOPE;+CMEE=2');
      expect(b.final.kind).toBe('error');
      expect(modem.session!.settings.cmee).toBe(1);
    });
  });

  it('unknown commands, bad syntax and a CEREG on a 2G module answer ERROR; acknowledged settings answer OK', async () => {
    const { clock, dte } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(7000);
      for (const line of ['AT+XYZZY', 'AT+CREG=', 'AT+CEREG?', 'AT+QIACT=1', 'ATE7', 'AT+CREG="x']) expect((await dte.command(line)).final.kind, line).toBe('error');
      expect((await dte.command('AT+CNETLIGHT=0')).final.kind).toBe('ok');
    });
  });

  it('S-registers read back; A/ repeats the last line', async () => {
    const { clock, dte, modem, wire } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(7000);
      expect((await dte.command('ATS3?')).lines).toEqual(['013']);
      await dte.command('AT+CSQ');
      dte.decoder.beginCommand('A/');
      const before = modem.received.length;
      await wire.a.write(ascii('A/'));
      await clock.sleep(200);
      expect(modem.received.length).toBe(before + 1);
      expect(modem.received[before]!.line).toBe('AT+CSQ');
    });
  });
});

describe('test surface', () => {
  it('received, expectCommand, clearReceived, and behaviors newest first', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(7000);
      const seen = modem.expectCommand(1000, hasCommand('+CSQ'));
      await dte.command('AT+CSQ');
      const r = await seen;
      expect(r.line).toBe('AT+CSQ');
      expect(r.at).toBeGreaterThan(0);
      const remove = modem.defineBehavior({ onCommand: (cmd) => (cmd.syntax === 'extended' && cmd.name === '+CSQ' ? { lines: ['+CSQ: 5,0'] } : undefined) });
      modem.defineBehavior({ onCommand: (cmd) => (cmd.syntax === 'extended' && cmd.name === '+CSQ' ? { lines: ['+CSQ: 9,0'] } : undefined) });
      expect((await dte.command('AT+CSQ')).lines).toEqual(['+CSQ: 9,0']);
      remove();
      expect((await dte.command('AT+CSQ')).lines).toEqual(['+CSQ: 9,0']);
      modem.clearReceived();
      expect(modem.received).toEqual([]);
      await expect(modem.expectCommand(100)).rejects.toThrow(/no matching command/);
    });
  });
});
