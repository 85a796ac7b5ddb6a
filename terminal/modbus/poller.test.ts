import { describe, expect, it } from 'vitest';
import { encodeRegisters } from '../../protocols/modbus-rtu/index.ts';
import { validateRecordBody } from '../../protocols/uplink/records.ts';
import { shippedCatalog } from './catalog.ts';
import { ModbusPoller, type ModbusPollerRecord, type PolledDevice } from './poller.ts';
import type { RegisterSet } from './register-set.ts';
import { bankScript, slaveOn, testBus, type Bank, type Script } from './test-slave.ts';

const catalog = shippedCatalog();
const setOf = (type: Parameters<typeof catalog.find>[0], model?: string): RegisterSet => {
  const f = catalog.find(type, model);
  if (!f.ok) throw new Error(f.message);
  return f.set;
};

/** Words of a Grup Arge screenless relay in the map the register set assumes. */
function relayBank(): Bank {
  const h: Record<number, number> = {};
  const put = (address: number, words: number[]) => words.forEach((w, i) => (h[address + i] = w));
  put(0, encodeRegisters(2024010347, 'uint32'));
  put(2, [105]);
  put(10, [2301, 2298, 2305]);
  put(14, [...encodeRegisters(5012, 'uint32'), ...encodeRegisters(4987, 'uint32'), ...encodeRegisters(5101, 'uint32')]);
  put(20, [...encodeRegisters(-35000, 'int32'), ...encodeRegisters(12000, 'int32'), ...encodeRegisters(37000, 'uint32')]);
  put(26, [...encodeRegisters(950, 'int16'), ...encodeRegisters(948, 'int16'), ...encodeRegisters(-20, 'int16'), ...encodeRegisters(962, 'int16')]);
  put(30, [5002, 312, 21, 87]);
  put(40, [0b101, 0b100]);
  put(50, Array.from({ length: 12 }, (_, i) => 50 + 10 * i));
  put(70, [1234, 56]);
  put(72, [...encodeRegisters(1234567, 'uint32'), ...encodeRegisters(765, 'uint32'), ...encodeRegisters(4321, 'uint32')]);
  put(100, encodeRegisters(990, 'int16'));
  return { holding: h };
}

function rig(devices: PolledDevice[], options: { timeout?: number } = {}) {
  const t = testBus();
  const records: ModbusPollerRecord[] = [];
  const poller = new ModbusPoller({ clock: t.clock, ports: { rs485: t.port }, sink: async (r) => void records.push(r), master: { responseTimeoutMs: options.timeout ?? 200 } });
  poller.setDevices(devices);
  const events = () => records.filter((r) => r.kind === 'event').map((r) => `${r.body.name} ${String((r.body as { details?: { address?: number } }).details?.address)}`);
  const readings = () => records.flatMap((r) => (r.kind === 'modbus-reading' ? [r.body] : []));
  return { ...t, records, poller, events, readings };
}

const relay: PolledDevice = { address: 147, type: 'compensation-relay', port: 'rs485', set: setOf('compensation-relay') };

describe('ModbusPoller', () => {
  it('reads a relay with seven requests and decodes every value', async () => {
    const r = rig([relay]);
    const s = slaveOn(r.clock, r.bus, 147, bankScript(relayBank()));
    const [res] = await r.clock.run(r.poller.pollAll());
    expect(s.received).toHaveLength(7);
    const body = r.readings()[0]!;
    expect(validateRecordBody('modbus-reading', body).ok).toBe(true);
    expect(body).toMatchObject({ port: 'rs485', address: 147, type: 'compensation-relay', model: 'Grup Arge Screenless compensation relay' });
    expect(body.missing).toBeUndefined();
    const v = Object.fromEntries(body.values!.map((x) => [x.name, x.unit ? `${x.value} ${x.unit}` : x.value]));
    expect(v).toMatchObject({
      'device.serial': 2024010347, 'voltage.l1': '230.1 V', 'voltage.l3': '230.5 V', 'current.l1': '50.12 A', 'current.l3': '51.01 A',
      'power.active.total': '-35000 W', 'power.apparent.total': '37000 VA', 'cosphi.l3': -0.02, 'relay.cosphi.measured': 0.962,
      frequency: '50.02 Hz', 'relay.temperature': '31.2 °C', 'relay.steps.mask': 5, 'relay.alarm.over-compensation': 0,
      'relay.alarm.step-fault': 1, 'relay.step.12.power': '16 kvar', 'relay.ratio.inductive': '12.34 %', 'energy.import': '123456.7 kWh',
      'energy.reactive.capacitive': '432.1 kvarh', 'relay.cosphi.target': 0.99,
    });
    expect(body.values).toHaveLength(setOf('compensation-relay').values.length);
    expect(res!.answered).toBe(true);
    expect(r.events()).toEqual([]);
  });

  it('an exception ends one request: the rest is read and the record is partial', async () => {
    const bank = relayBank();
    for (const a of [50, 51]) delete bank.holding![a];
    const r = rig([relay]);
    const s = slaveOn(r.clock, r.bus, 147, bankScript(bank));
    await r.clock.run(r.poller.pollAll());
    expect(s.received).toHaveLength(7);
    const body = r.readings()[0]!;
    expect(body.missing).toEqual({ reason: 'exception', code: 2, text: 'slave 147 read holding 40051+12 (12 regs): exception 2 (illegal data address) for function 3 (1 try)' });
    expect(body.values!.some((x) => x.name === 'relay.step.1.power')).toBe(false);
    expect(body.values!.some((x) => x.name === 'energy.import')).toBe(true);
    expect(validateRecordBody('modbus-reading', body).ok).toBe(true);
    expect(r.events()).toEqual([]);
  });

  it('a silent device: one request tried three times, the rest not sent; events once per change', async () => {
    let silent = true;
    const bank = bankScript(relayBank());
    const r = rig([relay]);
    const s = slaveOn(r.clock, r.bus, 147, (req, n) => (silent ? undefined : bank(req, n)));
    await r.clock.run(async () => {
      await r.poller.pollAll();
      await r.poller.pollAll();
    });
    expect(s.received).toHaveLength(6);
    expect(r.readings()[0]!.missing).toEqual({ reason: 'no-answer', text: 'slave 147 read holding 40001+3 (3 regs): no answer within 200 ms (3 tries); 6 not sent' });
    expect(r.readings()[0]!.values).toBeUndefined();
    expect(r.events()).toEqual(['modbus-device-not-answering 147']);
    silent = false;
    await r.clock.run(r.poller.pollAll());
    expect(r.events()).toEqual(['modbus-device-not-answering 147', 'modbus-device-answering-again 147']);
    expect(r.readings()[2]!.values).toHaveLength(45);
  });

  it('two devices on one address: a collision event naming it, once until the line is clean', async () => {
    const r = rig([relay]);
    const a = slaveOn(r.clock, r.bus, 147, bankScript(relayBank(), { delayMs: 10 }), 'a');
    const b = slaveOn(r.clock, r.bus, 147, bankScript(relayBank(), { delayMs: 10.2 }), 'b');
    await r.clock.run(async () => {
      await r.poller.pollAll();
      await r.poller.pollAll();
    });
    expect(r.readings()[0]!.missing!.reason).toBe('collision');
    expect(r.events()).toEqual(['modbus-device-not-answering 147', 'modbus-address-collision 147']);
    const ev = r.records.find((x) => x.kind === 'event' && x.body.name === 'modbus-address-collision')!;
    expect((ev.body as unknown as { details: { evidence: string } }).details.evidence).toMatch(/^[0-9a-f]{2}( [0-9a-f]{2})+$/);
    b.dispose();
    await r.clock.run(r.poller.pollAll());
    expect(r.readings()[2]!.missing).toBeUndefined();
    await r.clock.run(async () => {
      await r.poller.pollAll(); // clean: the collision clears
    });
    const again = slaveOn(r.clock, r.bus, 147, bankScript(relayBank(), { delayMs: 10.2 }), 'c');
    await r.clock.run(r.poller.pollAll());
    expect(r.events().filter((e) => e.startsWith('modbus-address-collision'))).toHaveLength(2);
    expect(a.received.length).toBeGreaterThan(0);
    again.dispose();
  });

  it('a second answer after the first one was taken is a collision on that address', async () => {
    const sensorSet = setOf('sensor');
    const sensorBank: Bank = { holding: { 0: 0, 1: 7, 2: 100, 10: 215, 11: 540 } };
    const r = rig([{ address: 107, type: 'sensor', port: 'rs485', set: sensorSet }, { address: 9, type: 'sensor', port: 'rs485', set: sensorSet }]);
    slaveOn(r.clock, r.bus, 107, bankScript(sensorBank, { delayMs: 5 }), 'first');
    slaveOn(r.clock, r.bus, 107, bankScript(sensorBank, { delayMs: 30 }), 'second');
    slaveOn(r.clock, r.bus, 9, bankScript(sensorBank, { delayMs: 40 }), 'other');
    await r.clock.run(r.poller.pollAll());
    expect(r.events()).toContain('modbus-address-collision 107');
    const ev = r.records.find((x) => x.kind === 'event' && x.body.name === 'modbus-address-collision')!;
    expect((ev.body as { details?: unknown }).details).toMatchObject({ port: 'rs485', address: 107 });
  });

  it('applies a new device list from the next poll', async () => {
    const sensorBank: Bank = { holding: { 0: 0, 1: 7, 2: 100, 10: 0xffe2, 11: 540 } };
    const r = rig([]);
    slaveOn(r.clock, r.bus, 107, bankScript(sensorBank));
    expect(await r.clock.run(r.poller.pollAll())).toEqual([]);
    r.poller.setDevices([{ address: 107, type: 'sensor', port: 'rs485', set: setOf('sensor') }]);
    await r.clock.run(r.poller.pollAll());
    expect(r.readings()[0]!.values).toEqual([
      { name: 'device.serial', value: 7 },
      { name: 'device.firmware', value: 100 },
      { name: 'sensor.temperature', value: -3, unit: '°C' },
      { name: 'sensor.illuminance', value: 540, unit: 'lx' },
    ]);
  });

  it('drives the port LED around each exchange and stops when aborted', async () => {
    const t = testBus();
    const leds: string[] = [];
    const records: ModbusPollerRecord[] = [];
    const stop = new AbortController();
    const script: Script = (req, n) => {
      if (n === 2) stop.abort();
      return bankScript(relayBank())(req, n);
    };
    slaveOn(t.clock, t.bus, 147, script);
    const poller = new ModbusPoller({ clock: t.clock, ports: { rs485: t.port }, sink: async (x) => void records.push(x), activity: (p, busy) => leds.push(`${p}:${busy ? 'on' : 'off'}`) });
    poller.setDevices([relay, { ...relay, address: 148 }]);
    await t.clock.run(poller.pollAll(stop.signal));
    expect(leds).toEqual(['rs485:on', 'rs485:off', 'rs485:on', 'rs485:off']);
    expect(records).toHaveLength(1); // the first device, partly read before the abort
    expect(records[0]!.kind === 'modbus-reading' && records[0]!.body.missing).toEqual({ reason: 'other', text: 'poll stopped: 5 requests not sent' });
  });
});
