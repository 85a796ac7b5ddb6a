/**
 * Reading an outbox directory back after a restart or a power cut: every segment is scanned,
 * torn final lines are cut off the files, and the highest ack, next seq and surviving records
 * are gathered. Leftover `*.tmp` files (a rebase that did not finish) are removed.
 */
import { join } from 'node:path';
import type { Logger } from '../../core/log.ts';
import type { UplinkRecord } from '../../protocols/uplink/records.ts';
import type { OutboxFs } from './outbox-fs.ts';
import { encodeLine, scanSegment, segmentName, segmentNumber } from './outbox-log.ts';

/** Runs one file operation (registered with the clock, failures remembered). */
export type OutboxIo = <T>(label: string, work: () => Promise<T>) => Promise<T>;

export interface FoundSegment {
  n: number;
  /** Highest record seq in it (0: none). */
  maxSeq: number;
  size: number;
}

export interface DirScan {
  segments: FoundSegment[];
  /** Every record found, first copy of each seq, in seq order, with its size on disk. */
  records: { record: UplinkRecord; bytes: number }[];
  acked: number;
  next: number;
  tornBytes: number;
  corruptLines: number;
}

export async function scanOutboxDir(fs: OutboxFs, dir: string, io: OutboxIo, log: Logger): Promise<DirScan> {
  await io('mkdir', () => fs.mkdir(dir));
  const names = await io('list', () => fs.list(dir));
  for (const name of names.filter((n) => n.endsWith('.tmp'))) await io('remove', () => fs.remove(join(dir, name)));
  const numbers = names
    .map(segmentNumber)
    .filter((n): n is number => n !== undefined)
    .sort((a, b) => a - b);
  const records = new Map<number, { record: UplinkRecord; bytes: number }>();
  const out: DirScan = { segments: [], records: [], acked: 0, next: 1, tornBytes: 0, corruptLines: 0 };
  for (const n of numbers) {
    const path = join(dir, segmentName(n));
    const scan = scanSegment(await io('read', () => fs.read(path)));
    if (scan.tornBytes > 0) {
      out.tornBytes += scan.tornBytes;
      log.warn({ segment: segmentName(n), bytes: scan.tornBytes }, 'dropping a torn final line');
      const f = await io('open', () => fs.open(path, 'update'));
      await io('truncate', () => f.truncate(scan.goodLength));
      await io('sync', () => f.sync());
      await io('close', () => f.close());
    }
    out.corruptLines += scan.corrupt.length;
    let maxSeq = 0;
    for (const e of scan.entries) {
      if ('head' in e) {
        out.acked = Math.max(out.acked, e.head.acked);
        out.next = Math.max(out.next, e.head.next);
      } else if ('ack' in e) out.acked = Math.max(out.acked, e.ack);
      else {
        maxSeq = Math.max(maxSeq, e.seq);
        if (!records.has(e.seq)) records.set(e.seq, { record: e, bytes: encodeLine(e).length });
      }
    }
    out.segments.push({ n, maxSeq, size: scan.goodLength });
  }
  for (const seq of records.keys()) out.next = Math.max(out.next, seq + 1);
  out.next = Math.max(out.next, out.acked + 1);
  out.records = [...records.values()].sort((a, b) => a.record.seq - b.record.seq);
  return out;
}
