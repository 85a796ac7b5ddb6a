import { readdir, readFile, writeFile, appendFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { Outbox, OutboxFullError } from './outbox.ts';
import { event, quietLogger as logger, reading, tempDir } from './test-support.ts';

let dir: string;
let cleanup: () => Promise<void>;
const clock = new VirtualClock();
const t0 = clock.now();

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
});
afterEach(async () => {
  await cleanup();
});

describe('Outbox', () => {
  it('numbers records from 1 and survives a restart with its unacked records and next seq', async () => {
    const a = await Outbox.open({ dir, clock, logger });
    expect(a.recovery).toMatchObject({ segments: 0, pending: 0, nextSeq: 1, lastAcked: 0 });
    for (let i = 0; i < 5; i++) expect((await a.append(reading(t0 + i * 900_000, '1', `${i}`))).seq).toBe(i + 1);
    expect(await a.ack(2)).toBe(2);
    await a.close();

    const b = await Outbox.open({ dir, clock, logger });
    expect(b.recovery).toMatchObject({ pending: 3, nextSeq: 6, lastAcked: 2, tornBytes: 0, corruptLines: 0 });
    expect(b.pending().map((r) => r.seq)).toEqual([3, 4, 5]);
    expect(b.pending(4, 1)).toEqual([{ seq: 4, ...reading(t0 + 3 * 900_000, '1', '3') }]);
    expect((await b.append(event(t0, 'terminal-start'))).seq).toBe(6);
    await b.close();
  });

  it('acks are cumulative, clamp to what exists and never go back', async () => {
    const o = await Outbox.open({ dir, clock, logger });
    for (let i = 0; i < 3; i++) await o.append(event(t0, 'x'));
    expect(await o.ack(99)).toBe(3);
    expect(o.lastAcked).toBe(3);
    expect(await o.ack(1)).toBe(0);
    expect(o.pendingCount).toBe(0);
    expect(o.pendingBytes).toBe(0);
    await o.close();
  });

  it('rolls segments and deletes the ones whose records are all acked', async () => {
    const o = await Outbox.open({ dir, clock, logger, segmentBytes: 600 });
    for (let i = 0; i < 30; i++) await o.append(reading(t0 + i, '7', String(i)));
    const before = (await readdir(dir)).length;
    expect(before).toBeGreaterThan(5);
    await o.ack(25);
    const after = await readdir(dir);
    expect(after.length).toBeLessThan(before);
    await o.close();
    const again = await Outbox.open({ dir, clock, logger, segmentBytes: 600 });
    expect(again.pending().map((r) => r.seq)).toEqual([26, 27, 28, 29, 30]);
    expect(again.nextSeq).toBe(31);
    await again.ack(30);
    await again.close();
    // Only the segment opened by the last recovery survives, holding a header and the ack.
    const last = await Outbox.open({ dir, clock, logger });
    expect(last.recovery).toMatchObject({ pending: 0, nextSeq: 31, lastAcked: 30 });
    expect((await readdir(dir)).length).toBe(1);
    await last.close();
  });

  it('refuses new records when full, keeps the old ones and says so with events', async () => {
    const o = await Outbox.open({ dir, clock, logger, maxBytes: 4096, reserveBytes: 1024 });
    const appended: number[] = [];
    let refused = 0;
    for (let i = 0; i < 40; i++) {
      try {
        appended.push((await o.append(reading(t0 + i, '9', String(i)))).seq);
      } catch (err) {
        expect(err).toBeInstanceOf(OutboxFullError);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(0);
    expect(appended).toEqual(Array.from({ length: appended.length }, (_, i) => i + 1));
    const full = o.pending().filter((r) => r.kind === 'event');
    expect(full).toHaveLength(1);
    expect(full[0]!.body).toMatchObject({ name: 'outbox-full', details: { maxBytes: 4096 } });
    expect(o.pendingBytes).toBeLessThanOrEqual(4096);
    await o.ack(o.nextSeq - 1);
    const after = o.pending();
    expect(after).toHaveLength(1);
    expect(after[0]!.body).toEqual({ name: 'outbox-refused', details: { refused, firstAt: t0, lastAt: t0 } });
    await o.close();
  });

  it('rejects a bad body naming the field, without using a seq', async () => {
    const o = await Outbox.open({ dir, clock, logger });
    const bad = reading(t0);
    (bad.body as { port: string }).port = 'usb';
    await expect(o.append(bad)).rejects.toThrow(InputError);
    await expect(o.append(bad)).rejects.toThrow(/field 'body.port'/);
    await expect(o.append({ ...event(t0, 'x'), at: -1 })).rejects.toThrow(/field 'at'/);
    expect((await o.append(event(t0, 'ok'))).seq).toBe(1);
    await o.close();
  });

  it('drops a torn last line, keeps every record before it, and reports it with an event', async () => {
    const o = await Outbox.open({ dir, clock, logger });
    for (let i = 0; i < 3; i++) await o.append(event(t0, `e${i}`));
    await o.close();
    const seg = (await readdir(dir)).sort().at(-1)!;
    const text = await readFile(join(dir, seg), 'utf8');
    const torn = text.split('\n').at(-2)!.slice(0, 20); // the start of a line, as if cut mid-write
    await appendFile(join(dir, seg), torn);
    const r = await Outbox.open({ dir, clock, logger });
    expect(r.recovery).toMatchObject({ pending: 3, nextSeq: 4, tornBytes: 20, corruptLines: 0 });
    expect(r.pending().map((x) => x.body)).toEqual([
      { name: 'e0' },
      { name: 'e1' },
      { name: 'e2' },
      { name: 'outbox-recovered', details: { tornBytes: 20, corruptLines: 0, pending: 3 } },
    ]);
    await r.close();
    expect((await readFile(join(dir, seg), 'utf8')).endsWith('\n')).toBe(true);
  });

  it('skips a corrupt line in the middle and counts it', async () => {
    const o = await Outbox.open({ dir, clock, logger });
    for (let i = 0; i < 3; i++) await o.append(event(t0, `e${i}`));
    await o.close();
    const seg = (await readdir(dir)).sort().at(-1)!;
    const lines = (await readFile(join(dir, seg), 'utf8')).split('\n');
    lines[2] = lines[2]!.replace('e1', 'E1'); // header, e0, e1, e2: flip a byte of e1
    await writeFile(join(dir, seg), lines.join('\n'));
    const r = await Outbox.open({ dir, clock, logger });
    expect(r.recovery).toMatchObject({ corruptLines: 1, tornBytes: 0, nextSeq: 4 });
    expect(r.pending().map((x) => x.seq)).toEqual([1, 3, 4]);
    await r.close();
  });

  it('rebases pending records after a cloud that holds higher seqs, durably', async () => {
    const o = await Outbox.open({ dir, clock, logger });
    await o.append(event(t0, 'a'));
    await o.append(event(t0, 'b'));
    await o.rebase(1); // below nextSeq: nothing to do
    expect(o.nextSeq).toBe(3);
    await o.rebase(500);
    expect(o.lastAcked).toBe(500);
    expect(o.pending().map((r) => [r.seq, (r.body as { name: string }).name])).toEqual([
      [501, 'a'],
      [502, 'b'],
      [503, 'outbox-rebased'],
    ]);
    await o.close();
    const r = await Outbox.open({ dir, clock, logger });
    expect(r.pending().map((x) => x.seq)).toEqual([501, 502, 503]);
    expect(r.nextSeq).toBe(504);
    await r.close();
  });

  it('registers its file I/O with the clock: virtual time stands still while it writes', async () => {
    const vc = new VirtualClock();
    const fired: number[] = [];
    vc.setTimer(1, () => fired.push(vc.now()));
    const o = await Outbox.open({ dir, clock: vc, logger });
    const times = await vc.run(async () => {
      const seen: number[] = [];
      for (let i = 0; i < 10; i++) {
        await o.append(event(vc.now(), 'tick'));
        seen.push(vc.now());
      }
      await o.ack(10);
      seen.push(vc.now());
      return seen;
    });
    expect(new Set(times)).toEqual(new Set([vc.now()]));
    expect(fired).toEqual([]);
    await o.close();
  });

  it('notifies listeners once a record is durable, and rejects after close', async () => {
    const o = await Outbox.open({ dir, clock, logger });
    const seen: number[] = [];
    o.onAppend((r) => seen.push(r.seq));
    await o.append(event(t0, 'a'));
    expect(seen).toEqual([1]);
    await o.close();
    await expect(o.append(event(t0, 'b'))).rejects.toThrow(/closed/);
  });
});
