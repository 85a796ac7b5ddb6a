import { describe, expect, it } from 'vitest';
import { ascii } from '../../core/bytes.ts';
import { gsmLedState, type CellularStatus } from '../../terminal/cellular/index.ts';
import { cellularRig, collect } from './cellular-rig.ts';

describe('cellular uplink against the emulated module', () => {
  for (const [profile, dialect, technology] of [
    ['SIM800C', 'simcom', '2g'],
    ['quectel/ec25-e', 'quectel', '4g'],
  ] as const) {
    it(`${profile}: bring-up, socket, data both ways (a 3000-byte write in chunks), close`, async () => {
      const { clock, dialer, cloud, modem } = cellularRig({ profile });
      const leds: string[] = [];
      dialer.onStatus((s) => leds.push(gsmLedState(s)));
      await clock.run(async () => {
        const link = await dialer.dial();
        const got = collect(link);
        const s = dialer.status();
        expect(s).toMatchObject({ state: 'online', sim: 'ready', registration: 'registered-home', technology, dialect, resets: 0 });
        expect(s.signal!.rssi).toBeGreaterThan(0);
        expect(s.signal!.dbm).toBeLessThan(-50);
        expect(dialer.gsmLed()).toBe('on');
        const big = 'x'.repeat(3000);
        await link.write(ascii('hello'));
        await link.write(ascii(big));
        await clock.sleep(5_000);
        expect(cloud.text()).toBe(`hello${big}`);
        expect(got.text()).toBe(`hello${big}`);
        const sends = modem.received.filter((r) => /^AT\+(CIPSEND|QISEND)=/.test(r.line)).map((r) => r.line);
        expect(sends).toEqual(dialect === 'simcom' ? ['AT+CIPSEND=5', 'AT+CIPSEND=1460', 'AT+CIPSEND=1460', 'AT+CIPSEND=80'] : ['AT+QISEND=0,5', 'AT+QISEND=0,1460', 'AT+QISEND=0,1460', 'AT+QISEND=0,80']);
        link.close();
        await clock.sleep(2_000);
        expect(got.closed()).toBe('closed by the terminal');
        expect(cloud.links[0]!.closed).toBe(true);
        expect(modem.received.some((r) => r.line === (dialect === 'simcom' ? 'AT+CIPCLOSE' : 'AT+QICLOSE=0'))).toBe(true);
      });
      expect(leds).toContain('blink');
      expect(leds.at(-1)).toBe('on');
    });
  }

  it('SIM with a PIN: sim-pin-required, and no registration, attach or socket command ever', async () => {
    const { clock, dialer, modem } = cellularRig({ profile: 'SIM800C', sim: { state: 'pin', pin: '1234' } });
    const checks = () => modem.received.filter((r) => r.line === 'AT+CPIN?').length;
    await clock.run(async () => {
      await expect(dialer.dial()).rejects.toThrow(/PIN/);
      const first = checks();
      const lines = modem.received.length;
      for (let i = 0; i < 5; i++) {
        await clock.sleep(60_000);
        await expect(dialer.dial()).rejects.toThrow(/PIN/);
      }
      expect(modem.received.length).toBe(lines);
      await clock.sleep(60 * 60_000);
      await expect(dialer.dial()).rejects.toThrow(/PIN/);
      expect(checks()).toBe(first + 1);
    });
    expect(dialer.status()).toMatchObject({ state: 'sim-failure', sim: 'sim-pin-required' });
    expect(dialer.status().lastError).toMatch(/PIN lock must be disabled/);
    expect(dialer.gsmLed()).toBe('off');
    const lines = modem.received.map((r) => r.line);
    expect(lines.filter((l) => /CREG|CGREG|CEREG|CGATT|CSTT|CIICR|CIPSTART|QIACT|QIOPEN|CPIN=/.test(l))).toEqual([]);
  });

  it('no coverage for 30 min: no-coverage status, then online once the cell is back', async () => {
    const { clock, dialer, cloud } = cellularRig({ profile: 'SIM800C', radio: { gsm: { kind: 'steps', steps: [{ atMin: 0, dbm: null }, { atMin: 30, dbm: -85 }] } }, dialer: { timing: { pollMs: 10_000 } } });
    const seen = new Set<CellularStatus['registration']>();
    dialer.onStatus((s) => seen.add(s.registration));
    const start = clock.now();
    await clock.run(async () => {
      let link;
      while (!link) {
        try {
          link = await dialer.dial();
        } catch (err) {
          expect(String(err)).toMatch(/not registered/);
          await clock.sleep(60_000);
        }
      }
      expect(clock.now() - start).toBeGreaterThan(30 * 60_000);
      await link.write(ascii('back'));
      await clock.sleep(3_000);
      expect(cloud.text()).toBe('back');
    });
    expect(seen).toContain('no-coverage');
    expect(dialer.status()).toMatchObject({ registration: 'registered-home', technology: '2g' });
  });

  it('4G module on a GSM-only site ends on GSM', async () => {
    const { clock, dialer, cloud, modem } = cellularRig({ profile: 'quectel/ec25-e', radio: { gsm: { kind: 'constant', dbm: -85 }, lte: { kind: 'none' } } });
    await clock.run(async () => {
      const link = await dialer.dial();
      await link.write(ascii('on2g'));
      await clock.sleep(3_000);
      expect(cloud.text()).toBe('on2g');
    });
    expect(dialer.status()).toMatchObject({ state: 'online', technology: '2g' });
    expect(modem.counters.perTechnology.gsm.payloadSent).toBe(4);
  });

  for (const profile of ['SIM800C', 'quectel/ec25-e']) {
    it(`${profile}: PDP dropped mid-send closes the link with the reason; redial works`, async () => {
      const { clock, dialer, modem, cloud } = cellularRig({ profile });
      await clock.run(async () => {
        const link = await dialer.dial();
        const got = collect(link);
        modem.addFault({ kind: 'pdp-drop-on-send' }, { count: 1 });
        await expect(link.write(ascii('lost'))).rejects.toThrow(/SEND FAIL|ERROR/);
        await clock.sleep(3_000);
        expect(got.closed()).toMatch(/PDP context deactivated by the network/);
        expect(link.closed).toBe(true);
        expect(dialer.status().lastError).toMatch(/PDP/);
        const again = await dialer.dial();
        await again.write(ascii('again'));
        await clock.sleep(3_000);
        expect(cloud.text()).toBe('again');
        expect(dialer.status().state).toBe('online');
      });
    });
  }

  it('module hang: unanswered commands, reset (CFUN=1,1 unanswered, then a power cycle), back online', async () => {
    let cycles = 0;
    const rig = cellularRig({ profile: 'SIM800C', dialer: { powerCycle: () => { cycles++; rig.modem.powerCycle(); } } });
    const { clock, dialer, modem, cloud } = rig;
    await clock.run(async () => {
      const link = await dialer.dial();
      const got = collect(link);
      modem.addFault({ kind: 'hang' });
      await expect(link.write(ascii('hung'))).rejects.toThrow(/no answer/);
      expect(got.closed()).toMatch(/module not answering/);
      const again = await dialer.dial();
      await again.write(ascii('alive'));
      await clock.sleep(3_000);
      expect(cloud.text()).toContain('alive');
    });
    expect(cycles).toBe(1);
    expect(dialer.status()).toMatchObject({ state: 'online', resets: 1, sim: 'ready' });
    const sent = dialer.manager.at.exchanges.filter((e) => e.dir === 'tx' && e.kind === 'command').map((e) => e.text);
    expect(sent).toContain('AT+CFUN=1,1');
    expect(modem.received.map((r) => r.line)).toContain('AT+CIPSTART="TCP","uplink.smartpower.example",7001');
  });
});
