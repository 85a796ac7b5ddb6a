import { describe, expect, it } from 'vitest';
import { ascii } from '../../core/bytes.ts';
import { ESC } from '../../protocols/at/index.ts';
import { bench } from './test-dte.ts';

describe('SMS', () => {
  it('text mode: the prompt, +CMGS: <mr>, and the message in the outbox with its time and technology', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      expect((await dte.command('AT+CMGF=1')).final.kind).toBe('ok');
      expect((await dte.command('AT+CMGF?')).lines).toEqual(['+CMGF: 1']);
      const sent = clock.now();
      const a = await dte.command('AT+CMGS="+905321234567"', { data: 'Giris 1 kapandi' });
      expect(a.prompted).toBe(true);
      expect(a.lines).toEqual(['+CMGS: 1']);
      expect(a.final.kind).toBe('ok');
      expect(modem.smsOutbox).toHaveLength(1);
      expect(modem.smsOutbox[0]).toMatchObject({ to: '+905321234567', text: 'Giris 1 kapandi', reference: 1, technology: 'gsm' });
      expect(modem.smsOutbox[0]!.at - sent).toBeGreaterThanOrEqual(3000);
      expect((await dte.command('AT+CMGS="+905321234567"', { data: 'ikinci' })).lines).toEqual(['+CMGS: 2']);
    });
  });

  it('PDU mode keeps the PDU as hex; ESC cancels; no SIM, a PIN or no network refuse with +CMS ERROR', async () => {
    const { clock, dte, modem, wire } = bench({ profile: 'EC25' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      expect((await dte.command('AT+CMGS=18', { data: '0011000B910935121143F70000AA05C8329BFD06' })).lines).toEqual(['+CMGS: 1']);
      expect(modem.smsOutbox[0]!.pdu).toBe('0011000B910935121143F70000AA05C8329BFD06');
      await dte.command('AT+CMGF=1');
      const cancelled = dte.command('AT+CMGS="+905321234567"');
      await clock.sleep(100);
      await wire.a.write(Uint8Array.of(...ascii('never'), ESC));
      expect((await cancelled).final.kind).toBe('ok');
      expect(modem.smsOutbox).toHaveLength(1);
      modem.addFault({ kind: 'no-coverage' });
      await clock.sleep(10);
      expect((await dte.command('AT+CMGS="+905321234567"')).finalText).toBe('+CMS ERROR: 331');
    });
    const noSim = bench({ profile: 'SIM800C', sim: { state: 'absent' } });
    await noSim.clock.run(async () => {
      await noSim.clock.sleep(9000);
      await noSim.dte.command('AT+CMEE=1;+CMGF=1');
      expect((await noSim.dte.command('AT+CMGS="+905321234567"')).finalText).toBe('+CMS ERROR: 310');
    });
    const pin = bench({ profile: 'SIM800C', sim: { state: 'pin' } });
    await pin.clock.run(async () => {
      await pin.clock.sleep(9000);
      await pin.dte.command('AT+CMEE=1;+CMGF=1');
      expect((await pin.dte.command('AT+CMGS="+905321234567"')).finalText).toBe('+CMS ERROR: 311');
    });
  });
});
