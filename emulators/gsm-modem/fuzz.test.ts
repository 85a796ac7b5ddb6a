import { describe, expect, it } from 'vitest';
import { ascii } from '../../core/bytes.ts';
import { bench } from './test-dte.ts';
import { mulberry32 } from '../../core/random.ts';

const prng = mulberry32;
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
