import { describe, expect, it } from 'vitest';
import { RealClock, VirtualClock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { traceRecordSchema } from '../../core/trace/index.ts';
import { PtyPair } from '../../lines/pty-pair.ts';
import { SerialPortEndpoint } from '../../lines/serialport-endpoint.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { loadModbusProfiles } from './profile-loader.ts';
import { attachModbusDevices, parseModbusBus, resolveModbusSpecs, serveModbusDevices } from './serve.ts';
import { flatLoad, TestMaster } from './test-master.ts';

const profiles = loadModbusProfiles();

/** A float32 from two registers, high word first (ABCD). */
function f32(words: readonly number[]): number {
  const view = new DataView(new ArrayBuffer(4));
  view.setUint16(0, words[0]!);
  view.setUint16(2, words[1]!);
  return view.getFloat32(0);
}

/** Matches an `InputError` at `where` whose message contains `text`. */
function inputError(where: string, text: string) {
  return expect.objectContaining({ name: InputError.name, where, message: expect.stringContaining(text) });
}

describe('Modbus bus files', () => {
  it('binds each entry to its profile and address', () => {
    const bus = parseModbusBus("- { model: Eastron SDM630, address: 2 }\n- { model: grup-arge/screenless-compensation-relay, serial: '2024010347' }\n- model: Klemsan RAPIDUS\n", 'site.yaml', profiles);
    expect(bus.map((d) => [d.profile.model, d.address, d.serial])).toEqual([
      ['SDM630', 2, undefined],
      ['Screenless compensation relay', 147, '2024010347'],
      ['RAPIDUS', 1, undefined],
    ]);
  });

  it.each([
    ['- model: SDM630\n  model: RAPIDUS\n', 'site.yaml: line 2', 'YAML syntax error: Map keys must be unique'],
    ['model: SDM630\n', 'site.yaml: (root)', 'expected array'],
    ['[]\n', 'site.yaml: (root)', 'at least one device'],
    ['- { model: SDM630, adress: 3 }\n', 'site.yaml: [0].adress', 'unknown field (expected model, address, serial)'],
    ['- { address: 3 }\n', 'site.yaml: [0].model', 'missing (expected text)'],
    ['- { model: SDM630, address: 0 }\n', 'site.yaml: [0].address', 'got 0'],
    ['- { model: SDM630, address: "3" }\n', 'site.yaml: [0].address', 'expected number'],
    ['- { model: Screenless compensation relay, serial: 2024010347 }\n', 'site.yaml: [0].serial', 'quote serial numbers'],
    ['- { model: Acme PM-1 }\n', 'site.yaml: [0].model', 'no Modbus profile "Acme PM-1" (known: Eastron SDM630,'],
    ['- { model: Screenless compensation relay }\n', 'site.yaml: [0].serial', 'give a serial'],
    ["- { model: Screenless compensation relay, serial: '2024010347', address: 12 }\n", 'site.yaml: [0].address', '147 for serial 2024010347, not 12'],
    ['- { model: Screenless compensation relay, address: 12 }\n', 'site.yaml: [0].address', '(100..199), not 12'],
    ['- { model: SDM630 }\n- { model: RAPIDUS }\n', 'site.yaml: [1].address', 'address 1 is already used by device [0]'],
    ["- { model: SDM630, serial: '12a' }\n", 'site.yaml: [0].serial', 'expected 2 to 16 digits, got "12a"'],
  ])('rejects %j naming the file and field', (text, where, message) => {
    expect(() => parseModbusBus(text, 'site.yaml', profiles)).toThrow(inputError(where, message));
  });

  it('lists every schema problem, one per line', () => {
    expect(() => parseModbusBus('- { model: 3 }\n- { model: SDM630, x: 1 }\n', 'b.yaml', profiles)).toThrow('b.yaml: [0].model: expected text, got 3\nb.yaml: [1].x: unknown field (expected model, address, serial)');
  });

  it('names the option field through `where`', () => {
    expect(() => resolveModbusSpecs([{ model: 'SDM630', address: 300 }], (_, f) => `--${f}`, profiles)).toThrow(inputError('--address', 'Eastron SDM630 takes addresses 1..247, not 300'));
    expect(() => resolveModbusSpecs([{ model: 'SDM630', serial: 'SN-1' }], (_, f) => `--${f}`, profiles)).toThrow(inputError('--serial', 'expected 2 to 16 digits, got "SN-1"'));
  });
});

/** Devices on one end of a virtual wire, a codec-built master on the other; every traffic line collected. */
function virtualLine() {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'bus', { id: 'bus/terminal', settings: MODBUS_DEFAULT }, { id: 'bus/port', settings: MODBUS_DEFAULT });
  const devices = resolveModbusSpecs([{ model: 'Eastron SDM630', address: 2 }, { model: 'grup-arge/screenless-compensation-relay', serial: '2024010347' }], (i, f) => `[${i}].${f}`, profiles);
  const lines: string[] = [];
  const set = attachModbusDevices({ endpoint: wire.b, clock, devices, load: flatLoad(60, 0.8), onTraffic: (l) => lines.push(l) });
  const master = new TestMaster(clock, wire.a);
  return { clock, master, set, lines };
}

describe('attachModbusDevices: one line, many devices', () => {
  it('only the addressed device answers; one traffic line and one trace record per frame, with quantities and values', async () => {
    const { clock, master, set, lines } = virtualLine();
    const [sdm, relay] = set.devices;
    expect([sdm!.address, relay!.address]).toEqual([2, 147]);
    const words = await clock.run(master.readRegisters(2, 4, 0, 4));
    expect(f32(words)).toBeCloseTo(sdm!.read('voltage.l1', clock.now())!, 3);
    const ex = await clock.run(master.request(147, { fn: 3, address: 4, quantity: 2 }));
    expect(ex.response?.response).toEqual({ fn: 3, exception: 2 });
    expect(sdm!.received).toHaveLength(1);
    expect(relay!.received).toHaveLength(1);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/9600 8N1\s+master\s+→ slave 2 read input 30001\+4 \(4 regs\) = voltage\.l1, voltage\.l2 \(8 bytes\)$/);
    expect(lines[1]).toMatch(/9600 8N1\s+SDM630 #2\s+→ slave 2 → 4 regs: 0x.... 0x.... 0x.... 0x.... = voltage\.l1 2\d\d(\.\d+)? V, voltage\.l2 2\d\d(\.\d+)? V \(13 bytes\)$/);
    expect(lines[2]).toMatch(/master\s+→ slave 147 read holding 40005\+2 \(2 regs\) = nothing mapped \(8 bytes\)$/);
    expect(lines[3]).toMatch(/Screenless compensation relay #147 → slave 147 exception 02 illegal data address for fn 03 \(5 bytes\)$/);
    const records = set.trace.records.map((r) => traceRecordSchema.parse(r));
    expect(records.map((r) => (r.kind === 'tx' ? r.from : r.kind))).toEqual(['header', 'bus/master', 'bus/modbus-2', 'bus/master', 'bus/modbus-147']);
    set.dispose();
    master.dispose();
  });

  it('a relay comes first: the analyzer measures the load after its bank', () => {
    const { set } = virtualLine();
    const [sdm, relay] = set.devices;
    expect(sdm!.siteLoad).toBe(relay!.siteLoad);
    expect(set.load).toBe(relay!.siteLoad);
    set.dispose();
  });

  it('coils and bits are shown as values; a frame for nobody is shown and not answered', async () => {
    const { clock, master, set, lines } = virtualLine();
    const coils = await clock.run(master.request(147, { fn: 1, address: 0, quantity: 3 }));
    expect(coils.response?.response).toMatchObject({ fn: 1, values: [expect.any(Boolean), expect.any(Boolean), expect.any(Boolean)] });
    expect(lines[1]).toMatch(/→ slave 147 → 3 coils: [01]{3} = relay\.step\.1\.state [01], relay\.step\.2\.state [01], relay\.step\.3\.state [01] \(6 bytes\)$/);
    const none = await clock.run(master.request(9, { fn: 3, address: 0, quantity: 1 }, { timeoutMs: 300 }));
    expect(none.response).toBeUndefined();
    expect(lines).toHaveLength(3);
    expect(lines[2]).toMatch(/master\s+→ slave 9 read holding 40001\+1 \(1 reg\) \(8 bytes\)$/);
    set.dispose();
    // detached: nobody answers
    const after = await clock.run(master.request(2, { fn: 4, address: 0, quantity: 2 }, { timeoutMs: 300 }));
    expect(after.response).toBeUndefined();
    master.dispose();
  });
});

describe('serveModbusDevices on a pty pair (real time)', () => {
  it('answers a master over the OS and closes the device', async () => {
    const clock = new RealClock();
    const pty = await PtyPair.start({ name: 'serve-modbus' });
    const served = await serveModbusDevices({ path: pty.a, clock, pace: true, devices: [{ model: 'Klemsan RAPIDUS', address: 5 }], line: 'pty', load: flatLoad(30, 0.9) });
    const port = await SerialPortEndpoint.open({ path: pty.b, settings: MODBUS_DEFAULT, clock });
    const master = new TestMaster(clock, port);
    try {
      const words = await master.readRegisters(5, 3, 28, 2);
      expect(f32(words)).toBeGreaterThan(200);
      expect(served.trace.bytes().map((r) => (r.kind === 'tx' ? r.from : ''))).toEqual(['pty/master', 'pty/modbus-5']);
      expect(served.endpoint.settings).toEqual(MODBUS_DEFAULT);
    } finally {
      master.dispose();
      await served.close();
      await port.close();
      await pty.stop();
    }
    expect(served.endpoint.closed).toBe(true);
  });

  it('rejects a bad spec before opening the device', async () => {
    await expect(serveModbusDevices({ path: '/nonexistent', clock: new RealClock(), pace: false, devices: [{ model: 'Nope' }] })).rejects.toThrow(/devices\[0\]\.model: no Modbus profile "Nope"/);
    const pre = resolveModbusSpecs([{ model: 'SDM630', address: 4 }], (i, f) => `${i}.${f}`, profiles);
    await expect(serveModbusDevices({ path: '/nonexistent', clock: new RealClock(), pace: false, devices: [...pre, { model: 'RAPIDUS', address: 4 }] })).rejects.toThrow(/devices\[1\]\.address: address 4 is already used/);
  });
});
