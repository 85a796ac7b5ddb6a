import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import type { RxChunk } from '../../lines/endpoint.ts';
import { charTimeMs, IEC_OPENING, MODBUS_DEFAULT } from '../../lines/settings.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { PtyEnd } from './pty-end.ts';

/** A PtyEnd over one end of a virtual wire (standing in for the OS port), on virtual time. */
function setup(hold: ConstructorParameters<typeof PtyEnd>[2], settings = MODBUS_DEFAULT) {
  const clock = new VirtualClock();
  // The inner line is fast, as a pty is: only the PtyEnd's own hold gives it time.
  const fast = { ...settings, baudRate: 115200 };
  const wire = new VirtualWire(clock, 'pty', { id: 'pty/device', settings: fast }, { id: 'pty/peer', settings: fast });
  const end = new PtyEnd(wire.a, clock, hold, settings);
  const arrivals: { t: number; bytes: number[] }[] = [];
  wire.b.onData((c) => arrivals.push({ t: clock.now(), bytes: [...c.bytes] }));
  return { clock, wire, end, arrivals };
}

describe('PtyEnd', () => {
  it('holds a whole write for its line time, then hands it over in one piece', async () => {
    const { clock, end, arrivals } = setup('whole');
    const t0 = clock.now();
    await clock.run(end.write(new Uint8Array(20)));
    expect(arrivals.length).toBe(1);
    expect(arrivals[0]!.bytes.length).toBe(20);
    expect(arrivals[0]!.t - t0).toBeGreaterThanOrEqual(20 * charTimeMs(MODBUS_DEFAULT));
  });

  it('trickles a write in slices of its line time, at its own settings (300 baud: byte by byte)', async () => {
    const { clock, end, arrivals } = setup(20, IEC_OPENING);
    const t0 = clock.now();
    await clock.run(end.write(Uint8Array.from([0x2f, 0x4d, 0x53, 0x59])));
    expect(arrivals.map((a) => a.bytes.length)).toEqual([1, 1, 1, 1]);
    const char = charTimeMs(IEC_OPENING);
    arrivals.forEach((a, i) => expect(a.t - t0).toBeGreaterThanOrEqual((i + 1) * char - 1e-6));
  });

  it('changes settings in process, in order with the writes, and stamps received chunks with them', async () => {
    const { clock, wire, end } = setup('none', IEC_OPENING);
    const got: RxChunk[] = [];
    end.onData((c) => got.push(c));
    const p = end.update({ baudRate: 9600 });
    expect(end.settings.baudRate).toBe(300);
    await clock.run(p);
    expect(end.settings.baudRate).toBe(9600);
    expect(wire.a.settings.baudRate).toBe(115200); // nothing reached the port
    await clock.run(wire.b.write(new Uint8Array(10)));
    await clock.runFor(5);
    expect(got[0]!.end - got[0]!.start).toBeCloseTo(10 * charTimeMs({ ...IEC_OPENING, baudRate: 9600 }), 2);
  });

  it('rejects writes once its port is closed', async () => {
    const { end } = setup('none');
    await end.close();
    await expect(end.write(Uint8Array.of(1))).rejects.toThrow(/closed/);
  });
});
