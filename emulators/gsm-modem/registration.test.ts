import { describe, expect, it } from 'vitest';
import { CSQ, rssiToDbm } from '../../protocols/at/index.ts';
import { OPERATORS } from './network.ts';
import { bench, undeclaredUrcs } from './test-dte.ts';

const MIN = 60_000;

describe('registration follows the radio', () => {
  it('flapping coverage: +CREG/+CGREG URCs (n=1) go 1 → 2 → 1 with the curve, CSQ 99 without a cell', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C', radio: { gsm: { kind: 'flapping', dbm: -79, upMin: 10, downMin: 5 } } });
    const start = clock.now();
    await clock.run(async () => {
      await clock.sleep(8000);
      await dte.command('AT+CREG=1;+CGREG=1');
      expect((await dte.command('AT+CSQ')).lines).toEqual([CSQ.format({ rssi: 17, ber: 0 })]);
      const from = dte.urcs.length;
      await clock.sleep(start + 10 * MIN + 1000 - clock.now());
      expect(dte.urcTexts().slice(from)).toEqual(['+CREG: 2', '+CGREG: 2']);
      expect((await dte.command('AT+CSQ')).lines).toEqual(['+CSQ: 99,99']);
      await clock.sleep(start + 15 * MIN + 5000 - clock.now());
      expect(dte.urcTexts().slice(from)).toEqual(['+CREG: 2', '+CGREG: 2', '+CREG: 1', '+CGREG: 1']);
      const back = dte.urcs[from + 2]!.at - (start + 15 * MIN);
      expect(back).toBeGreaterThanOrEqual(4000);
      expect(back).toBeLessThan(4100);
      expect(modem.state().registration).toEqual({ stat: 1, technology: 'gsm', operator: 'TURKCELL' });
      expect(undeclaredUrcs(dte, modem)).toEqual([]);
    });
  });

  it('n=2 URCs carry LAC and cell id; EC25 adds AcT 7 on LTE', async () => {
    const { clock, dte } = bench({ profile: 'EC25', radio: { lte: { kind: 'steps', steps: [{ atMin: 0, dbm: -80 }, { atMin: 5, dbm: null }] }, gsm: { kind: 'constant', dbm: -85 } } });
    await clock.run(async () => {
      await clock.sleep(25_000);
      await dte.command('AT+CREG=2;+CEREG=2');
      expect((await dte.command('AT+CEREG?')).lines).toEqual(['+CEREG: 2,1,"5A1E","0B2C4D01",7']);
      expect((await dte.command('AT+COPS?')).lines).toEqual(['+COPS: 0,0,"TURKCELL",7']);
      const from = dte.urcs.length;
      await clock.sleep(5 * MIN);
      expect(dte.urcTexts().slice(from)).toEqual(['+CREG: 2', '+CEREG: 2', '+CREG: 1,"A51C","3F2B",0', '+CEREG: 0']);
      expect((await dte.command('AT+COPS?')).lines).toEqual(['+COPS: 0,0,"TURKCELL",0']);
      expect((await dte.command('AT+QNWINFO')).lines).toEqual(['+QNWINFO: "GSM","28601","GSM 900",62']);
    });
  });

  it('a week of coverage flapping every 15 minutes: every loss and return is reported, nothing accumulates', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C', radio: { gsm: { kind: 'flapping', dbm: -85, upMin: 10, downMin: 5 } } });
    await clock.run(async () => {
      await clock.sleep(8000);
      await dte.command('AT+CREG=1');
      const from = dte.urcs.length;
      await clock.sleep(7 * 24 * 60 * MIN);
      const urcs = dte.urcTexts().slice(from);
      expect(urcs.filter((u) => u === '+CREG: 2')).toHaveLength(672);
      expect(urcs.filter((u) => u === '+CREG: 1')).toHaveLength(672);
      expect(clock.pendingTimers).toBeLessThan(10);
      expect(modem.state().registration.stat).toBe(1);
    });
  });
});

describe('access technology', () => {
  it('a 4G module registers on LTE where the site has it, on GSM where it has not', async () => {
    const lte = bench({ profile: 'EC25' });
    await lte.clock.run(async () => {
      await lte.clock.sleep(20_000);
      expect(lte.modem.state().registration.technology).toBe('lte');
      expect((await lte.dte.command('AT+QNWINFO')).lines).toEqual(['+QNWINFO: "FDD LTE","28601","LTE BAND 3",1650']);
    });
    const noLte = bench({ profile: 'EC25', radio: { gsm: { kind: 'constant', dbm: -81 } } });
    await noLte.clock.run(async () => {
      await noLte.clock.sleep(20_000);
      expect(noLte.modem.state().registration).toMatchObject({ stat: 1, technology: 'gsm' });
      expect((await noLte.dte.command('AT+CEREG?')).lines).toEqual(['+CEREG: 0,0']);
      expect((await noLte.dte.command('AT+CREG?')).lines).toEqual(['+CREG: 0,1']);
    });
  });

  it('a 2G-only module never sees LTE, even at a site with LTE only (it searches)', async () => {
    const { clock, dte, modem } = bench({ profile: 'SIM800C', radio: { lte: { kind: 'constant', dbm: -70 } } });
    await clock.run(async () => {
      await clock.sleep(20_000);
      expect(modem.state().registration.stat).toBe(2);
      expect((await dte.command('AT+CREG?')).lines).toEqual(['+CREG: 0,2']);
      expect((await dte.command('AT+CSQ')).lines).toEqual(['+CSQ: 99,99']);
    });
  });

  it('nwscanmode narrows the choice: 1 GSM only, 3 LTE only, 0 back to automatic', async () => {
    const { clock, dte, modem } = bench({ profile: 'EC25' });
    await clock.run(async () => {
      await clock.sleep(20_000);
      expect((await dte.command('AT+QCFG="nwscanmode"')).lines).toEqual(['+QCFG: "nwscanmode",0']);
      await dte.command('AT+QCFG="nwscanmode",1,1');
      await clock.sleep(6000);
      expect(modem.state().registration.technology).toBe('gsm');
      await dte.command('AT+QCFG="nwscanmode",0,1');
      await clock.sleep(4000);
      expect(modem.state().registration.technology).toBe('lte');
    });
  });
});

describe('network and signal', () => {
  it('roaming (5), denied (3) and the operator name formats', async () => {
    const roam = bench({ profile: 'SIM800C', network: { roaming: true, operator: OPERATORS.vodafone } });
    await roam.clock.run(async () => {
      await roam.clock.sleep(9000);
      expect((await roam.dte.command('AT+CREG?')).lines).toEqual(['+CREG: 0,5']);
      await roam.dte.command('AT+COPS=3,2');
      expect((await roam.dte.command('AT+COPS?')).lines).toEqual(['+COPS: 0,2,"28602"']);
      expect((await roam.dte.command('AT+COPS=?', { timeoutMs: 60_000 })).lines).toEqual(['+COPS: (2,"Vodafone TR","VF TR","28602"),,(0-4),(0-2)']);
    });
    const denied = bench({ profile: 'SIM800C', network: { denied: true } });
    await denied.clock.run(async () => {
      await denied.clock.sleep(9000);
      expect((await denied.dte.command('AT+CREG?')).lines).toEqual(['+CREG: 0,3']);
      expect((await denied.dte.command('AT+COPS?')).lines).toEqual(['+COPS: 0']);
      expect((await denied.dte.command('AT+CGATT?')).lines).toEqual(['+CGATT: 0']);
    });
  });

  it('the cabled antenna raises CSQ over the rod; a weak site reports a low CSQ and still registers', async () => {
    const rod = bench({ profile: 'SIM800C', radio: { gsm: { kind: 'weak' } } });
    await rod.clock.run(async () => {
      await rod.clock.sleep(9000);
      const csq = CSQ.parse((await rod.dte.command('AT+CSQ')).lines[0]!);
      expect(rssiToDbm(csq.rssi)).toBe(-101);
      expect(rod.modem.state().registration.stat).toBe(1);
      rod.modem.coverage.antenna = 'cabled';
      expect(CSQ.parse((await rod.dte.command('AT+CSQ')).lines[0]!).rssi).toBe(csq.rssi + 5);
    });
  });

  it('AT+CFUN=4 drops registration (URC), AT+CFUN=1 brings it back', async () => {
    const { clock, dte } = bench({ profile: 'SIM800C' });
    await clock.run(async () => {
      await clock.sleep(9000);
      await dte.command('AT+CREG=1');
      await dte.command('AT+CFUN=4');
      await clock.sleep(10);
      expect(dte.urcTexts().at(-1)).toBe('+CREG: 0');
      expect((await dte.command('AT+CFUN?')).lines).toEqual(['+CFUN: 4']);
      expect((await dte.command('AT+CSQ')).lines).toEqual(['+CSQ: 99,99']);
      await dte.command('AT+CFUN=1');
      await clock.sleep(5000);
      expect(dte.urcTexts().slice(-2)).toEqual(['+CREG: 2', '+CREG: 1']);
    });
  });
});
