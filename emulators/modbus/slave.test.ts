import { describe, expect, it } from 'vitest';
import { TimeoutError } from '../../core/errors.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import {
  appendCrc, decodeRegisters, encodeRequest, isException, readValue, type ModbusResponse,
} from '../../protocols/modbus-rtu/index.ts';
import { createModbusDevice } from './device.ts';
import { parseModbusProfileText } from './profile-loader.ts';
import { bench, flatLoad, registersOf } from './test-master.ts';

const PROFILE = parseModbusProfileText(`
vendor: Test
model: IO-1
class: io-module
source: { public: false, notes: a profile for the engine tests }
serial: { baud: 9600, parity: none, stopBits: 1, address: { rule: menu, default: 7 } }
latencyMs: { min: 10, max: 30 }
functions: [1, 2, 3, 4, 5, 6, 15, 16, 17, 43]
identification: { vendorName: Test, productCode: IO-1, revision: '1.2', serverIdHex: A5 }
unmapped: exception
limits: { maxReadRegisters: 20 }
io: { inputs: 2, outputs: 2 }
registers:
  - { table: input, address: 0, quantity: voltage.l1, type: f32 }
  - { table: input, address: 2, quantity: energy.import, type: u32, wordOrder: CDAB, unit: Wh }
  - { table: holding, address: 0, quantity: cosphi.total, type: i16, scale: 0.001 }
  - { table: holding, address: 1, quantity: device.baud, type: u16, writable: true, codes: { 0: 2400, 1: 9600 } }
  - { table: holding, address: 2, quantity: device.address, type: u16, writable: true, range: { min: 1, max: 247 } }
  - { table: holding, address: 4, quantity: io.outputs.mask, type: u16 }
  - { table: holding, address: 5, bit: 0, quantity: io.output.1.state, type: u16, writable: true }
  - { table: holding, address: 5, bit: 1, quantity: io.output.2.state, type: u16, writable: true }
  - { table: holding, address: 10, quantity: power.active.total, type: f32, writable: true, range: { min: 0, max: 1000 } }
  - { table: holding, address: 12, quantity: energy.export, type: u64, unit: Wh }
  - { table: coil, address: 0, quantity: io.output.1.state, type: bool, writable: true }
  - { table: coil, address: 1, quantity: io.output.2.state, type: bool, writable: true }
  - { table: discrete, address: 0, quantity: io.input.1.state, type: bool }
  - { table: discrete, address: 1, quantity: io.input.2.state, type: bool }
`, 'test/io-1.yaml');

function setup(serial = '4711') {
  const b = bench();
  const device = createModbusDevice({ profile: PROFILE, address: 7, serial, endpoint: b.bus.attach('io', { settings: MODBUS_DEFAULT }), clock: b.clock, load: flatLoad(10, 0.9) });
  const values = device.settable!;
  values.set('voltage.l1', 231.5);
  values.set('energy.import', 123.456); // kWh → 123456 Wh
  values.set('cosphi.total', -0.93);
  values.set('energy.export', 5);
  return { ...b, device, values };
}

function exceptionOf(res: ModbusResponse | undefined): number | undefined {
  return res && isException(res) ? res.exception : undefined;
}

describe('ModbusSlave: reads', () => {
  it('encodes each register by type, unit, scale and word order', async () => {
    const { clock, master } = setup();
    const input = await clock.run(master.readRegisters(7, 4, 0, 4));
    expect(readValue(input, { type: 'float32' })).toBeCloseTo(231.5, 3);
    expect(decodeRegisters(input, 'uint32', 'CDAB', 2)).toBe(123456);
    const holding = await clock.run(master.readRegisters(7, 3, 0, 1));
    expect(readValue(holding, { type: 'int16', scale: 0.001 })).toBeCloseTo(-0.93, 6);
    const u64 = await clock.run(master.readRegisters(7, 3, 12, 4));
    expect(decodeRegisters(u64, 'uint64')).toBe(5000n);
  });

  it('answers a read that starts inside a two-register value with its words', async () => {
    const { clock, master } = setup();
    const whole = await clock.run(master.readRegisters(7, 4, 0, 2));
    const tail = await clock.run(master.readRegisters(7, 4, 1, 1));
    expect(tail).toEqual([whole[1]]);
  });

  it('packs bit registers into one word and reads coils and discrete inputs', async () => {
    const { clock, master, values } = setup();
    values.set('io.output.1.state', 1);
    values.set('io.input.2.state', 1);
    expect(await clock.run(master.readRegisters(7, 3, 5, 1))).toEqual([0b01]);
    const coils = await clock.run(master.request(7, { fn: 1, address: 0, quantity: 2 }));
    expect(coils.response?.response).toEqual({ fn: 1, values: [true, false] });
    const inputs = await clock.run(master.request(7, { fn: 2, address: 0, quantity: 2 }));
    expect(inputs.response?.response).toEqual({ fn: 2, values: [false, true] });
  });

  it('answers exceptions 1, 2 and 3 as the codec and the profile say', async () => {
    const { clock, master } = setup();
    expect(exceptionOf((await clock.run(master.request(7, { fn: 3, address: 20, quantity: 1 }))).response?.response)).toBe(2);
    expect(exceptionOf((await clock.run(master.request(7, { fn: 4, address: 0, quantity: 21 }))).response?.response)).toBe(3);
    expect(exceptionOf((await clock.run(master.request(7, { fn: 3, address: 0, quantity: 0 }, { encode: { unchecked: true } }))).response?.response)).toBe(3);
    // Function 8 (diagnostics) is not handled: exception 1 for function 8.
    const raw = appendCrc(Uint8Array.of(7, 8, 0, 0, 0x12, 0x34));
    const fn8 = await clock.run(master.request(7, { fn: 17 }, { raw }));
    expect(fn8.frames[0]?.bytes.slice(0, 3)).toEqual(Uint8Array.of(7, 0x88, 1));
  });

  it('answers function 17 and 43/14 from the identification', async () => {
    const { clock, master } = setup();
    const id = await clock.run(master.request(7, { fn: 17 }));
    expect(id.response?.response).toEqual({ fn: 17, data: Uint8Array.of(0xa5, 0xff) });
    const basic = await clock.run(master.request(7, { fn: 43, meiType: 0x0e, code: 1, objectId: 0 }));
    const r = basic.response?.response as { objects: { id: number; value: Uint8Array }[] };
    expect(r.objects.map((o) => [o.id, new TextDecoder().decode(o.value)])).toEqual([[0, 'Test'], [1, 'IO-1'], [2, '1.2']]);
    const missing = await clock.run(master.request(7, { fn: 43, meiType: 0x0e, code: 4, objectId: 5 }));
    expect(exceptionOf(missing.response?.response)).toBe(2);
  });
});

describe('ModbusSlave: writes', () => {
  it('writes coded, bit and float registers; refuses read-only, partial and out-of-range writes', async () => {
    const { clock, master, device } = setup();
    const ok = await clock.run(master.request(7, { fn: 6, address: 1, value: 0 }));
    expect(ok.response?.response).toEqual({ fn: 6, address: 1, value: 0 });
    expect(device.model.read('device.baud', clock.now())).toBe(2400);
    expect(exceptionOf((await clock.run(master.request(7, { fn: 6, address: 1, value: 5 }))).response?.response)).toBe(3);
    expect(exceptionOf((await clock.run(master.request(7, { fn: 6, address: 0, value: 5 }))).response?.response)).toBe(2);
    expect(exceptionOf((await clock.run(master.request(7, { fn: 16, address: 11, quantity: 1, byteCount: 2, values: [0] }))).response?.response)).toBe(2);
    const f = (v: number) => { const dv = new DataView(new ArrayBuffer(4)); dv.setFloat32(0, v); return [dv.getUint16(0), dv.getUint16(2)]; };
    expect(exceptionOf((await clock.run(master.request(7, { fn: 16, address: 10, quantity: 2, byteCount: 4, values: f(2000) }))).response?.response)).toBe(3);
    expect(device.model.read('power.active.total', clock.now())).toBeUndefined();
    await clock.run(master.request(7, { fn: 16, address: 10, quantity: 2, byteCount: 4, values: f(999.5) }));
    expect(device.model.read('power.active.total', clock.now())).toBe(999.5);
    await clock.run(master.request(7, { fn: 6, address: 5, value: 0b10 }));
    const coils = await clock.run(master.request(7, { fn: 1, address: 0, quantity: 2 }));
    expect(coils.response?.response).toEqual({ fn: 1, values: [false, true] });
    await clock.run(master.request(7, { fn: 15, address: 0, quantity: 2, byteCount: 1, values: [true, true] }));
    await clock.run(master.request(7, { fn: 5, address: 1, value: 0 }));
    expect(await clock.run(master.readRegisters(7, 3, 5, 1))).toEqual([0b01]);
  });

  it('changes its address after answering the write from the old one', async () => {
    const { clock, master, device } = setup();
    const w = await clock.run(master.request(7, { fn: 6, address: 2, value: 42 }));
    expect(w.response?.slave).toBe(7);
    expect(device.address).toBe(42);
    expect((await clock.run(master.request(7, { fn: 3, address: 2, quantity: 1 }, { timeoutMs: 200 }))).frames).toHaveLength(0);
    expect(await clock.run(master.readRegisters(42, 3, 2, 1))).toEqual([42]);
  });

  it('executes a broadcast write and never answers a broadcast', async () => {
    const { clock, master, device } = setup();
    const b = await clock.run(master.request(0, { fn: 6, address: 1, value: 0 }, { timeoutMs: 300 }));
    expect(b.frames).toHaveLength(0);
    expect(device.model.read('device.baud', clock.now())).toBe(2400);
    const read = await clock.run(master.request(0, { fn: 3, address: 0, quantity: 1 }, { timeoutMs: 300, encode: { unchecked: true } }));
    expect(read.frames).toHaveLength(0);
    expect(device.received.map((r) => r.slave)).toEqual([0, 0]);
  });
});

describe('ModbusSlave: what it ignores', () => {
  it('ignores frames for other addresses and frames with a bad CRC, without logging them', async () => {
    const { clock, master, device } = setup();
    const other = await clock.run(master.request(8, { fn: 3, address: 0, quantity: 1 }, { timeoutMs: 200 }));
    const good = encodeRequest(7, { fn: 3, address: 0, quantity: 1 });
    good[good.length - 1]! ^= 0x01;
    const bad = await clock.run(master.request(7, { fn: 3, address: 0, quantity: 1 }, { timeoutMs: 200, raw: good }));
    expect(other.frames.length + bad.frames.length).toBe(0);
    expect(device.received).toHaveLength(0);
  });

  it('does not hear a request sent at another baud rate', async () => {
    const { clock, bus, device } = setup();
    const { TestMaster } = await import('./test-master.ts');
    const fast = new TestMaster(clock, bus.attach('fast', { settings: { ...MODBUS_DEFAULT, baudRate: 19200 } }));
    const r = await clock.run(fast.request(7, { fn: 3, address: 0, quantity: 1 }, { timeoutMs: 200 }));
    expect(r.response).toBeUndefined();
    expect(device.received).toHaveLength(0);
  });
});

describe('ModbusSlave: latency', () => {
  it('answers within the profile latency, repeatably per device', async () => {
    const run = async (serial: string) => {
      const { clock, master } = setup(serial);
      const out: number[] = [];
      for (let i = 0; i < 5; i++) {
        const r = await clock.run(master.request(7, { fn: 3, address: 0, quantity: 1 }));
        out.push(r.answerStart! - r.sentAt);
      }
      return out;
    };
    const a = await run('4711');
    for (const l of a) expect(l).toBeGreaterThanOrEqual(10), expect(l).toBeLessThanOrEqual(30);
    expect(await run('4711')).toEqual(a);
    expect(Math.max(...a) - Math.min(...a)).toBeLessThanOrEqual(0.4);
  });
});

describe('ModbusSlave: test surface', () => {
  it('logs requests with their time and resolves or times out expectations on virtual time', async () => {
    const { clock, master, device } = setup();
    const expectation = device.expectRequest(500, (r) => r.request?.fn === 4);
    await clock.run(master.request(7, { fn: 3, address: 0, quantity: 1 }));
    await clock.run(master.request(7, { fn: 4, address: 0, quantity: 2 }));
    const got = await expectation;
    expect(got.request).toEqual({ fn: 4, address: 0, quantity: 2 });
    expect(device.received.map((r) => r.fn)).toEqual([3, 4]);
    expect(device.received[1]!.at).toBe(got.at);
    expect(device.assertReceived((r) => r.fn === 3).slave).toBe(7);
    expect(() => device.assertReceived((r) => r.fn === 16, 'a write')).toThrow(/expected a write/);
    device.clearReceived();
    expect(device.received).toHaveLength(0);
    const start = clock.now();
    await expect(clock.run(device.expectRequest(250))).rejects.toBeInstanceOf(TimeoutError);
    expect(clock.now() - start).toBe(250);
  });

  it('runs behaviors newest first; "handled" suppresses the answer; removal restores it', async () => {
    const { clock, master, device } = setup();
    const calls: string[] = [];
    device.defineBehavior({ onRequest: (r) => (calls.push('old'), r.fn === 3 ? { fn: 3, values: [0xbeef] } : undefined) });
    const remove = device.defineBehavior({ onRequest: (r, slave) => {
      calls.push('new');
      if (r.fn !== 4) return undefined;
      void slave.sendRaw(Uint8Array.of(1, 2, 3), 15);
      return 'handled';
    } });
    expect(await clock.run(master.readRegisters(7, 3, 0, 1))).toEqual([0xbeef]);
    const handled = await clock.run(master.request(7, { fn: 4, address: 0, quantity: 1 }, { timeoutMs: 200 }));
    expect(handled.response).toBeUndefined();
    expect(handled.frames[0]?.bytes).toEqual(Uint8Array.of(1, 2, 3));
    expect(calls).toEqual(['new', 'old', 'new']);
    remove();
    const normal = await clock.run(master.request(7, { fn: 4, address: 0, quantity: 2 }));
    expect(readValue(registersOf(normal.response?.response, 'read'), { type: 'float32' })).toBeCloseTo(231.5, 3);
  });
});

describe('ModbusSlave: fuzz', () => {
  it('answers exactly the intact frames for its address, with a response to the same function', async () => {
    const { clock, master, device } = setup();
    const { Rand, randomRequest } = await import('../../protocols/modbus-rtu/test-support.ts');
    const rand = new Rand(0x5eed);
    let answered = 0;
    for (let i = 0; i < 400; i++) {
      const slave = rand.pick([7, 7, 7, 0, 8]);
      const req = randomRequest(rand);
      let frame = encodeRequest(slave === 0 ? 7 : slave, req);
      if (slave === 0) frame = appendCrc(Uint8Array.of(0, ...frame.slice(1, -2)));
      const mutate = rand.next() < 0.3;
      if (mutate) {
        frame = Uint8Array.from(frame);
        frame[rand.int(0, frame.length - 1)] = rand.int(0, 255);
      }
      const r = await clock.run(master.request(slave, req, { raw: frame, timeoutMs: 80 }));
      const intactForMe = !mutate && slave === 7;
      if (intactForMe) {
        expect(r.frames).toHaveLength(1);
        expect(r.response?.response.fn).toBe(req.fn);
        answered++;
      } else if (slave !== 7 || r.frames.length > 0) {
        // A mutated frame may still be a valid frame for address 7 (the mutation hit data and the CRC
        // happens to be right only by chance); anything heard must come from address 7.
        for (const f of r.frames) expect(f.bytes[0]).toBe(7);
      }
    }
    expect(answered).toBeGreaterThan(150);
    expect(device.received.every((r) => r.slave === 7 || r.slave === 0)).toBe(true);
  });
});
