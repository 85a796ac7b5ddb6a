import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { ApiError } from '../api/errors.ts';
import { FakeCloud } from '../fake-cloud.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const relay = { address: 147, type: 'compensation-relay' };
const analyzer = { address: 17, type: 'analyzer', model: 'Eastron SDM630', port: 'rs485' };

describe('Modbus device settings (service)', () => {
  it('stores a change, bumps the config version and queues one config push', () => {
    const cloud = new FakeCloud({ clock: new VirtualClock(), logger });
    cloud.provisionModem({ modemNo: 'G25-1', secret: 'secret-key-1', model: 'HT G25' });
    const s = cloud.service;
    expect(s.modbusDevices('G25-1')).toEqual({ modemNo: 'G25-1', devices: [], configVersion: 0, ackedVersion: 0, updatedAt: null });
    const v = s.setModbusDevices('G25-1', { devices: [relay, analyzer] });
    expect(v).toMatchObject({ configVersion: 1, ackedVersion: 0, devices: [{ address: 147, type: 'compensation-relay', port: 'rs485' }, analyzer] });
    expect(v.updatedAt).toBe(cloud.store.modem('G25-1')!.provisionedAt);
    expect(s.modem('G25-1').configVersion).toBe(1);
    expect(s.pushes('G25-1')).toMatchObject([{ kind: 'config', sentCount: 0, ackedAt: null, body: { version: 1, modbus: { devices: v.devices } } }]);
    // the same list again changes nothing
    expect(s.setModbusDevices('G25-1', { devices: [{ ...relay, port: 'rs485' }, analyzer] }).configVersion).toBe(1);
    expect(s.pushes('G25-1')).toHaveLength(1);
    // a new list supersedes the open push
    s.setModbusDevices('G25-1', { devices: [relay] });
    const pushes = s.pushes('G25-1');
    expect(pushes.map((p) => [p.ok, p.resultText, (p.body as { version: number }).version])).toEqual([[false, 'superseded by config version 2', 1], [null, null, 2]]);
    expect(cloud.store.openPushes('G25-1')).toHaveLength(1);
  });

  it('refuses a bad list naming the field, and an unknown modem', () => {
    const cloud = new FakeCloud({ clock: new VirtualClock(), logger });
    cloud.provisionModem({ modemNo: 'G25-2', secret: 'secret-key-2' });
    const fail = (body: unknown): ApiError => {
      try {
        cloud.service.setModbusDevices('G25-2', body);
      } catch (e) {
        if (e instanceof ApiError) return e;
        throw e;
      }
      throw new Error('expected an ApiError');
    };
    const dup = fail({ devices: [relay, analyzer, { address: 9, type: 'sensor' }, { address: 17, type: 'io-module' }] });
    expect([dup.status, dup.field, dup.message]).toEqual([400, 'devices[3].address', 'modbus settings: devices[3].address: duplicate address 17 on rs485 (devices[1] has it)']);
    expect(fail({ devices: [{ ...relay, port: 'rs232' }, { ...analyzer, port: 'rs232' }] }).field).toBe('devices[1].port');
    expect(fail({ devices: [{ ...relay, type: 'meter' }] }).field).toBe('devices[0].type');
    expect(fail({ devices: [{ ...relay, address: 250 }] }).message).toBe('modbus settings: devices[0].address: expected a Modbus address 1..247 (248..255 are reserved)');
    expect(() => cloud.service.modbusDevices('G25-404')).toThrow('modem G25-404 is not provisioned');
    expect(cloud.service.modbusDevices('G25-2').configVersion).toBe(0);
    expect(cloud.service.pushes('G25-2')).toEqual([]);
  });
});

describe('Modbus device settings (HTTP)', () => {
  const cloud = new FakeCloud({ clock: new VirtualClock(), logger });
  let base = '';
  beforeAll(async () => {
    cloud.provisionModem({ modemNo: 'G25-3', secret: 'secret-key-3' });
    base = `http://127.0.0.1:${(await cloud.start({ http: { port: 0 } })).httpPort}`;
  });
  afterAll(() => cloud.stop());
  const call = async (method: string, path: string, body?: string) => {
    // As support (the admin token): every modem, every right.
    const auth = { authorization: `Bearer ${cloud.adminToken}` };
    const res = await fetch(base + path, { method, headers: { ...auth, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { body } : {}) });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('GET and PUT /api/modems/:no/settings/modbus', async () => {
    expect(await call('GET', '/api/modems/G25-3/settings/modbus')).toEqual({ status: 200, body: { modemNo: 'G25-3', devices: [], configVersion: 0, ackedVersion: 0, updatedAt: null } });
    const put = await call('PUT', '/api/modems/G25-3/settings/modbus', JSON.stringify({ devices: [relay] }));
    expect(put).toMatchObject({ status: 200, body: { configVersion: 1, devices: [{ address: 147, type: 'compensation-relay', port: 'rs485' }] } });
    expect((await call('GET', '/api/modems/G25-3/pushes')).body).toMatchObject([{ kind: 'config', body: { version: 1 } }]);
  });

  it('answers 400 naming the field, and 404 for an unknown modem', async () => {
    expect(await call('PUT', '/api/modems/G25-3/settings/modbus', JSON.stringify({ devices: [relay, relay] }))).toEqual({
      status: 400,
      body: { error: 'modbus settings: devices[1].address: duplicate address 147 on rs485 (devices[0] has it)', field: 'devices[1].address' },
    });
    expect(await call('PUT', '/api/modems/G25-3/settings/modbus', '{"devices": [')).toMatchObject({ status: 400, body: { field: '(body)' } });
    expect(await call('PUT', '/api/modems/G25-3/settings/modbus', JSON.stringify({ devices: [], extra: 1 }))).toMatchObject({ status: 400, body: { field: 'extra', error: 'modbus settings: extra: unknown field' } });
    expect(await call('GET', '/api/modems/G25-404/settings/modbus')).toEqual({ status: 404, body: { error: 'modem G25-404 is not provisioned' } });
  });
});
