import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../core/clock/index.ts';
import { ascii, fromAscii } from '../core/bytes.ts';
import type { RxChunk } from './endpoint.ts';
import { Rs485Bus } from './rs485-bus.ts';
import { charTimeMs, formatSettings, IEC_OPENING, MODBUS_DEFAULT, parseSettings, type LineSettings } from './settings.ts';
import type { LineEvent } from './tap.ts';
import { VirtualWire } from './virtual-wire.ts';
import { decodeWaveform, encodeWaveform } from './uart.ts';
import { LineReader, ReadTimeoutError } from './reader.ts';
import { QuietDetector, modbusFrameGapMs, type GapFrame } from './quiet.ts';

const S8N1: LineSettings = { ...MODBUS_DEFAULT };

function collect(ep: { onData(l: (c: RxChunk) => void): () => void }): RxChunk[] {
  const got: RxChunk[] = [];
  ep.onData((c) => got.push(c));
  return got;
}

describe('line settings', () => {
  it('character time: 300 7E1 is 33.3 ms, 9600 8N1 is 1.04 ms', () => {
    expect(charTimeMs(IEC_OPENING)).toBeCloseTo(33.333, 3);
    expect(charTimeMs(S8N1)).toBeCloseTo(1.0417, 4);
    expect(charTimeMs({ baudRate: 19200, dataBits: 8, parity: 'even', stopBits: 2 })).toBeCloseTo(12 / 19.2, 6);
  });

  it('parses and formats, and names the field of a bad value', () => {
    expect(parseSettings('300 7E1')).toEqual(IEC_OPENING);
    expect(formatSettings(parseSettings('9600/8n1'))).toBe('9600 8N1');
    expect(() => parseSettings('9600 9N1', 'rig.yaml: ports[0].settings')).toThrow(/rig\.yaml: ports\[0\]\.settings: '9600 9N1'/);
    expect(() => parseSettings('250 8N1')).toThrow(/baud rate 250 is outside/);
  });
});

describe('UART bit model', () => {
  it('round-trips every byte at every framing', () => {
    for (const s of [IEC_OPENING, S8N1, { baudRate: 1200, dataBits: 8, parity: 'odd', stopBits: 2 } as LineSettings]) {
      const bytes = Uint8Array.from({ length: 128 }, (_, i) => (s.dataBits === 7 ? i : i * 2 + 1) & 0xff);
      const got = decodeWaveform(encodeWaveform(bytes, s, 0), s);
      expect(got.map((d) => d.value)).toEqual([...bytes]);
      expect(got.every((d) => !d.error)).toBe(true);
    }
  });
});

describe('VirtualWire', () => {
  it('delivers bytes one character time apart, at the sender settings', async () => {
    const clock = new VirtualClock({ start: 0 });
    const wire = new VirtualWire(clock, 'optical', { settings: IEC_OPENING }, { settings: IEC_OPENING });
    const got = collect(wire.b);
    const sent = clock.run(wire.a.write(ascii('/?!\r\n')));
    await sent;
    expect(clock.now()).toBeCloseTo(5 * 33.3333, 3);
    expect(got).toHaveLength(1);
    expect(fromAscii(got[0]!.bytes)).toBe('/?!\r\n');
    expect(got[0]!.start).toBe(0);
    expect(got[0]!.end).toBeCloseTo(166.667, 3);
  });

  it('queues writes back to back and applies update() only after they drained', async () => {
    const clock = new VirtualClock({ start: 0 });
    const wire = new VirtualWire(clock, 'rs232', { settings: IEC_OPENING }, { settings: IEC_OPENING });
    const got = collect(wire.b);
    const sent: LineEvent[] = [];
    wire.tap((e) => sent.push(e));
    void wire.a.write(ascii('AB'));
    void wire.a.update({ baudRate: 9600 });
    await clock.run(wire.a.write(ascii('C')));
    await clock.runFor(100);
    expect(fromAscii(got[0]!.bytes)).toBe('AB');
    const c = sent.find((e): e is Extract<LineEvent, { kind: 'tx' }> => e.kind === 'tx' && e.bytes[0] === 0x43);
    expect(c?.start).toBeCloseTo(66.667, 3);
    expect(c?.settings.baudRate).toBe(9600);
    // b still listens at 300 baud: a 1 ms character is too short to be seen as a start bit
    expect(got.filter((g) => !g.mismatch)).toHaveLength(1);
  });

  it('7E1 sent to an 8N1 reader shows the parity bit as bit 7', async () => {
    const clock = new VirtualClock({ start: 0 });
    const wire = new VirtualWire(clock, 'rs232', { settings: IEC_OPENING }, { settings: { ...IEC_OPENING, dataBits: 8, parity: 'none' } });
    const got = collect(wire.b);
    const events: LineEvent[] = [];
    wire.tap((e) => events.push(e));
    await clock.run(wire.a.write(ascii('/?!\r\n')));
    // even parity: '/' 0x2f has 5 ones → parity 1 → 0xaf; '?' 0x3f six ones → 0x3f; '!' 0x21 two → 0x21
    // CR 0x0d three → 0x8d; LF 0x0a two → 0x0a
    expect([...got[0]!.bytes]).toEqual([0xaf, 0x3f, 0x21, 0x8d, 0x0a]);
    expect(got[0]!.errors).toBeUndefined();
    expect(events.map((e) => e.kind)).toEqual(['tx', 'rx']);
  });

  it('8N1 sent to a 7E1 reader gives parity errors', async () => {
    const clock = new VirtualClock({ start: 0 });
    const wire = new VirtualWire(clock, 'rs232', { settings: S8N1 }, { settings: { ...S8N1, dataBits: 7, parity: 'even' } });
    const got = collect(wire.b);
    await clock.run(wire.a.write(Uint8Array.of(0x01, 0x03)));
    expect(got[0]!.errors?.some((e) => e.kind === 'parity')).toBe(true);
  });

  it('a baud mismatch yields flagged garbage, never the sent bytes', async () => {
    const sent = ascii('/ELS5\\@V9.20\r\n');
    for (const [tx, rx] of [[9600, 300], [300, 9600]] as const) {
      const clock = new VirtualClock({ start: 0 });
      const wire = new VirtualWire(clock, 'rs232', { settings: { ...IEC_OPENING, baudRate: tx } }, { settings: { ...IEC_OPENING, baudRate: rx } });
      const got = collect(wire.b);
      await clock.run(wire.a.write(sent));
      await clock.runFor(100);
      const received = got.flatMap((c) => [...c.bytes]);
      expect(received).not.toEqual([...sent]);
      expect(got.every((c) => c.mismatch?.baudRate === tx)).toBe(true);
      if (tx < rx) expect(got.some((c) => c.errors?.some((e) => e.kind === 'break' || e.kind === 'framing'))).toBe(true);
    }
  });

  it('echoes to a sender with an echoing probe', async () => {
    const clock = new VirtualClock({ start: 0 });
    const wire = new VirtualWire(clock, 'optical', { settings: IEC_OPENING, echo: true }, { settings: IEC_OPENING });
    const own = collect(wire.a);
    await clock.run(wire.a.write(ascii('/?!\r\n')));
    expect(own[0]!.echo).toBe(true);
    expect(fromAscii(own[0]!.bytes)).toBe('/?!\r\n');
  });

  it('is full duplex: both ends may talk at once without collision', async () => {
    const clock = new VirtualClock({ start: 0 });
    const wire = new VirtualWire(clock, 'rs232', { settings: S8N1 }, { settings: S8N1 });
    const atA = collect(wire.a);
    const atB = collect(wire.b);
    await clock.run(Promise.all([wire.a.write(ascii('ping')), wire.b.write(ascii('pong'))]));
    expect(fromAscii(atB[0]!.bytes)).toBe('ping');
    expect(fromAscii(atA[0]!.bytes)).toBe('pong');
    expect(atA[0]!.collision).toBeUndefined();
  });
});

describe('Rs485Bus', () => {
  it('every other drop hears a sender; the sender hears itself only with adapter echo', async () => {
    const clock = new VirtualClock({ start: 0 });
    const bus = new Rs485Bus(clock, 'rs485');
    const master = bus.attach('master', { settings: S8N1, echo: true });
    const m1 = bus.attach('m1', { settings: S8N1 });
    const m2 = bus.attach('m2', { settings: S8N1 });
    const [atMaster, at1, at2] = [collect(master), collect(m1), collect(m2)];
    await clock.run(master.write(ascii('hello')));
    expect(fromAscii(at1[0]!.bytes)).toBe('hello');
    expect(fromAscii(at2[0]!.bytes)).toBe('hello');
    expect(atMaster[0]!.echo).toBe(true);
    await clock.run(m1.write(ascii('x')));
    expect(at1).toHaveLength(1);
    expect(fromAscii(at2[1]!.bytes)).toBe('x');
  });

  it('two overlapping senders collide for every listener', async () => {
    const clock = new VirtualClock({ start: 0 });
    const bus = new Rs485Bus(clock, 'rs485');
    const master = bus.attach('master', { settings: S8N1 });
    const m1 = bus.attach('m1', { settings: S8N1 });
    const m2 = bus.attach('m2', { settings: S8N1 });
    const atMaster = collect(master);
    const events: LineEvent[] = [];
    bus.tap((e) => events.push(e));
    const a = m1.write(Uint8Array.of(0x01, 0x03, 0x02, 0x00, 0x0a));
    clock.setTimer(2, () => void m2.write(Uint8Array.of(0x01, 0x03, 0x02, 0x00, 0x14)));
    await clock.run(a);
    await clock.runFor(20);
    expect(atMaster).toHaveLength(1);
    expect(atMaster[0]!.collision).toBe(true);
    expect([...atMaster[0]!.bytes]).not.toEqual([0x01, 0x03, 0x02, 0x00, 0x0a]);
    expect(events.filter((e) => e.kind === 'tx')).toHaveLength(2);
    expect(events.some((e) => e.kind === 'rx' && e.collision)).toBe(true);
  });

  it('back-to-back senders that do not overlap do not collide', async () => {
    const clock = new VirtualClock({ start: 0 });
    const bus = new Rs485Bus(clock, 'rs485');
    const master = bus.attach('master', { settings: S8N1 });
    const m1 = bus.attach('m1', { settings: S8N1 });
    const m2 = bus.attach('m2', { settings: S8N1 });
    const atMaster = collect(master);
    await clock.run(m1.write(ascii('ab')));
    await clock.run(m2.write(ascii('cd')));
    expect(atMaster.map((c) => fromAscii(c.bytes))).toEqual(['ab', 'cd']);
    expect(atMaster.every((c) => !c.collision)).toBe(true);
  });
});

describe('LineReader', () => {
  it('returns a frame, keeps the rest, and times out with what arrived', async () => {
    const clock = new VirtualClock({ start: 0 });
    const wire = new VirtualWire(clock, 'rs232', { settings: S8N1 }, { settings: S8N1 });
    const reader = new LineReader(wire.b, clock);
    void wire.a.write(ascii('one\ntwo'));
    const lf = (b: Uint8Array) => b.indexOf(0x0a) + 1;
    const first = await clock.run(reader.read({ frame: lf, firstByteTimeoutMs: 100, interCharTimeoutMs: 10 }));
    expect(fromAscii(first.bytes)).toBe('one\n');
    const err = await clock.run(reader.read({ frame: lf, firstByteTimeoutMs: 100, interCharTimeoutMs: 10, label: 'readout' })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ReadTimeoutError);
    expect((err as ReadTimeoutError).reason).toBe('inter-char');
    expect(fromAscii((err as ReadTimeoutError).partial.bytes)).toBe('two');
    const none = await clock.run(reader.read({ frame: lf, firstByteTimeoutMs: 1500 })).catch((e: unknown) => e);
    expect((none as ReadTimeoutError).reason).toBe('first-byte');
    expect(String(none)).toMatch(/no answer after 1500\.0 ms \(nothing received\)/);
  });

  it('a long chunk already on its way is not an inter-character timeout', async () => {
    const clock = new VirtualClock({ start: 0 });
    const wire = new VirtualWire(clock, 'optical', { settings: IEC_OPENING }, { settings: IEC_OPENING });
    const reader = new LineReader(wire.b, clock);
    void wire.a.write(ascii('/'));
    clock.setTimer(50, () => void wire.a.write(ascii('ABCDEFGHIJ\n')));
    const r = await clock.run(reader.read({ frame: (b) => b.indexOf(0x0a) + 1, firstByteTimeoutMs: 100, interCharTimeoutMs: 30 }));
    expect(fromAscii(r.bytes)).toBe('/ABCDEFGHIJ\n');
  });
});

describe('QuietDetector', () => {
  it('cuts frames at 3.5 character silences and not at shorter pauses', async () => {
    const clock = new VirtualClock({ start: 0 });
    const bus = new Rs485Bus(clock, 'rs485');
    const master = bus.attach('master', { settings: S8N1 });
    const slave = bus.attach('s1', { settings: S8N1 });
    const frames: GapFrame[] = [];
    new QuietDetector(master, clock, () => modbusFrameGapMs(S8N1), (f) => frames.push(f));
    const gap = modbusFrameGapMs(S8N1);
    expect(gap).toBeCloseTo(3.6458, 3);
    void slave.write(Uint8Array.of(1, 2, 3));
    clock.setTimer(3 * charTimeMs(S8N1) + 1.5 * charTimeMs(S8N1), () => void slave.write(Uint8Array.of(4, 5)));
    clock.setTimer(20, () => void slave.write(Uint8Array.of(6)));
    await clock.runFor(50);
    expect(frames.map((f) => [...f.bytes])).toEqual([[1, 2, 3, 4, 5], [6]]);
    expect(modbusFrameGapMs({ ...S8N1, baudRate: 38400 })).toBe(1.75);
  });
});

describe('waveforms', () => {
  it('the on-demand waveform of a transmission samples like its list of level changes', async () => {
    const { CharWaveform, EdgeWaveform, edgesOf } = await import('./uart.ts');
    const s: LineSettings = { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 };
    const bytes = Uint8Array.from({ length: 200 }, (_, i) => (i * 37 + 11) & 0x7f);
    const a = new CharWaveform(bytes, s, 1000);
    const b = new EdgeWaveform(edgesOf(bytes, s, 1000));
    const bit = 1000 / 9600;
    for (let t = 990; t < 1000 + 200 * (10 / 9.6) + 5; t += 0.0371) {
      const fromBoundary = Math.abs((t - 1000) / bit - Math.round((t - 1000) / bit)) * bit;
      if (fromBoundary < 1e-6) continue; // the edge list accumulates rounding at boundaries
      expect(a.levelAt(t)).toBe(b.levelAt(t));
      expect(a.nextFallingEdge(t) ?? -1).toBeCloseTo(b.nextFallingEdge(t) ?? -1, 6);
    }
  });
});
