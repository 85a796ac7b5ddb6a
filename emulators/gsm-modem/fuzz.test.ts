import { describe, expect, it } from 'vitest';
import { ascii } from '../../core/bytes.ts';
import { bench } from './test-dte.ts';
import { mulberry32 } from '../../core/random.ts';

const prng = mulberry32;

const CORPUS = [
  'AT', 'ATE1', 'ATV1', 'ATI', 'AT+CSQ', 'AT+CREG=2', 'AT+CREG?', 'AT+CGREG?', 'AT+CEREG?', 'AT+COPS?', 'AT+CPIN?', 'AT+CPIN="1234"',
  'AT+CLCK="SC",2', 'AT+CCID', 'AT+QCCID', 'AT+CIMI', 'AT+CGATT?', 'AT+CGATT=1', 'AT+CMEE=2', 'AT+CMGF=1', 'AT+CMGS="+905321234567"',
  'AT+CSTT="internet"', 'AT+CIICR', 'AT+CIFSR', 'AT+CIPSTART="TCP","h",1', 'AT+CIPSEND=5', 'AT+CIPSEND', 'AT+CIPRXGET=1', 'AT+CIPRXGET=2,10',
  'AT+CIPSTATUS', 'AT+CIPCLOSE', 'AT+CIPSHUT', 'AT+CIPMUX=1', 'AT+CIPHEAD=1', 'AT+QICSGP=1,1,"internet","","",1', 'AT+QIACT=1', 'AT+QIACT?',
  'AT+QIOPEN=1,0,"TCP","h",1,0,0', 'AT+QISEND=0,5', 'AT+QISEND=0', 'AT+QIRD=0,10', 'AT+QICLOSE=0', 'AT+QIDEACT=1', 'AT+QISTATE?',
  'AT+QCFG="nwscanmode",0,1', 'AT+QNWINFO', 'AT+CCLK?', 'A/', 'AT+CGDCONT=1,"IP","internet"', 'AT+COPS=3,2',
];
const CHARS = 'AT+=?,";0123456789CQIREGSPN"\\ \x08\x1a\x1b\r';
const DANGER = /IPR|POWD|CFUN|S\d|Q1|V0|&F|Z/i;

function mutate(r: () => number, line: string): string {
  let s = line;
  const n = Math.floor(r() * 4);
  for (let i = 0; i < n; i++) {
    const at = Math.floor(r() * (s.length + 1));
    const op = r();
    const c = CHARS[Math.floor(r() * CHARS.length)]!;
    if (op < 0.4) s = s.slice(0, at) + c + s.slice(at);
    else if (op < 0.7) s = s.slice(0, at) + s.slice(at + 1);
    else s = s.slice(0, at) + c + s.slice(at + 1);
  }
  return s;
}

describe('fuzz', () => {
  for (const profile of ['SIM800C', 'EC25']) {
    it(`${profile}: thousands of mutated lines, prompt data and junk never break the module`, async () => {
      const { clock, wire, modem, dte } = bench({ profile });
      const r = prng(profile === 'EC25' ? 7 : 11);
      await clock.run(async () => {
        await clock.sleep(20_000);
        let sent = 0;
        for (let i = 0; i < 1500; i++) {
          const pick = r();
          let bytes: Uint8Array;
          if (pick < 0.1) bytes = Uint8Array.from({ length: Math.floor(r() * 40) }, () => Math.floor(r() * 256));
          else {
            const line = mutate(r, CORPUS[Math.floor(r() * CORPUS.length)]!);
            if (DANGER.test(line)) continue;
            bytes = ascii(`${line}\r`);
            sent++;
          }
          await wire.a.write(bytes);
          await clock.sleep(r() < 0.1 ? 3000 : 5 + r() * 50);
        }
        expect(sent).toBeGreaterThan(1000);
        expect(modem.received.length).toBeGreaterThan(500);
        await wire.a.write(Uint8Array.of(0x1b, 0x1a));
        await clock.sleep(40_000);
        dte.decoder.endCommand();
        const a = await dte.command('AT', { timeoutMs: 30_000 });
        expect(a.final.kind).toBe('ok');
        expect(modem.powerState()).toBe('on');
      });
    });
  }
});
