/**
 * The Modbus device list from the cloud's settings page to the terminal's bus and back: the cloud
 * stores it and pushes a `config`; the terminal (uplink client + outbox + Modbus side) applies it
 * from its next poll without a restart, keeps it in flash, and its readings reach the cloud.
 * One virtual clock; the two sides meet only on a memory link and the RS-485 bus.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import { createModbusDevice } from '../../emulators/modbus/device.ts';
import { FakeCloud } from '../../fake-cloud/fake-cloud.ts';
import type { RecordInput } from '../../protocols/uplink/records.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import { TerminalModbus } from '../../terminal/modbus/terminal-modbus.ts';
import { UplinkClient } from '../../terminal/uplink/client.ts';
import { Outbox } from '../../terminal/uplink/outbox.ts';
import { memoryOutboxFs } from '../../terminal/uplink/outbox-memfs.ts';
import { modbusProfiles, steadyLoad } from './modbus-rig.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const identity = { modemNo: 'G25-000777', secret: 'factory-key-000777', model: 'HT G25', firmware: '2.1.0' };
const relay = { address: 147, type: 'compensation-relay' };
const analyzer = { address: 1, type: 'analyzer', model: 'Eastron SDM630' };

class Site {
  readonly clock = new VirtualClock();
  readonly cloud = new FakeCloud({ clock: this.clock, logger });
  readonly bus = new Rs485Bus(this.clock, 'rs485');
  readonly port = this.bus.attach('terminal', { settings: MODBUS_DEFAULT });
  /** The terminal's flash: kept across its restarts. */
  readonly flash = memoryOutboxFs();
  down: string | undefined = 'no network yet';
  readonly dialer = new MemoryDialer(this.clock, this.cloud.uplink, 'uplink/g25', { latencyMs: 200 }, () => this.down);
  outbox!: Outbox;
  client!: UplinkClient;
  modbus!: TerminalModbus;
  restarts = 0;

  constructor() {
    this.cloud.provisionModem({ modemNo: identity.modemNo, secret: identity.secret, model: identity.model });
    const load = steadyLoad(45, 0.84);
    const r = createModbusDevice({ profile: 'grup-arge/screenless-compensation-relay', profiles: modbusProfiles, serial: '2024010347', clock: this.clock, load, endpoint: this.bus.attach('relay', { settings: MODBUS_DEFAULT }) });
    createModbusDevice({ profile: 'Eastron SDM630', profiles: modbusProfiles, address: 1, clock: this.clock, load: r.siteLoad, endpoint: this.bus.attach('sdm', { settings: MODBUS_DEFAULT }) });
  }

  /** Powers the terminal up: outbox, Modbus side (its stored list), uplink with the config handler. */
  async startTerminal(): Promise<void> {
    this.outbox = await this.clock.run(Outbox.open({ dir: '/flash/outbox', clock: this.clock, fs: this.flash, logger }));
    this.modbus = new TerminalModbus({
      clock: this.clock, model: findTerminalModel(identity.model), ports: { rs485: this.port },
      sink: (r) => this.outbox.append(r as RecordInput).then(() => undefined),
      storage: { fs: this.flash, dir: '/flash/config' },
    });
    await this.clock.run(this.modbus.start());
    this.client = new UplinkClient({ clock: this.clock, dialer: this.dialer, identity, outbox: this.outbox, logger });
    this.client.setPushHandler((p) => (p.kind === 'config' ? this.modbus.handleConfigPush(p) : { ok: false, text: 'no command handler' }));
    this.client.start();
  }

  async stopTerminal(): Promise<void> {
    await this.clock.run(this.client.stop());
    this.modbus.dispose();
    await this.clock.run(this.outbox.close());
    this.restarts++;
  }

  /** One poll at the next quarter hour. */
  async period(): Promise<void> {
    const p = 15 * 60_000;
    await this.clock.runUntil(Math.floor(this.clock.now() / p) * p + p);
    await this.clock.run(this.modbus.pollAll());
  }

  async until(cond: () => boolean, what: string): Promise<void> {
    await this.clock.run(async () => {
      while (!cond()) await this.clock.sleep(250);
    }, { label: what, limitMs: 3_600_000 });
  }

  settings() {
    return this.cloud.service.modbusDevices(identity.modemNo);
  }

  cloudReadings(): { address: number; type: string; values: number }[] {
    return this.cloud.service.records(identity.modemNo, { kind: 'modbus-reading' }).map((r) => {
      expect(r.error).toBeNull();
      const b = r.body as { address: number; type: string; values?: unknown[] };
      return { address: b.address, type: b.type, values: b.values?.length ?? 0 };
    });
  }
}

describe('Modbus settings from the cloud to the terminal', () => {
  it('a change made while the modem is offline is applied at its next connection, without a restart', async () => {
    const site = new Site();
    await site.startTerminal();
    site.cloud.service.setModbusDevices(identity.modemNo, { devices: [relay, analyzer] });
    expect(site.cloud.service.pushes(identity.modemNo)).toMatchObject([{ kind: 'config', sentCount: 0 }]);
    await site.period();
    expect(site.modbus.config.version).toBe(0); // nothing declared yet: nothing read
    site.down = undefined;
    site.client.connectNow();
    await site.until(() => site.settings().ackedVersion === 1, 'config acknowledged');
    expect(site.modbus.config).toEqual({ version: 1, devices: [{ address: 147, type: 'compensation-relay', port: 'rs485' }, { address: 1, type: 'analyzer', model: 'Eastron SDM630', port: 'rs485' }] });
    expect(site.cloud.service.pushes(identity.modemNo)[0]).toMatchObject({ ok: true, resultText: 'version 1: 2 Modbus devices' });
    await site.period();
    await site.until(() => site.cloudReadings().length === 2, 'readings stored');
    expect(site.cloudReadings()).toEqual([{ address: 147, type: 'compensation-relay', values: 45 }, { address: 1, type: 'analyzer', values: 38 }]);

    // changed while online: pushed at once, read from the next poll
    site.cloud.service.setModbusDevices(identity.modemNo, { devices: [relay, { address: 1, type: 'energy-meter' }] });
    await site.until(() => site.settings().ackedVersion === 2, 'second config acknowledged');
    await site.period();
    await site.until(() => site.cloudReadings().length === 4, 'readings stored');
    expect(site.cloudReadings().slice(2)).toEqual([{ address: 147, type: 'compensation-relay', values: 45 }, { address: 1, type: 'energy-meter', values: 6 }]);
    expect(site.restarts).toBe(0);

    // a restart keeps the list (flash): read before any push comes
    await site.stopTerminal();
    site.down = 'network outage';
    await site.startTerminal();
    expect(site.modbus.config.version).toBe(2);
    await site.period();
    site.down = undefined;
    site.client.connectNow();
    await site.until(() => site.cloudReadings().length === 6, 'readings after the restart');
    expect(site.cloud.service.pushes(identity.modemNo)).toHaveLength(2); // nothing pushed again
    await site.clock.run(site.client.stop());
    await site.cloud.stop();
  });

  it('a config the terminal refuses is pushed again at each connection, until the cloud sends one it takes', async () => {
    const site = new Site();
    site.down = undefined;
    await site.startTerminal();
    site.cloud.service.setModbusDevices(identity.modemNo, { devices: [{ ...relay, model: 'ABB RVC' }] });
    await site.until(() => site.cloud.service.pushes(identity.modemNo)[0]?.ok === false, 'refusal');
    const [first] = site.cloud.service.pushes(identity.modemNo);
    expect(first!.resultText).toBe("modbus.devices[0].model: unknown model 'ABB RVC' for compensation-relay; known: Grup Arge Screenless compensation relay, Klemsan RAPIDUS, Klemsan REMO-Q");
    expect(site.cloud.service.events(identity.modemNo, { name: 'config-refused' })).toMatchObject([{ source: 'cloud', details: { version: 1 } }]);
    expect(site.settings()).toMatchObject({ configVersion: 1, ackedVersion: 0 });
    site.cloud.uplink.dropModem(identity.modemNo);
    await site.until(() => site.cloud.service.pushes(identity.modemNo).length === 2 && site.cloud.service.pushes(identity.modemNo)[1]!.ackedAt !== null, 'pushed again on WELCOME');
    expect(site.cloud.service.pushes(identity.modemNo)[1]).toMatchObject({ ok: false, body: { version: 1 } });
    site.cloud.service.setModbusDevices(identity.modemNo, { devices: [relay] });
    await site.until(() => site.settings().ackedVersion === 2, 'accepted');
    site.cloud.uplink.dropModem(identity.modemNo);
    await site.until(() => site.cloud.uplink.isOnline(identity.modemNo), 'back online');
    await site.clock.runFor(5_000);
    expect(site.cloud.service.pushes(identity.modemNo)).toHaveLength(3); // acknowledged: not pushed again
    await site.period();
    await site.until(() => site.cloudReadings().length === 1, 'reading stored');
    await site.clock.run(site.client.stop());
    await site.cloud.stop();
  });
});
