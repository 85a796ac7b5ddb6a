import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { findTerminalModel } from '../models/loader.ts';
import { nodeOutboxFs } from '../uplink/outbox-fs.ts';
import { shippedCatalog } from './catalog.ts';
import { checkModbusConfig } from './config.ts';
import type { ModbusPollerRecord } from './poller.ts';
import { TerminalModbus } from './terminal-modbus.ts';

const catalog = shippedCatalog();
const relay = { address: 147, type: 'compensation-relay', port: 'rs485' };
const body = (devices: unknown[], version = 1) => ({ version, modbus: { devices } });
const refusal = (b: unknown, model = 'HT G25'): string => {
  const c = checkModbusConfig(b, { catalog, model: findTerminalModel(model) });
  return c.ok ? 'accepted' : c.message;
};

const dirs: string[] = [];
afterEach(async () => {
  for (const d of dirs.splice(0)) await rm(d, { recursive: true, force: true });
});

describe('checking a config push', () => {
  it('resolves each device to its register set', () => {
    const c = checkModbusConfig(body([relay, { address: 1, type: 'analyzer', model: 'entes mpr45s' }]), { catalog });
    expect(c.ok && c.devices.map((d) => `${d.address} ${d.set.vendor} ${d.set.model}`)).toEqual(['147 Grup Arge Screenless compensation relay', '1 Entes MPR-45S']);
    expect(c.ok && c.config.devices[1]).toEqual({ address: 1, type: 'analyzer', model: 'entes mpr45s', port: 'rs485' });
  });

  it('refuses, naming the field, what this terminal cannot read', () => {
    expect(refusal(body([relay, { ...relay, address: 17 }, { address: 17, type: 'sensor' }]))).toBe('modbus.devices[2].address: duplicate address 17 on rs485 (devices[1] has it)');
    expect(refusal(body([{ ...relay, model: 'ABB RVC' }]))).toBe("modbus.devices[0].model: unknown model 'ABB RVC' for compensation-relay; known: Grup Arge Screenless compensation relay, Klemsan RAPIDUS, Klemsan REMO-Q");
    expect(refusal(body([relay]), 'HT G21')).toBe('modbus.devices: HT G21 reads meters only, not Modbus devices');
    expect(refusal(body([]), 'HT G21')).toBe('accepted');
    expect(refusal({ version: 'two', modbus: { devices: [] } })).toMatch(/^version: /);
    expect(refusal({ version: 1, modbus: { devices: [] }, io: {} })).toBe('io: unknown field');
  });
});

describe('TerminalModbus: config pushes', () => {
  async function make(dir?: string) {
    const clock = new VirtualClock();
    const records: ModbusPollerRecord[] = [];
    const root = dir ?? (await mkdtemp(join(tmpdir(), 'ht-modbus-config-')));
    if (!dir) dirs.push(root);
    const m = new TerminalModbus({ clock, model: findTerminalModel('HT G25'), ports: {}, sink: async (r) => void records.push(r), storage: { fs: nodeOutboxFs, dir: join(root, 'flash') } });
    await clock.run(m.start());
    return { clock, m, records, root };
  }

  it('applies, stores and reloads the list; an older version is acknowledged and ignored', async () => {
    const { clock, m, root } = await make();
    expect(m.config).toEqual({ version: 0, devices: [] });
    expect(await clock.run(m.handleConfigPush({ kind: 'config', body: body([relay], 3) }))).toEqual({ ok: true, text: 'version 3: 1 Modbus device' });
    expect(m.poller.devices.map((d) => d.address)).toEqual([147]);
    expect(JSON.parse(await readFile(join(root, 'flash', 'modbus-config.json'), 'utf8'))).toEqual(body([relay], 3));
    expect(await clock.run(m.handleConfigPush({ kind: 'config', body: body([], 2) }))).toEqual({ ok: true, text: 'version 2 is older than the applied version 3: ignored' });
    expect(m.poller.devices).toHaveLength(1);
    const again = await make(root);
    expect(again.m.config).toEqual({ version: 3, devices: [relay] });
    expect(again.m.poller.devices.map((d) => d.set.model)).toEqual(['Screenless compensation relay']);
    expect(again.records).toEqual([]);
  });

  it('refuses a bad push and keeps the list it had', async () => {
    const { clock, m } = await make();
    await clock.run(m.handleConfigPush({ kind: 'config', body: body([relay], 1) }));
    const r = await clock.run(m.handleConfigPush({ kind: 'config', body: body([relay, { ...relay }], 2) }));
    expect(r).toEqual({ ok: false, text: 'modbus.devices[1].address: duplicate address 147 on rs485 (devices[0] has it)' });
    expect(m.config.version).toBe(1);
    expect(await m.handleConfigPush({ kind: 'command', body: {} })).toEqual({ ok: false, text: 'not a config push: command' });
  });

  it('drops a stored list it cannot use, with an event', async () => {
    const { root } = await make();
    await writeFile(join(root, 'flash', 'modbus-config.json'), '{"version": 2, "modbus": {"devices": [{"address": 300, "type": "sensor"}]}}');
    const { m, records } = await make(root);
    expect(m.config.version).toBe(0);
    expect(records.map((r) => r.kind === 'event' && r.body)).toEqual([{ name: 'modbus-config-dropped', details: { reason: expect.stringMatching(/modbus-config.json: modbus.devices\[0\].address: expected a Modbus address/) } }]);
    await writeFile(join(root, 'flash', 'modbus-config.json'), '{"vers');
    const torn = await make(root);
    expect(torn.records).toHaveLength(1);
  });
});
