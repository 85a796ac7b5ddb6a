import { describe, expect, it } from 'vitest';
import { gsmLedState } from './status.ts';
import { ModemManager, simFrom } from './modem-manager.ts';
import { info, ok, scriptedDce, type Script } from './scripted-dce.ts';

/** A module that answers the bring-up; `over` decides first. */
function module(model: string, over: Script = () => undefined): Script {
  return (l) => {
    const o = over(l);
    if (o !== undefined) return o;
    if (l === 'AT+CGMM') return info(model) + ok;
    if (l === 'AT+CPIN?') return info('+CPIN: READY') + ok;
    if (l === 'AT+CSQ') return info('+CSQ: 20,0') + ok;
    if (l === 'AT+CIFSR') return info('10.1.2.3');
    if (l === 'AT+CIPSHUT') return info('SHUT OK');
    if (l === 'AT+QIACT?') return info('+QIACT: 1,1,1,"10.1.2.4"') + ok;
    if (/^AT\+C(E|G)?REG\?$/.test(l)) return info(`${l.slice(2, -1)}: 2,1`) + ok;
    return ok;
  };
}

describe('ModemManager', () => {
  it('SIMCom by its AT+CGMM answer: ATE0, CMEE, SIM, registration, CSTT/CIICR/CIFSR; online on 2G', async () => {
    const dce = scriptedDce(module('SIMCOM_SIM800C'));
    const m = new ModemManager({ endpoint: dce.wire.a, clock: dce.clock, apn: { apn: 'm2m' } });
    await dce.clock.run(() => m.ensureOnline());
    expect(m.status()).toMatchObject({ state: 'online', dialect: 'simcom', sim: 'ready', registration: 'registered-home', technology: '2g', ip: '10.1.2.3', signal: { rssi: 20, dbm: -73 } });
    expect(dce.lines.slice(0, 5)).toEqual(['AT', 'ATE0', 'AT+CMEE=2', 'AT+CGMM', 'AT+CPIN?']);
    expect(dce.lines).toContain('AT+CSTT="m2m","",""');
    expect(dce.lines).toContain('AT+CREG=2');
    expect(dce.lines).toContain('AT+CGREG=2');
  });

  it('Quectel: scan mode automatic, registered on CEREG → 4G, roaming', async () => {
    const dce = scriptedDce(module('EC25', (l) => (l === 'AT+CEREG?' ? info('+CEREG: 2,5,"1A2B","01A2B3C4",7') + ok : undefined)));
    const m = new ModemManager({ endpoint: dce.wire.a, clock: dce.clock, apn: { apn: 'internet' } });
    await dce.clock.run(() => m.ensureOnline());
    expect(m.status()).toMatchObject({ state: 'online', dialect: 'quectel', registration: 'roaming', technology: '4g', ip: '10.1.2.4' });
    expect(dce.lines).toContain('AT+QCFG="nwscanmode",0,1');
    expect(dce.lines).toContain('AT+QICSGP=1,1,"internet","","",1');
  });

  it('SIM busy (+CME ERROR: 14) is waited out; SIM PUK stops everything with a clear status', async () => {
    let busy = 2;
    const dce = scriptedDce(module('SIM800C', (l) => (l === 'AT+CPIN?' ? (busy-- > 0 ? '\r\n+CME ERROR: 14\r\n' : info('+CPIN: SIM PUK') + ok) : undefined)));
    const m = new ModemManager({ endpoint: dce.wire.a, clock: dce.clock, apn: { apn: 'm2m' } });
    await dce.clock.run(async () => {
      await expect(m.ensureOnline()).rejects.toThrow(/PUK/);
      await expect(m.ensureOnline()).rejects.toThrow(/PUK/);
    });
    expect(m.status()).toMatchObject({ state: 'sim-failure', sim: 'sim-puk-required' });
    expect(dce.lines.filter((l) => l === 'AT+CPIN?')).toHaveLength(3);
    expect(dce.lines.some((l) => /REG|CSTT|CIICR/.test(l))).toBe(false);
    expect(gsmLedState(m.status())).toBe('off');
  });

  it('registration denied and no coverage are reported; the attempt ends at the registration time-out', async () => {
    const dce = scriptedDce(module('SIM800C', (l) => (l === 'AT+CGREG?' ? info('+CGREG: 2,3') + ok : l === 'AT+CREG?' ? info('+CREG: 2,3') + ok : undefined)));
    const m = new ModemManager({ endpoint: dce.wire.a, clock: dce.clock, apn: { apn: 'm2m' }, timing: { registrationTimeoutMs: 30_000 } });
    const leds: string[] = [];
    m.onStatus((s) => leds.push(gsmLedState(s)));
    await dce.clock.run(async () => {
      await expect(m.ensureOnline()).rejects.toThrow(/denied/);
    });
    expect(m.status().registration).toBe('denied');
    expect(leds).toContain('blink');

    const quiet = scriptedDce(module('SIM800C', (l) => (l === 'AT+CSQ' ? info('+CSQ: 99,99') + ok : /REG\?$/.test(l) ? info(`${l.slice(2, -1)}: 2,2`) + ok : undefined)));
    const q = new ModemManager({ endpoint: quiet.wire.a, clock: quiet.clock, apn: { apn: 'm2m' }, timing: { registrationTimeoutMs: 90_000 } });
    await quiet.clock.run(async () => {
      await expect(q.ensureOnline()).rejects.toThrow(/no-coverage/);
    });
    expect(q.status()).toMatchObject({ registration: 'no-coverage', signal: { rssi: 99, dbm: undefined } });
  });

  it('a module that never answers: CFUN reset unanswered, power cycle, then failed without power control', async () => {
    const dce = scriptedDce(() => undefined);
    let cycles = 0;
    const m = new ModemManager({ endpoint: dce.wire.a, clock: dce.clock, apn: { apn: 'm2m' }, powerCycle: () => void cycles++ });
    await dce.clock.run(async () => {
      await expect(m.ensureOnline()).rejects.toThrow(/power cycle/);
    });
    expect(cycles).toBe(1);
    expect(m.status()).toMatchObject({ state: 'failed', resets: 1 });
    expect(dce.lines).toContain('AT+CFUN=1,1');
  });

  it('simFrom: +CPIN texts and CME codes', () => {
    expect(simFrom('+CPIN: READY', undefined)).toBe('ready');
    expect(simFrom('+CPIN: SIM PIN', undefined)).toBe('sim-pin-required');
    expect(simFrom(undefined, 10)).toBe('sim-absent');
    expect(simFrom('+CPIN: NOT INSERTED', undefined)).toBe('sim-absent');
    expect(simFrom(undefined, 14)).toBe('unknown');
  });
});
