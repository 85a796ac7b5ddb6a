/**
 * The cloud's alarm rules and notifications end to end, on virtual time: real terminal code,
 * emulated devices on their lines, the fake cloud with its alarms, e-mail over real SMTP to the
 * embedded capture and SMS through the gateway stand-in.
 *
 * - An HT E21 reads a Makel C500 on RS-232 and a Grup Arge relay on RS-485. For the first 45
 *   minutes the site draws three times its load, more reactive power than the relay's bank can
 *   compensate: the month's inductive ratio goes over 20 %. One alarm, one e-mail and one SMS
 *   (the SMS gateway refuses twice first); the compensated site brings the ratio back under the
 *   limit and the alarm clears, once, with one e-mail and one SMS again.
 * - An HT G24 (AC) reports a mains outage: raised and cleared once, told to its recipient.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { IEC_OPENING, MODBUS_DEFAULT } from '../../lines/settings.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { findMeterProfile, loadMeterProfiles } from '../../emulators/meters/profile-loader.ts';
import { createModbusDevice, type ModbusDevice } from '../../emulators/modbus/device.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import type { Alarms } from '../../fake-cloud/alarms/alarms.ts';
import { cloudAlarms } from '../../fake-cloud/alarms/test-support.ts';
import { FakeCloud } from '../../fake-cloud/fake-cloud.ts';
import type { Notifier } from '../../fake-cloud/notify/notifier.ts';
import { parseTerminalConfig } from '../../terminal/config.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import { Terminal } from '../../terminal/terminal.ts';
import { memoryOutboxFs } from '../../terminal/uplink/outbox-memfs.ts';
import { IoBench, logger } from './io-rig.ts';
import { modbusProfiles } from './modbus-rig.ts';

const MIN = 60_000;
const MODEM = '21000042';
const SECRET = '0123456789abcdef0123456789abcdef';
const METER = '80099921';

class ReactiveSite {
  readonly clock = new VirtualClock();
  readonly cloud = new FakeCloud({ clock: this.clock, logger });
  readonly alarms: Alarms;
  readonly notifier: Notifier;
  private readonly stopAlarms: () => Promise<void>;
  /** What the plant draws: 100 kW at cos φ 0.7 (102 kvar), three times that for the first 45 min. */
  readonly plant = new SiteLoad({ baseKw: 100, peakKw: 100, powerFactor: 0.7, noise: 0 });
  readonly relay: ModbusDevice;
  readonly meter: EmulatedMeter;
  readonly terminal: Terminal;

  constructor() {
    ({ alarms: this.alarms, notifier: this.notifier, stop: this.stopAlarms } = cloudAlarms(this.cloud, this.clock));
    this.plant.override({ from: this.clock.now(), to: this.clock.now() + 45 * MIN, scale: 3 });
    const bus = new Rs485Bus(this.clock, 'rs485');
    // Grup Arge screenless relay, 12 steps, 210 kvar in all; address 147 from its serial.
    this.relay = createModbusDevice({ profile: 'grup-arge/screenless-compensation-relay', profiles: modbusProfiles, serial: '2024010347', clock: this.clock, load: this.plant, endpoint: bus.attach('relay', { settings: MODBUS_DEFAULT }) });
    const wire = new VirtualWire(this.clock, 'rs232', { id: 'rs232/terminal', settings: IEC_OPENING }, { id: 'rs232/meter', settings: IEC_OPENING });
    const profile = findMeterProfile('Makel', 'C500', loadMeterProfiles().map((l) => l.profile))!;
    this.meter = new EmulatedMeter({ clock: this.clock, endpoint: wire.b, profile, serial: METER, port: 'rs232', load: this.relay.siteLoad, initialKwh: 1000 });
    const model = findTerminalModel('HT E21');
    this.cloud.provisionModem({ modemNo: MODEM, secret: SECRET, model: model.model });
    this.cloud.service.setModbusDevices(MODEM, { devices: [{ address: 147, type: 'compensation-relay' }] });
    this.terminal = new Terminal({
      clock: this.clock,
      model,
      config: parseTerminalConfig({ modemNo: MODEM, secret: SECRET, sendPeriodMin: 15, meters: { rs232: { serial: METER, brand: 'Makel' } } }, model),
      ports: { rs232: wire.a, rs485: bus.attach('terminal', { settings: MODBUS_DEFAULT }) },
      dialer: new MemoryDialer(this.clock, this.cloud.uplink, `uplink/${MODEM}`, { latencyMs: 80 }),
      storageDir: '/flash/outbox',
      storageFs: memoryOutboxFs(),
      logger,
    });
  }

  async dispose(): Promise<void> {
    await this.clock.run(this.terminal.stop());
    await this.stopAlarms();
    await this.cloud.stop();
    this.meter.dispose();
    this.relay.dispose();
  }
}

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

describe('cloud alarms end to end', () => {
  it('a reactive ratio breach: one alarm, one e-mail and one SMS to the chosen people (the gateway failing twice), cleared once', async () => {
    const site = new ReactiveSite();
    cleanup = () => site.dispose();
    const { clock, alarms, notifier } = site;
    site.cloud.service.setSiteSettings(MODEM, {
      location: { name: 'Konya OSB, 3. cadde' },
      recipients: [
        { name: 'Ayşe Yılmaz', email: 'ayse.yilmaz@example.com', phone: '+905321234567', alarms: ['reactive-ratio'] },
        { email: 'bakim@example.com', alarms: ['mains-outage'] }, // not told about this kind
      ],
    });
    notifier.sms.failNext(2);
    await clock.run(site.terminal.start());

    const ratio = () => alarms.list(MODEM, { rule: 'reactive-ratio' });
    await clock.runFor(60 * MIN);
    expect(ratio()).toMatchObject([{ state: 'open', subject: `meter:${METER}/inductive` }]);
    const raised = ratio()[0]!;
    // at the 00:30 readout: the first whose month holds 15 minutes of the overload
    expect(raised.raisedAt - Date.UTC(2026, 0, 5, 0, 30)).toBeGreaterThan(0);
    expect(raised.raisedAt - Date.UTC(2026, 0, 5, 0, 30)).toBeLessThan(MIN);
    expect(raised.details!.value).toBeGreaterThan(25);
    expect(raised.raisedText).toMatch(/^inductive ratio \d+\.\d+ % \(.* kvarh \/ .* kWh since 2026-01-01\), over the limit of 20 %$/);

    // The e-mail went over SMTP while virtual time stood still: received at the instant of the alarm.
    const mail = notifier.capture.messages({ alarmId: raised.id });
    expect(mail).toMatchObject([{ to: ['ayse.yilmaz@example.com'], subject: `[ALARM] modem ${MODEM}: reactive ratio over the limit (meter ${METER}, inductive)`, transition: 'raised', receivedAt: raised.notedAt }]);
    expect(mail[0]!.text).toContain('Site:      Konya OSB, 3. cadde');
    expect(mail[0]!.text).toContain('Modem:     21000042 (HT E21)');
    expect(mail[0]!.text).toContain('Limit:     20 %');
    // The SMS: refused twice, accepted at the third try (30 s + 60 s of back-off).
    const smsTries = notifier.sms.attempts.filter((a) => a.to === '+905321234567');
    expect(smsTries.map((a) => [a.ok, a.at - raised.notedAt])).toEqual([[false, 0], [false, 30_000], [true, 90_000]]);
    expect(notifier.sms.messages({ alarmId: raised.id })).toHaveLength(1);

    // The compensated site (cos φ ≈ 0.99 from 00:45) brings the month's ratio back under 19.5 %.
    await clock.run(async () => {
      while (ratio()[0]!.state === 'open') await clock.sleep(15 * MIN);
    }, { label: 'reactive ratio alarm cleared', limitMs: 24 * 3_600_000 });
    await clock.runFor(2 * 3_600_000); // and it stays cleared
    const [cleared] = ratio();
    expect(ratio()).toHaveLength(1);
    expect(cleared).toMatchObject({ id: raised.id, state: 'cleared' });
    expect(cleared!.clearedText).toMatch(/^inductive ratio \d+\.\d+ % \(.* since 2026-01-01\), within the limit of 20 %$/);
    expect(cleared!.clearDetails!.value).toBeLessThanOrEqual(19.5);

    // One e-mail and one SMS per transition, to the person who takes this kind only.
    expect(notifier.capture.messages().filter((m) => m.alarmId === raised.id).map((m) => [m.to[0], m.transition])).toEqual([['ayse.yilmaz@example.com', 'raised'], ['ayse.yilmaz@example.com', 'cleared']]);
    expect(notifier.sms.messages({ alarmId: raised.id }).map((m) => m.text.split(' ')[0])).toEqual(['ALARM', 'CLEARED']);
    expect(notifier.capture.messages({ to: 'bakim@example.com' })).toEqual([]);
    // The month-end forecast went over as well (judged every 6 h); nobody here takes that kind.
    expect(alarms.list(MODEM, { rule: 'reactive-forecast' })).toMatchObject([{ raisedAt: raised.raisedAt }]);
    expect(notifier.outbox().filter((r) => r.alarmId !== raised.id)).toEqual([]);
    // Nothing else went wrong on the site.
    expect(alarms.list(MODEM).filter((a) => !a.rule.startsWith('reactive'))).toEqual([]);
    expect(site.cloud.service.events(MODEM, { name: 'alarm-rule-failed' })).toEqual([]);
  });

  it('a mains outage on an AC G model is raised and cleared once, and told', async () => {
    const bench = new IoBench();
    const { alarms, notifier, stop } = cloudAlarms(bench.cloud, bench.clock);
    cleanup = async () => {
      await stop();
      await bench.dispose();
    };
    const g24 = bench.modem('24000007', 'HT G24');
    bench.cloud.service.setSiteSettings('24000007', { recipients: [{ email: 'bakim@example.com', phone: '+905551112233', alarms: ['mains-outage'] }] });
    await bench.start();
    const from = bench.clock.now() + MIN;
    g24.mains.scheduleOutage(from, from + 10 * MIN);
    await bench.clock.runFor(15 * MIN);
    const list = alarms.list('24000007');
    expect(list).toMatchObject([{ rule: 'mains-outage', state: 'cleared', raisedAt: from, clearedAt: from + 10 * MIN + 2000, clearedText: 'mains supply back after 10 min 2 s' }]);
    expect(alarms.transitions.map((t) => t.transition)).toEqual(['raised', 'cleared']);
    expect(notifier.capture.messages().map((m) => [m.subject, m.transition])).toEqual([
      ['[ALARM] modem 24000007: mains outage (mains supply)', 'raised'],
      ['[CLEARED] modem 24000007: mains outage (mains supply)', 'cleared'],
    ]);
    expect(notifier.sms.messages().map((m) => m.text)).toEqual([
      `ALARM 24000007: mains outage, mains supply lost at the terminal. 2026-01-05 03:01 #${list[0]!.id}`,
      `CLEARED 24000007: mains outage, mains supply back after 10 min 2 s. 2026-01-05 03:11 #${list[0]!.id}`,
    ]);
  });
});
