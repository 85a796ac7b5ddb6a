/**
 * The contract every `Endpoint` kind must keep, as a vitest suite. Each line kind runs it with a
 * factory that makes two connected ends.
 */
import { expect, it } from 'vitest';
import type { Clock } from '../core/clock/index.ts';
import type { Endpoint, RxChunk } from './endpoint.ts';
import { charTimeMs } from './settings.ts';

export interface ConnectedPair {
  a: Endpoint;
  b: Endpoint;
  clock: Clock;
  /** Drives time (virtual) or waits (real) until the promise settles. */
  run<T>(p: Promise<T>): Promise<T>;
  /** Lets `ms` of clock time pass. */
  pass(ms: number): Promise<void>;
  dispose(): Promise<void>;
  /** The line keeps character timing (virtual lines, paced ptys). */
  timed: boolean;
}

/** Collects `count` bytes at `at`; rejects after `withinMs` of clock time. Not driven: run it. */
function receive(pair: ConnectedPair, at: Endpoint, count: number, withinMs: number): Promise<{ bytes: number[]; chunks: RxChunk[] }> {
  const chunks: RxChunk[] = [];
  const bytes: number[] = [];
  const stop = new AbortController();
  let off = () => {};
  const enough = new Promise<void>((resolve) => {
    off = at.onData((c) => {
      chunks.push(c);
      bytes.push(...c.bytes);
      if (bytes.length >= count) resolve();
    });
  });
  const limit = pair.clock.sleep(withinMs, stop.signal).then(() => {
    throw new Error(`received ${bytes.length} of ${count} bytes within ${withinMs} ms`);
  });
  limit.catch(() => {});
  return Promise.race([enough, limit]).then(
    () => ({ bytes, chunks }),
    (e: unknown) => {
      throw e;
    },
  ).finally(() => {
    off();
    stop.abort();
  });
}

export function endpointConformance(make: () => Promise<ConnectedPair>): void {
  it('delivers every byte value intact and in order, both ways', async () => {
    const pair = await make();
    try {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      const [atB] = await pair.run(Promise.all([receive(pair, pair.b, 256, 5000), pair.a.write(all)]));
      expect(atB.bytes).toEqual([...all]);
      const back = Uint8Array.from([...all].reverse());
      const [atA] = await pair.run(Promise.all([receive(pair, pair.a, 256, 5000), pair.b.write(back)]));
      expect(atA.bytes).toEqual([...back]);
    } finally {
      await pair.dispose();
    }
  });

  it('queues writes in call order and resolves a write only once its bytes are sent', async () => {
    const pair = await make();
    try {
      const atB = receive(pair, pair.b, 30, 5000);
      const began = pair.clock.now();
      const writes = [0, 1, 2].map((k) => pair.a.write(Uint8Array.from({ length: 10 }, (_, i) => k * 10 + i)));
      await pair.run(Promise.all(writes));
      const elapsed = pair.clock.now() - began;
      if (pair.timed) expect(elapsed).toBeGreaterThanOrEqual(30 * charTimeMs(pair.a.settings) - 1e-6);
      const got = await pair.run(atB);
      expect(got.bytes).toEqual(Array.from({ length: 30 }, (_, i) => i));
      for (const c of got.chunks) expect(c.end).toBeGreaterThanOrEqual(c.start);
    } finally {
      await pair.dispose();
    }
  });

  it('switches baud rate on an open line (300 → 9600) and keeps talking', async () => {
    const pair = await make();
    try {
      await pair.run(Promise.all([pair.a.update({ baudRate: 300 }), pair.b.update({ baudRate: 300 })]));
      const [slow] = await pair.run(Promise.all([receive(pair, pair.b, 5, 5000), pair.a.write(Uint8Array.from([0x2f, 0x3f, 0x21, 0x0d, 0x0a]))]));
      expect(slow.bytes).toEqual([0x2f, 0x3f, 0x21, 0x0d, 0x0a]);
      await pair.run(Promise.all([pair.a.update({ baudRate: 9600 }), pair.b.update({ baudRate: 9600 })]));
      expect(pair.a.settings.baudRate).toBe(9600);
      const [fast] = await pair.run(Promise.all([receive(pair, pair.a, 3, 5000), pair.b.write(Uint8Array.from([1, 2, 3]))]));
      expect(fast.bytes).toEqual([1, 2, 3]);
    } finally {
      await pair.dispose();
    }
  });

  it('stops delivering to an unsubscribed listener', async () => {
    const pair = await make();
    try {
      let calls = 0;
      const off = pair.b.onData(() => calls++);
      off();
      await pair.run(Promise.all([receive(pair, pair.b, 2, 5000), pair.a.write(Uint8Array.from([7, 8]))]));
      expect(calls).toBe(0);
    } finally {
      await pair.dispose();
    }
  });

  it('rejects writes after close, and close is idempotent', async () => {
    const pair = await make();
    try {
      await pair.a.close();
      await pair.a.close();
      expect(pair.a.closed).toBe(true);
      await expect(pair.a.write(Uint8Array.of(1))).rejects.toThrow(/closed/);
    } finally {
      await pair.dispose();
    }
  });
}
