/**
 * Power cuts at chosen byte counts: the outbox writes through `powerCutFs`, the power goes off in
 * the middle of a write (leaving real torn bytes on disk), and a new outbox on the same directory
 * must recover every record whose append had resolved, and nothing half-written.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import type { UplinkRecord } from '../../protocols/uplink/records.ts';
import { Outbox } from './outbox.ts';
import { nodeOutboxFs, powerCutFs, PowerCutError } from './outbox-fs.ts';
import { event, quietLogger as logger, tempDir } from './test-support.ts';

const clock = new VirtualClock();
const t0 = clock.now();
let dir: string;
let cleanup: () => Promise<void>;
beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('ht-powercut-'));
});
afterEach(async () => {
  await cleanup();
});

interface Done {
  appended: UplinkRecord[];
  acked: number;
  ackInFlight: number;
}

/** Appends 8 records, acking all but the newest after every third; small segments roll and go. */
async function workload(afterBytes: number, done: Done): Promise<number> {
  const fs = powerCutFs(nodeOutboxFs, { afterBytes });
  try {
    const o = await Outbox.open({ dir, clock, fs, segmentBytes: 220, logger });
    for (let i = 0; i < 8; i++) {
      done.appended.push(await o.append(event(t0 + i, `e${i}`, { i })));
      if (i % 3 === 2) {
        done.ackInFlight = done.appended.at(-1)!.seq - 1;
        await o.ack(done.ackInFlight);
        done.acked = done.ackInFlight;
      }
    }
    await o.close();
  } catch (err) {
    if (!(err instanceof PowerCutError)) throw err;
  }
  return fs.written;
}

async function checkRecovery(done: Done): Promise<void> {
  const o = await Outbox.open({ dir, clock, logger });
  const own = (r: UplinkRecord) => (r.body as { name: string }).name === 'outbox-recovered';
  const lastAcked = o.lastAcked;
  expect(lastAcked).toBeGreaterThanOrEqual(done.acked);
  expect(lastAcked).toBeLessThanOrEqual(Math.max(done.acked, done.ackInFlight));
  const expected = done.appended.filter((r) => r.seq > lastAcked);
  expect(o.pending().filter((r) => !own(r))).toEqual(expected);
  const lastSeq = done.appended.at(-1)?.seq ?? 0;
  const next = o.nextSeq;
  expect(next).toBe(lastSeq + 1 + o.pending().filter(own).length);
  // Life goes on: the next record follows, and a further restart finds a clean log.
  const r = await o.append(event(t0, 'after'));
  expect(r.seq).toBe(next);
  await o.close();
  const again = await Outbox.open({ dir, clock, logger });
  expect(again.recovery).toMatchObject({ tornBytes: 0, corruptLines: 0, nextSeq: next + 1 });
  expect(again.pending().at(-1)).toEqual(r);
  await again.close();
}

describe('outbox power cut', () => {
  it('recovers at cut points spread over appends, acks, segment rolls and compaction', async () => {
    const total = await workload(Number.POSITIVE_INFINITY, { appended: [], acked: 0, ackInFlight: 0 });
    expect(total).toBeGreaterThan(800);
    await cleanup();
    let cuts = 0;
    for (let cut = 0; cut < total; cut += 53) {
      ({ dir, cleanup } = await tempDir('ht-powercut-'));
      const done: Done = { appended: [], acked: 0, ackInFlight: 0 };
      await workload(cut, done);
      await checkRecovery(done);
      await cleanup();
      cuts++;
    }
    expect(cuts).toBeGreaterThan(15);
  });

  it('loses nothing that was acknowledged to the caller at any byte of a record line', async () => {
    // Measure where the second record's line sits in the byte stream.
    const probe = powerCutFs(nodeOutboxFs);
    const p = await Outbox.open({ dir, clock, fs: probe, logger });
    await p.append(event(t0, 'first', { n: 1 }));
    const from = probe.written;
    await p.append(event(t0, 'second', { n: 2 }));
    const to = probe.written;
    await p.close();
    await cleanup();
    // Every byte near both ends of the line, every fifth in between.
    const cuts = [...Array(to - from + 1).keys()].map((i) => from + i).filter((c) => c - from < 8 || to - c < 8 || (c - from) % 5 === 0);
    for (const cut of cuts) {
      ({ dir, cleanup } = await tempDir('ht-powercut-'));
      const fs = powerCutFs(nodeOutboxFs, { afterBytes: cut });
      const o = await Outbox.open({ dir, clock, fs, logger });
      const first = await o.append(event(t0, 'first', { n: 1 }));
      const second = await o.append(event(t0, 'second', { n: 2 })).catch((e: unknown) => e);
      const r = await Outbox.open({ dir, clock, logger });
      if (second instanceof PowerCutError) {
        expect(r.pending()[0]).toEqual(first);
        expect(r.pending().slice(1).map((x) => (x.body as { name: string }).name)).toEqual(cut > from ? ['outbox-recovered'] : []);
        expect(r.recovery.tornBytes).toBe(cut - from);
      } else {
        expect(r.pending()).toEqual([first, second]);
      }
      await r.close();
      await cleanup();
    }
  });

  it('a power cut leaves the old outbox broken: later calls reject', async () => {
    const fs = powerCutFs(nodeOutboxFs);
    const o = await Outbox.open({ dir, clock, fs, logger });
    await o.append(event(t0, 'a'));
    fs.cutNow();
    await expect(o.append(event(t0, 'b'))).rejects.toThrow(PowerCutError);
    await expect(o.ack(1)).rejects.toThrow(PowerCutError);
    const r = await Outbox.open({ dir, clock, logger });
    expect(r.pending().map((x) => x.seq)).toEqual([1]);
    await r.close();
  });
});
