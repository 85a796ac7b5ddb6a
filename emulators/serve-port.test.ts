import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { VirtualClock } from '../core/clock/index.ts';
import { InputError } from '../core/errors.ts';
import type { Endpoint, RxChunk } from '../lines/endpoint.ts';
import { charTimeMs, MODBUS_DEFAULT } from '../lines/settings.ts';
import { VirtualWire } from '../lines/virtual-wire.ts';
import { createPortTap, createPortWriter, parseBusFile, PortView } from './serve-port.ts';

/** An endpoint that takes writes at once (as a pty does) and notes when each arrived. */
function instantPort(clock: VirtualClock): Endpoint & { writes: { at: number; bytes: number[] }[] } {
  const writes: { at: number; bytes: number[] }[] = [];
  return {
    id: 'pty/port', line: 'pty', settings: MODBUS_DEFAULT, closed: false, writes,
    write: async (b) => void writes.push({ at: clock.now(), bytes: [...b] }),
    update: async () => {},
    onData: () => () => {},
    incomingUntil: () => 0,
    close: async () => {},
  };
}

describe('createPortWriter', () => {
  const c = charTimeMs(MODBUS_DEFAULT);

  it('holding line time, each slice is handed over when its last byte would have arrived on a line', async () => {
    const clock = new VirtualClock();
    const port = instantPort(clock);
    const sent: { t: number; end: number; n: number }[] = [];
    const send = createPortWriter({ port, clock, sliceMs: 20, holdLineTime: true, onSent: (_, t, end, bytes) => sent.push({ t, end, n: bytes.length }) });
    const t0 = clock.now();
    await clock.run(send('a', new Uint8Array(85)));
    const per = Math.floor(20 / c);
    expect(port.writes.map((w) => w.bytes.length)).toEqual([per, per, per, per, 85 - 4 * per]);
    port.writes.forEach((w, i) => expect(w.at - t0).toBeCloseTo(Math.min(85, (i + 1) * per) * c, 3));
    expect(sent).toEqual([{ t: t0, end: port.writes.at(-1)!.at, n: 85 }]);
  });

  it('without holding, a write is handed over whole at once', async () => {
    const clock = new VirtualClock();
    const port = instantPort(clock);
    const send = createPortWriter({ port, clock, sliceMs: 0, onSent: () => {} });
    const t0 = clock.now();
    await clock.run(send('a', new Uint8Array(40)));
    expect(port.writes).toEqual([{ at: t0, bytes: new Array<number>(40).fill(0) }]);
  });

  it('two engines writing at once are both flagged as a collision; one alone is not', async () => {
    const clock = new VirtualClock();
    const wire = new VirtualWire(clock, 'bus', { settings: MODBUS_DEFAULT }, { settings: MODBUS_DEFAULT });
    const flags: [string, boolean][] = [];
    const send = createPortWriter({ port: wire.b, clock, sliceMs: 0, onSent: (from, _t, _e, _b, _s, collision) => flags.push([from, collision]) });
    await clock.run(Promise.all([send('a', new Uint8Array(8)), send('b', new Uint8Array(8))]));
    await clock.run(send('c', new Uint8Array(8)));
    expect(flags).toEqual([['a', true], ['b', true], ['c', false]]);
  });
});

describe('PortView and PortTap', () => {
  it('a view hears the port until closed and writes through the writer with its own id', async () => {
    const clock = new VirtualClock();
    const wire = new VirtualWire(clock, 'bus', { settings: MODBUS_DEFAULT }, { settings: MODBUS_DEFAULT });
    const from: string[] = [];
    const view = new PortView('bus/dev-1', wire.b, async (id, b) => (from.push(id), wire.b.write(b)));
    const heard: RxChunk[] = [];
    view.onData((ch) => heard.push(ch));
    await clock.run(wire.a.write(Uint8Array.of(1, 2)));
    await clock.run(view.write(Uint8Array.of(3)));
    expect(from).toEqual(['bus/dev-1']);
    await view.close();
    await clock.run(wire.a.write(Uint8Array.of(4)));
    expect(heard.map((ch) => [...ch.bytes])).toEqual([[1, 2]]);
    await expect(view.write(Uint8Array.of(5))).rejects.toThrow(/closed/);
  });

  it('a tap prints one line per frame with the sender\'s name, and records it', () => {
    const clock = new VirtualClock();
    const lines: string[] = [];
    const wire = new VirtualWire(clock, 'bus', { settings: MODBUS_DEFAULT }, { settings: MODBUS_DEFAULT });
    const tap = createPortTap({ port: wire.b, clock, onTraffic: (l) => lines.push(l), title: 't', peer: 'meter' });
    tap.name('bus/x', 'device X');
    tap.frame('bus/x', clock.now(), clock.now() + 150, Uint8Array.of(1, 2, 3), MODBUS_DEFAULT, 'hello', true);
    tap.note('bus/x', 'fault on');
    expect(lines).toEqual([
      '00:00:00.000  9600 8N1  device X        → hello (3 bytes, 0.15 s) COLLISION: another meter sent at the same time',
      '00:00:00.000  ** fault on',
    ]);
    expect(tap.trace.records.map((r) => r.kind)).toEqual(['header', 'tx', 'note']);
    expect(tap.trace.bytes()[0]).toMatchObject({ hex: '010203', settings: '9600 8N1', flags: ['collision'] });
  });
});

describe('parseBusFile', () => {
  const schema = z.array(z.strictObject({ name: z.string(), serial: z.string().optional() })).min(1);

  it('returns the checked list', () => {
    expect(parseBusFile("- { name: a, serial: '01' }\n- name: b\n", 'f.yaml', schema, 'name, serial')).toEqual([{ name: 'a', serial: '01' }, { name: 'b' }]);
  });

  it('names the file, the line of a syntax error, and each field', () => {
    const err = (text: string) => {
      try {
        parseBusFile(text, 'f.yaml', schema, 'name, serial');
      } catch (e) {
        if (e instanceof InputError) return e.message;
      }
      throw new Error('expected an InputError');
    };
    expect(err('- name: a\n  name: b\n')).toMatch(/^f\.yaml: line 2: YAML syntax error/);
    expect(err('- { name: a, serial: 1 }\n- { nam: b }\n').split('\n')).toEqual([
      'f.yaml: [0].serial: expected text, got 1 (quote serial numbers in YAML: leading zeros are lost otherwise)',
      'f.yaml: [1].name: missing (expected text)',
      'f.yaml: [1].nam: unknown field (expected name, serial)',
    ]);
  });
});
