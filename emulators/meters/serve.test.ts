import { describe, expect, it } from 'vitest';
import { RealClock, VirtualClock } from '../../core/clock/index.ts';
import { ascii, concatBytes } from '../../core/bytes.ts';
import { InputError } from '../../core/errors.ts';
import { traceRecordSchema, type TraceBytesRecord } from '../../core/trace/index.ts';
import type { RxChunk } from '../../lines/endpoint.ts';
import { PtyPair } from '../../lines/pty-pair.ts';
import { SerialPortEndpoint } from '../../lines/serialport-endpoint.ts';
import { charTimeMs, IEC_OPENING } from '../../lines/settings.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { decodeAll, encodeOptionSelect, encodeRequest, INTER_CHARACTER_MAX_MS } from '../../protocols/iec62056-21/index.ts';
import { loadMeterProfiles } from './profile-loader.ts';
import { attachMeters, parseMeterBus, resolveMeterSpecs, serveMeters, waitForStopSignal } from './serve.ts';
import { thrownBy } from '../../core/thrown.ts';

const profiles = loadMeterProfiles().map((l) => l.profile);
const sender = (r: TraceBytesRecord) => (r.kind === 'tx' ? r.from : `received by ${r.to}`);

const errorOf = (fn: () => unknown): InputError => thrownBy(fn, InputError);

describe('bus files', () => {
  it('binds each entry to its profile, with the example serial by default', () => {
    const bus = parseMeterBus("- { brand: Landis, model: ZMD310, serial: '95316170', initialKwh: 1200.5 }\n- brand: Makel\n", 'site.yaml', profiles);
    expect(bus.map((m) => [m.profile.flag, m.profile.model, m.serial, m.initialKwh])).toEqual([
      ['LGZ', 'ZMD310', '95316170', 1200.5],
      ['MSY', 'C500', '80099921', undefined],
    ]);
  });

  it.each([
    ['- brand: Makel\n  brand: Luna\n', 'site.yaml: line 2', 'YAML syntax error: Map keys must be unique'],
    ['brand: Landis\n', 'site.yaml: (root)', 'expected array'],
    ['[]\n', 'site.yaml: (root)', 'at least one meter'],
    ['- { brand: Makel, serail: "1" }\n', 'site.yaml: [0].serail', 'unknown field'],
    ['- { brand: Makel }\n- { model: C500 }\n', 'site.yaml: [1].brand', 'missing (expected text)'],
    ['- { brand: Viko, serial: 01405959 }\n', 'site.yaml: [0].serial', 'quote serial numbers'],
    ['- { brand: Makel, initialKwh: -3 }\n', 'site.yaml: [0].initialKwh', 'got -3'],
    ['- { brand: Foo }\n', 'site.yaml: [0].brand', 'no meter profile for brand "Foo"'],
    ['- { brand: Landis }\n', 'site.yaml: [0].model', 'ZMD310, ZMR120AC'],
    ['- { brand: Landis, model: X9 }\n', 'site.yaml: [0].model', 'has no model "X9"'],
    ['- { brand: Landis, model: ZMD310, serial: "12" }\n', 'site.yaml: [0].serial', 'pattern'],
    ['- { brand: Makel }\n- { brand: MSY }\n', 'site.yaml: [1].serial', 'already used by meter [0]'],
  ])('rejects %j naming the file and field', (text, where, message) => {
    const err = errorOf(() => parseMeterBus(text, 'site.yaml', profiles));
    expect(err.where).toBe(where);
    expect(err.message).toContain(message);
  });

  it('lists every schema problem, one per line', () => {
    const err = errorOf(() => parseMeterBus('- { brand: 3 }\n- { brand: Makel, x: 1 }\n', 'b.yaml', profiles));
    expect(err.message.split('\n')).toEqual([expect.stringMatching(/^b\.yaml: \[0\]\.brand: expected text, got 3$/), 'b.yaml: [1].x: unknown field (expected brand, model, serial, initialKwh)']);
  });
});

/** Two meters on one virtual bus end, a master on the other; every traffic line collected. */
function virtualBus(sliceMs = 0) {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'bus', { id: 'bus/master', settings: IEC_OPENING }, { id: 'bus/port', settings: IEC_OPENING });
  const meters = resolveMeterSpecs([{ brand: 'Landis', model: 'ZMD310', initialKwh: 100 }, { brand: 'Makel', initialKwh: 200 }], (i, f) => `[${i}].${f}`, profiles);
  const lines: string[] = [];
  const set = attachMeters({ endpoint: wire.b, clock, meters, sliceMs, onTraffic: (l) => lines.push(l) });
  const heard: RxChunk[] = [];
  wire.a.onData((c) => heard.push(c));
  return { clock, master: wire.a, set, lines, heard, received: () => concatBytes(heard.map((c) => c.bytes)) };
}

describe('attachMeters: one port, many engines', () => {
  it('only the addressed meter answers; one traffic line and one trace record per frame', async () => {
    const { clock, master, set, lines, received } = virtualBus();
    const [landis, makel] = set.meters;
    await clock.run(master.write(encodeRequest({ address: makel!.engine.address })));
    await clock.runFor(1500);
    await clock.run(master.write(encodeOptionSelect({ protocolControl: '0', baudChar: '5', modeControl: '0' })));
    await clock.run(master.update({ baudRate: 9600 }));
    await clock.runFor(3000);
    const frames = decodeAll(received(), { side: 'meter', parity: 'strip' }).map((e) => (e.type === 'frame' ? e.frame.kind : 'error'));
    expect(frames).toEqual(['identification', 'readout']);
    expect(landis!.received.map((r) => r.frame.kind)).toEqual(['request', 'option-select']); // it heard, and kept quiet
    expect(makel!.readouts).toHaveLength(1);
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatch(/300 7E1\s+reader\s+→ request for address "MSY80099921" \(16 bytes/);
    expect(lines[1]).toMatch(/300 7E1\s+MSY 80099921\s+→ identification MSY, 9600 baud/);
    expect(lines[2]).toMatch(/reader\s+→ option select: normal protocol, 9600 baud, data readout/);
    expect(lines[3]).toMatch(/9600 7E1\s+MSY 80099921\s+→ readout, \d+ lines/);
    const records = set.trace.records;
    expect(records.map((r) => traceRecordSchema.parse(r).kind)).toEqual(['header', 'tx', 'tx', 'tx', 'tx']);
    expect(set.trace.bytes().map(sender)).toEqual(['bus/reader', 'bus/meter-80099921', 'bus/reader', 'bus/meter-80099921']);
    set.dispose();
  });

  it('two meters answering at once are flagged as a collision', async () => {
    const { clock, master, set, lines } = virtualBus();
    await clock.run(master.write(encodeRequest({ address: '' }))); // Makel answers /?! on a bus, Landis does not
    await clock.runFor(1500);
    expect(set.trace.bytes().filter((r) => r.flags?.includes('collision'))).toHaveLength(0);
    const makel = { ...profiles.find((p) => p.flag === 'MSY')!, reactionTimeMs: { min: 300, max: 300 } };
    const two = [{ profile: makel, serial: '80099921' }, { profile: makel, serial: '80099922' }];
    const wire = new VirtualWire(clock, 'bus2', { settings: IEC_OPENING }, { settings: IEC_OPENING });
    const both = attachMeters({ endpoint: wire.b, clock, meters: two, onTraffic: (l) => lines.push(l) });
    await clock.run(wire.a.write(encodeRequest({ address: '' })));
    await clock.runFor(3000);
    const answers = both.trace.bytes().filter((r) => sender(r).startsWith('bus2/meter-'));
    expect(answers).toHaveLength(2);
    expect(answers.every((r) => r.flags?.includes('collision'))).toBe(true);
    expect(lines.filter((l) => l.includes('COLLISION'))).toHaveLength(2);
    set.dispose();
    both.dispose();
  });

  it('a frame split over many reads is one line; bytes that form no frame show after the silence', async () => {
    const { clock, master, set, lines } = virtualBus();
    for (const b of ascii('/?95316176!\r\n')) await clock.run(master.write(Uint8Array.of(b)));
    expect(lines.filter((l) => l.includes('reader'))).toEqual([expect.stringContaining('request for address "95316176" (13 bytes')]);
    await clock.runFor(1500);
    await clock.run(master.write(ascii('xyz')));
    expect(lines.filter((l) => l.includes('reader'))).toHaveLength(1);
    await clock.runFor(INTER_CHARACTER_MAX_MS + 10);
    expect(lines.filter((l) => l.includes('reader'))).toHaveLength(2);
    expect(set.trace.bytes().at(-1)!.hex).toBe('78797a');
    set.dispose();
  });

  it('with slices, the meter bytes arrive spread over their line time', async () => {
    const { clock, master, set, heard } = virtualBus(20);
    await clock.run(master.write(encodeRequest({ address: '95316176' })));
    await clock.runFor(2000);
    const ident = set.trace.bytes().find((r) => sender(r) === 'bus/meter-95316176')!;
    const n = ident.hex.length / 2;
    expect(heard).toHaveLength(n); // one character per 20 ms slice at 300 baud
    expect(heard.at(-1)!.end - heard[0]!.start).toBeCloseTo(n * charTimeMs(IEC_OPENING), 0);
    expect(ident.end - ident.t).toBeCloseTo(n * charTimeMs(IEC_OPENING), 0);
    set.dispose();
    await clock.run(master.write(encodeRequest({ address: '95316176' })));
    await clock.runFor(2000);
    expect(heard).toHaveLength(n); // detached: nobody answers
  });
});

describe('serveMeters on a pty pair (real time)', () => {
  it('answers over the OS at line pace and closes the device', async () => {
    const clock = new RealClock();
    const pty = await PtyPair.start({ name: 'serve' });
    const served = await serveMeters({ path: pty.a, clock, pace: true, meters: [{ brand: 'EMH', serial: '12345678' }], line: 'pty' });
    const master = await SerialPortEndpoint.open({ path: pty.b, settings: IEC_OPENING, clock });
    try {
      const chunks: RxChunk[] = [];
      const lineEnd = new Promise<void>((resolve) => master.onData((c) => (chunks.push(c), c.bytes.includes(0x0a) && resolve())));
      await master.write(encodeRequest({ address: '12345678' }));
      await Promise.race([lineEnd, clock.sleep(3000)]);
      await clock.sleep(100); // the write ends with the last character's line time
      const ident = decodeAll(concatBytes(chunks.map((c) => c.bytes)), { side: 'meter' });
      expect(ident.map((e) => e.type === 'frame' && e.frame.kind)).toEqual(['identification']);
      const bytes = chunks.reduce((n, c) => n + c.bytes.length, 0);
      // arrival spread over (nearly) the line time: 300 baud, 33.3 ms a character
      expect(chunks.at(-1)!.end - chunks[0]!.end).toBeGreaterThan((bytes - 2) * charTimeMs(IEC_OPENING) * 0.9);
      expect(served.trace.bytes().map(sender)).toEqual(['pty/reader', 'pty/meter-12345678']);
    } finally {
      await served.close();
      await master.close();
      await pty.stop();
    }
    expect(served.endpoint.closed).toBe(true);
  });

  it('rejects a bad spec before opening the device', async () => {
    await expect(serveMeters({ path: '/nonexistent', clock: new RealClock(), pace: false, meters: [{ brand: 'Nope' }] })).rejects.toThrow(/meters\[0\]\.brand: no meter profile/);
  });
});

describe('waitForStopSignal', () => {
  it('resolves with the signal and removes its handlers', async () => {
    const before = process.listenerCount('SIGUSR2');
    const stopped = waitForStopSignal(['SIGUSR2']);
    expect(process.listenerCount('SIGUSR2')).toBe(before + 1);
    process.emit('SIGUSR2', 'SIGUSR2');
    await expect(stopped).resolves.toBe('SIGUSR2');
    expect(process.listenerCount('SIGUSR2')).toBe(before);
  });
});
