import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RealClock } from '../core/clock/index.ts';
import type { RxChunk } from './endpoint.ts';
import { endpointConformance } from './endpoint-conformance.ts';
import { PtyBus } from './pty-bus.ts';
import { SerialPortEndpoint } from './serialport-endpoint.ts';
import { MODBUS_DEFAULT, charTimeMs } from './settings.ts';
import type { LineEvent } from './tap.ts';

/** A bus with drops `names`, each opened by a device endpoint (paced, as emulators open theirs). */
async function busWith(names: string[], echo: string[] = [], settings = MODBUS_DEFAULT) {
  const clock = new RealClock();
  const bus = new PtyBus({ clock, line: 'rs485', settings });
  const events: LineEvent[] = [];
  bus.tap((e) => events.push(e));
  const ends: SerialPortEndpoint[] = [];
  for (const n of names) {
    const drop = await bus.attach(n, { echo: echo.includes(n) });
    ends.push(await SerialPortEndpoint.open({ path: drop.path, settings, clock, pace: true, id: drop.id, line: 'rs485' }));
  }
  const heard = ends.map(() => [] as RxChunk[]);
  ends.forEach((e, i) => e.onData((c) => heard[i]!.push(c)));
  const bytesAt = (i: number) => heard[i]!.flatMap((c) => [...c.bytes]);
  const close = async () => {
    for (const e of ends) await e.close();
    await bus.close();
  };
  return { clock, bus, ends, heard, bytesAt, events, close };
}

describe('PtyBus drops', () => {
  endpointConformance(async () => {
    const { clock, ends, close } = await busWith(['master', 'bystander', 'slave'], [], { ...MODBUS_DEFAULT, baudRate: 38400 });
    return { a: ends[0]!, b: ends[2]!, clock, timed: true, run: (p) => p, pass: (ms) => clock.sleep(ms), dispose: close };
  });
});

describe('PtyBus hub', () => {
  it('repeats what one drop sends to every other drop, at the bus’s character time, and traces it once', async () => {
    const b = await busWith(['terminal', 'meter-1', 'meter-2']);
    try {
      const frame = Uint8Array.from({ length: 40 }, (_, i) => i + 1);
      const began = b.clock.now();
      await b.ends[0]!.write(frame);
      await b.clock.sleep(120);
      expect(b.bytesAt(1)).toEqual([...frame]);
      expect(b.bytesAt(2)).toEqual([...frame]);
      expect(b.bytesAt(0)).toEqual([]);
      // The last slice reaches the drops no earlier than 40 character times after the hub had the bytes.
      expect(b.heard[1]!.at(-1)!.end - began).toBeGreaterThanOrEqual(40 * charTimeMs(MODBUS_DEFAULT) - 1);
      const tx = b.events.filter((e) => e.kind === 'tx');
      expect(new Set(tx.map((e) => (e.kind === 'tx' ? e.from : '')))).toEqual(new Set(['rs485/terminal']));
      expect(tx.reduce((n, e) => n + (e.kind === 'tx' ? e.bytes.length : 0), 0)).toBe(40);
    } finally {
      await b.close();
    }
  });

  it('echoes a drop’s own bytes back to it when the drop has echo', async () => {
    const b = await busWith(['terminal', 'meter'], ['terminal']);
    try {
      await b.ends[0]!.write(Uint8Array.of(1, 2, 3));
      await b.clock.sleep(80);
      expect(b.bytesAt(0)).toEqual([1, 2, 3]);
      expect(b.bytesAt(1)).toEqual([1, 2, 3]);
    } finally {
      await b.close();
    }
  });

  it('garbles two drops that send at overlapping times for every listener and flags the collision', async () => {
    const b = await busWith(['terminal', 'meter-1', 'meter-2']);
    try {
      const one = new Uint8Array(30).fill(0x55);
      const two = new Uint8Array(30).fill(0x0f);
      await Promise.all([b.ends[1]!.write(one), b.ends[2]!.write(two)]);
      await b.clock.sleep(120);
      const got = b.bytesAt(0);
      expect(got.length).toBeGreaterThan(0);
      expect(got).not.toEqual([...one]);
      expect(got).not.toEqual([...two]);
      expect(b.events.some((e) => e.kind === 'rx' && e.collision)).toBe(true);
    } finally {
      await b.close();
    }
  });

  it('keeps back-to-back sends of one drop apart from a later answer: no false collision', async () => {
    const b = await busWith(['terminal', 'meter']);
    try {
      await b.ends[0]!.write(Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8));
      await b.clock.sleep(60);
      await b.ends[1]!.write(Uint8Array.of(9, 10));
      await b.clock.sleep(60);
      expect(b.bytesAt(0)).toEqual([9, 10]);
      expect(b.bytesAt(1)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
      expect(b.events.some((e) => e.kind === 'rx' && e.collision)).toBe(false);
    } finally {
      await b.close();
    }
  });

  it('refuses a drop name used twice and removes every device path when closed', async () => {
    const b = await busWith(['terminal', 'meter']);
    const paths = b.bus.drops.map((d) => d.path);
    await expect(b.bus.attach('meter')).rejects.toThrow(/already attached/);
    await b.close();
    expect(paths.some((p) => existsSync(p))).toBe(false);
    await b.bus.close();
  });
});
