import { describe, expect, it } from 'vitest';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import { modbusFrameGapMs } from '../../lines/quiet.ts';
import { crcOk, decodeRegisters, isException, readValue } from '../../protocols/modbus-rtu/index.ts';
import { createModbusDevice } from './device.ts';
import { ModbusFaultSet } from './faults.ts';
import { bench, flatLoad, registersOf } from './test-master.ts';

function setup() {
  const b = bench();
  const load = flatLoad(30, 0.9);
  const device = createModbusDevice({ profile: 'Eastron SDM630', address: 5, serial: '10250', endpoint: b.bus.attach('sdm', { settings: MODBUS_DEFAULT }), clock: b.clock, load });
  const read = (timeoutMs = 1000) => b.master.request(5, { fn: 4, address: 0x34, quantity: 2 }, { timeoutMs });
  return { ...b, device, read, load };
}

describe('fault set', () => {
  it('stacks newest first and wears off by count and by time', () => {
    const f = new ModbusFaultSet(1);
    f.add({ kind: 'late-answer', delayMs: 100 });
    f.add({ kind: 'late-answer', delayMs: 200 }, { count: 2 });
    expect(f.take('late-answer', 0)?.delayMs).toBe(200);
    expect(f.take('late-answer', 0)?.delayMs).toBe(200);
    expect(f.take('late-answer', 0)?.delayMs).toBe(100);
    f.add({ kind: 'no-answer' }, { until: 50 });
    expect(f.peek('no-answer', 49)).toBeDefined();
    expect(f.peek('no-answer', 50)).toBeUndefined();
  });

  it('acts on a repeatable share of exchanges with a probability', () => {
    const draw = () => {
      const f = new ModbusFaultSet(42);
      f.add({ kind: 'crc-error' }, { probability: 0.25 });
      return Array.from({ length: 400 }, () => (f.take('crc-error', 0) ? 1 : 0));
    };
    const a = draw();
    const hits = a.reduce<number>((s, x) => s + x, 0);
    expect(hits).toBeGreaterThan(70);
    expect(hits).toBeLessThan(130);
    expect(draw()).toEqual(a);
  });
});

describe('faults on the line', () => {
  it('no-answer: logged, not answered, for `count` requests', async () => {
    const { clock, device, read } = setup();
    device.addFault({ kind: 'no-answer' }, { count: 2 });
    expect((await clock.run(read(300))).frames).toHaveLength(0);
    expect((await clock.run(read(300))).frames).toHaveLength(0);
    expect((await clock.run(read())).response).toBeDefined();
    expect(device.received).toHaveLength(3);
  });

  it('late-answer: the answer comes after the delay, beyond a master time-out', async () => {
    const { clock, device, read, master } = setup();
    device.addFault({ kind: 'late-answer', delayMs: 1500 }, { count: 1 });
    const early = await clock.run(read(1000));
    expect(early.response).toBeUndefined();
    await clock.runFor(1000);
    const late = master.frames[master.frames.length - 1]!;
    expect(late.start - early.sentAt).toBeCloseTo(1500, 6);
    expect(crcOk(late.bytes)).toBe(true);
  });

  it('crc-error: a frame with a wrong CRC', async () => {
    const { clock, device, read } = setup();
    device.addFault({ kind: 'crc-error' }, { count: 1 });
    const r = await clock.run(read(300));
    expect(r.response).toBeUndefined();
    expect(r.frames).toHaveLength(1);
    expect(crcOk(r.frames[0]!.bytes)).toBe(false);
    expect(r.errors.join()).toMatch(/CRC mismatch/);
  });

  it('split-response: two frames separated by more than 3.5 characters', async () => {
    const { clock, device, read } = setup();
    device.addFault({ kind: 'split-response', atByte: 4 }, { count: 1 });
    const r = await clock.run(read(300));
    expect(r.response).toBeUndefined();
    expect(r.frames.map((f) => f.bytes.length)).toEqual([4, 5]);
    expect(r.frames[1]!.start - r.frames[0]!.end).toBeGreaterThan(modbusFrameGapMs(MODBUS_DEFAULT));
  });

  it('exception: answers the given code for the given function only', async () => {
    const { clock, device, read, master } = setup();
    device.addFault({ kind: 'exception', code: 6, fn: 4 }, { count: 1 });
    const busy = await clock.run(read());
    expect(busy.response?.response).toEqual({ fn: 4, exception: 6 });
    const other = await clock.run(master.request(5, { fn: 3, address: 0x1c, quantity: 2 }));
    expect(other.response && isException(other.response.response)).toBe(false);
  });

  it('silent: the device hears nothing for a virtual duration, then answers again', async () => {
    const { clock, device, read } = setup();
    device.goSilent(60_000);
    expect((await clock.run(read(500))).frames).toHaveLength(0);
    await clock.runFor(30_000);
    expect((await clock.run(read(500))).frames).toHaveLength(0);
    expect(device.received).toHaveLength(0);
    await clock.runFor(30_000);
    expect((await clock.run(read())).response).toBeDefined();
  });

  it('swapped-words: after a "firmware update" every multi-word value comes word-swapped', async () => {
    const { clock, device, master } = setup();
    const before = await clock.run(master.readRegisters(5, 4, 0x34, 2));
    const p = readValue(before, { type: 'float32' });
    expect(p).toBeCloseTo(30_000, 0);
    device.updateFirmwareSwappingWords();
    const after = await clock.run(master.readRegisters(5, 4, 0x34, 2));
    expect(readValue(after, { type: 'float32', order: 'CDAB' })).toBeCloseTo(p, 0);
    expect(Math.abs(readValue(after, { type: 'float32' }) - p)).toBeGreaterThan(1);
    const serial = await clock.run(master.readRegisters(5, 3, 0xfc00, 2));
    expect(decodeRegisters(serial, 'uint32', 'CDAB')).toBe(10250);
    expect(registersOf((await clock.run(master.request(5, { fn: 4, address: 0x34, quantity: 2 }))).response?.response, 'read')).toEqual(after);
  });
});
