/**
 * The durable outbox: records the terminal has made but the cloud has not yet acknowledged.
 *
 * Contract:
 * - A record is durable once `append()` resolves: its line is written and fsynced. Before that
 *   it may be lost in a power cut, and the caller (the meter reader) counts a reading as queued
 *   only after `append()` resolves. A record lost that way never had its seq handed out, so the
 *   seq is given to the next record.
 * - Seqs are 1, 2, 3, … per outbox directory, contiguous, never reused once handed out, and
 *   survive restarts: `Outbox.open` on the same directory recovers every unacked record and the
 *   next seq.
 * - `ack(upTo)` writes and fsyncs an ack line, drops those records from memory and deletes
 *   segment files whose records are all acknowledged (compaction).
 * - Size bound: the unacked records may take at most `maxBytes` on disk. When an append would
 *   go past `maxBytes − reserveBytes`, the record is refused (`OutboxFullError`): the oldest
 *   records are kept, the newest refused (meter registers are cumulative, so the cloud can still
 *   compute consumption across the gap). Never silently: the first refusal appends an
 *   `outbox-full` event into the reserve, and once acks make room again an `outbox-refused`
 *   event tells how many records were refused and when.
 * - After a torn last line is dropped or corrupt lines are skipped at recovery, an
 *   `outbox-recovered` event says so.
 * - Every file operation is registered with the clock (`clock.track`), so virtual time stands
 *   still while it is in flight. A failed file operation (or a simulated power cut) leaves the
 *   outbox broken: every later call rejects with that error; reopen the directory to recover.
 */
import { join } from 'node:path';
import type { Clock } from '../../core/clock/index.ts';
import { HtHilError, InputError } from '../../core/errors.ts';
import { createLogger, type Logger } from '../../core/log.ts';
import { validateRecordBody, type RecordInput, type UplinkRecord } from '../../protocols/uplink/records.ts';
import { nodeOutboxFs, type OutboxFile, type OutboxFs } from './outbox-fs.ts';
import { encodeLine, segmentName } from './outbox-log.ts';
import { scanOutboxDir } from './outbox-recovery.ts';

/** The record was not queued: the outbox is full of unacknowledged records. */
export class OutboxFullError extends HtHilError {
  constructor(message: string) {
    super('E_OUTBOX_FULL', message);
  }
}

export interface OutboxOptions {
  /** Directory of the segment files; created if missing. */
  dir: string;
  clock: Clock;
  /** File operations; default the real file system. */
  fs?: OutboxFs;
  /** Bytes of unacknowledged records allowed on disk (default 16 MiB). */
  maxBytes?: number;
  /** Part of `maxBytes` kept for the outbox's own events (default 8 KiB). */
  reserveBytes?: number;
  /** A segment file is closed and a new one started past this size (default 1 MiB). */
  segmentBytes?: number;
  logger?: Logger;
}

/** What `open` found on disk. */
export interface OutboxRecovery {
  segments: number;
  pending: number;
  lastAcked: number;
  nextSeq: number;
  /** Bytes of torn final lines dropped. */
  tornBytes: number;
  /** Bad lines skipped that were followed by good ones. */
  corruptLines: number;
}

/** Longest line the outbox takes: a record must fit one uplink frame. */
const MAX_LINE = 60_000;

interface Segment {
  n: number;
  maxSeq: number;
  size: number;
  hasEntries: boolean;
}
interface Pending {
  record: UplinkRecord;
  bytes: number;
}

export class Outbox {
  readonly dir: string;
  readonly maxBytes: number;
  readonly reserveBytes: number;
  readonly segmentBytes: number;
  private readonly clock: Clock;
  private readonly fs: OutboxFs;
  private readonly log: Logger;
  private segments: Segment[] = [];
  private file: OutboxFile | undefined;
  private pendingList: Pending[] = [];
  private head = 0;
  private pendingBytesTotal = 0;
  private next = 1;
  private acked = 0;
  private queue: Promise<unknown> = Promise.resolve();
  private broken: Error | undefined;
  private closed = false;
  private overflow: { refused: number; firstAt: number; lastAt: number } | undefined;
  private readonly listeners = new Set<(record: UplinkRecord) => void>();
  private recovered!: OutboxRecovery;

  private constructor(options: OutboxOptions) {
    this.dir = options.dir;
    this.clock = options.clock;
    this.fs = options.fs ?? nodeOutboxFs;
    this.maxBytes = options.maxBytes ?? 16 * 1024 * 1024;
    this.reserveBytes = options.reserveBytes ?? 8 * 1024;
    this.segmentBytes = options.segmentBytes ?? 1024 * 1024;
    this.log = options.logger ?? createLogger('outbox', { dir: options.dir });
    if (!(this.reserveBytes >= 1024 && this.maxBytes > this.reserveBytes)) {
      throw new InputError('outbox options', `maxBytes (${this.maxBytes}) must exceed reserveBytes (${this.reserveBytes}), which must be at least 1024`);
    }
  }

  /** Opens (or creates) the outbox in `options.dir`, recovering what a previous run left. */
  static async open(options: OutboxOptions): Promise<Outbox> {
    const o = new Outbox(options);
    await o.exclusive(() => o.recover());
    return o;
  }

  /** What the last `open` found. */
  get recovery(): OutboxRecovery {
    return this.recovered;
  }
  /** The seq the next appended record gets. */
  get nextSeq(): number {
    return this.next;
  }
  /** Highest acknowledged seq (0: none yet). */
  get lastAcked(): number {
    return this.acked;
  }
  get pendingCount(): number {
    return this.pendingList.length - this.head;
  }
  /** Bytes the unacknowledged records take on disk. */
  get pendingBytes(): number {
    return this.pendingBytesTotal;
  }

  /** Unacknowledged records with seq ≥ `fromSeq`, in seq order, at most `max`. */
  pending(fromSeq = 0, max = Number.POSITIVE_INFINITY): UplinkRecord[] {
    let lo = this.head;
    let hi = this.pendingList.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.pendingList[mid]!.record.seq < fromSeq) lo = mid + 1;
      else hi = mid;
    }
    const out: UplinkRecord[] = [];
    for (let i = lo; i < this.pendingList.length && out.length < max; i++) out.push(this.pendingList[i]!.record);
    return out;
  }

  /** Called with every record once it is durable. Returns the unsubscribe function. */
  onAppend(listener: (record: UplinkRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Numbers the record, writes and fsyncs it; resolves with the numbered record once durable.
   * Rejects with `InputError` for a body its kind does not allow, `OutboxFullError` when full.
   */
  append(input: RecordInput): Promise<UplinkRecord> {
    return this.exclusive(() => this.appendLocked(input, false));
  }

  /** Marks every record up to `upTo` acknowledged; resolves with how many were removed. */
  ack(upTo: number): Promise<number> {
    return this.exclusive(() => this.ackLocked(upTo));
  }

  /**
   * The cloud holds seqs up to `upTo` although this outbox never handed them out (its storage
   * was reset, or this modem number moved to new hardware). Renumbers the pending records to
   * follow `upTo` so that the cloud does not take them for resends, and records an
   * `outbox-rebased` event. Does nothing when `upTo < nextSeq`. Crash-safe: the renumbered
   * segment is written under a temporary name and renamed into place before old ones go.
   */
  rebase(upTo: number): Promise<void> {
    return this.exclusive(() => this.rebaseLocked(upTo));
  }

  /** Closes the segment file. Later calls reject. */
  close(): Promise<void> {
    return this.exclusive(async () => {
      this.closed = true;
      const f = this.file;
      this.file = undefined;
      if (f) await this.io('close', () => f.close());
    });
  }

  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.queue.then(() => {
      if (this.broken) throw this.broken;
      if (this.closed) throw new HtHilError('E_CLOSED', `outbox ${this.dir} is closed`);
      return work();
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async io<T>(label: string, work: () => Promise<T>): Promise<T> {
    try {
      return await this.clock.track(work(), `outbox ${label}`);
    } catch (err) {
      this.broken = err instanceof Error ? err : new Error(String(err));
      this.log.error({ err: this.broken.message, op: label }, 'outbox file operation failed');
      throw this.broken;
    }
  }

  private now(): number {
    return Math.round(this.clock.now());
  }

  private async appendLocked(input: RecordInput, own: boolean): Promise<UplinkRecord> {
    if (!Number.isFinite(input.at) || input.at < 0) throw new InputError('outbox append', `field 'at': expected clock ms ≥ 0, got ${input.at}`);
    const check = validateRecordBody(input.kind, input.body);
    if (!check.ok) throw new InputError('outbox append', check.error.detail);
    const record: UplinkRecord = { seq: this.next, at: Math.round(input.at), kind: input.kind, body: check.body };
    const line = encodeLine(record);
    if (line.length > MAX_LINE) throw new InputError('outbox append', `record of ${line.length} bytes exceeds the ${MAX_LINE}-byte limit of one record`);
    const limit = own ? this.maxBytes : this.maxBytes - this.reserveBytes;
    if (this.pendingBytesTotal + line.length > limit) {
      if (!own) await this.noteRefusal();
      throw new OutboxFullError(`outbox full: ${this.pendingBytesTotal} bytes in ${this.pendingCount} unacknowledged records (limit ${limit}); ${input.kind} record not queued`);
    }
    await this.writeLine(line, record.seq);
    this.pendingList.push({ record, bytes: line.length });
    this.pendingBytesTotal += line.length;
    this.next++;
    for (const l of [...this.listeners]) l(record);
    return record;
  }

  private async noteRefusal(): Promise<void> {
    const now = this.now();
    if (!this.overflow) {
      this.overflow = { refused: 0, firstAt: now, lastAt: now };
      this.log.warn({ pendingBytes: this.pendingBytesTotal, maxBytes: this.maxBytes }, 'outbox full: refusing new records');
      await this.ownEvent('outbox-full', { maxBytes: this.maxBytes, pendingBytes: this.pendingBytesTotal, pending: this.pendingCount });
    }
    this.overflow.refused++;
    this.overflow.lastAt = now;
  }

  private async ownEvent(name: string, details: Record<string, unknown>): Promise<void> {
    try {
      await this.appendLocked({ at: this.now(), kind: 'event', body: { name, details } }, true);
    } catch (err) {
      if (!(err instanceof OutboxFullError)) throw err;
      this.log.error({ name }, 'outbox reserve exhausted: event not queued');
    }
  }

  private async ackLocked(upTo: number): Promise<number> {
    const target = Math.min(Math.floor(upTo), this.next - 1);
    if (!(target > this.acked)) return 0;
    await this.writeLine(encodeLine({ ack: target }));
    this.acked = target;
    let removed = 0;
    while (this.head < this.pendingList.length && this.pendingList[this.head]!.record.seq <= target) {
      this.pendingBytesTotal -= this.pendingList[this.head]!.bytes;
      this.head++;
      removed++;
    }
    if (this.head > 1024 && this.head * 2 > this.pendingList.length) {
      this.pendingList = this.pendingList.slice(this.head);
      this.head = 0;
    }
    await this.compact();
    if (this.overflow && this.pendingBytesTotal + 1024 <= this.maxBytes - this.reserveBytes) {
      const o = this.overflow;
      this.overflow = undefined;
      this.log.warn({ refused: o.refused }, 'outbox has room again');
      await this.ownEvent('outbox-refused', { refused: o.refused, firstAt: o.firstAt, lastAt: o.lastAt });
    }
    return removed;
  }

  private async writeLine(line: Uint8Array, seq?: number): Promise<void> {
    let active = this.segments.at(-1)!;
    if (active.hasEntries && active.size + line.length > this.segmentBytes) active = await this.roll();
    const f = this.file!;
    await this.io('write', () => f.write(line));
    await this.io('sync', () => f.sync());
    active.size += line.length;
    active.hasEntries = true;
    if (seq !== undefined) active.maxSeq = seq;
  }

  /** Starts segment n+1 with a header line; the old one stays until compaction removes it. */
  private async roll(): Promise<Segment> {
    const n = (this.segments.at(-1)?.n ?? 0) + 1;
    const old = this.file;
    this.file = undefined;
    if (old) await this.io('close', () => old.close());
    const header = encodeLine({ head: { next: this.next, acked: this.acked } });
    const path = join(this.dir, segmentName(n));
    const f = await this.io('open', () => this.fs.open(path, 'append'));
    this.file = f;
    await this.io('write', () => f.write(header));
    await this.io('sync', () => f.sync());
    await this.io('syncDir', () => this.fs.syncDir(this.dir));
    const seg: Segment = { n, maxSeq: 0, size: header.length, hasEntries: false };
    this.segments.push(seg);
    return seg;
  }

  /** Deletes closed segments whose records are all acknowledged. */
  private async compact(): Promise<void> {
    const active = this.segments.at(-1)!;
    const gone = this.segments.filter((s) => s !== active && s.maxSeq <= this.acked);
    if (!gone.length) return;
    for (const s of gone) await this.io('remove', () => this.fs.remove(join(this.dir, segmentName(s.n))));
    await this.io('syncDir', () => this.fs.syncDir(this.dir));
    this.segments = this.segments.filter((s) => !gone.includes(s));
  }

  private async recover(): Promise<void> {
    const found = await scanOutboxDir(this.fs, this.dir, (label, work) => this.io(label, work), this.log);
    this.acked = found.acked;
    this.next = found.next;
    this.segments = found.segments.map((s) => ({ ...s, hasEntries: true }));
    this.pendingList = found.records.filter((p) => p.record.seq > this.acked);
    this.pendingBytesTotal = this.pendingList.reduce((sum, p) => sum + p.bytes, 0);
    const gaps = this.pendingList.filter((p, i) => p.record.seq !== this.acked + 1 + i).length;
    if (gaps) this.log.error({ gaps }, 'unacknowledged records are not contiguous (corrupt lines lost some)');
    // Always continue in a fresh segment; then old segments holding only acked records go.
    await this.roll();
    await this.compact();
    const { tornBytes, corruptLines } = found;
    this.recovered = { segments: found.segments.length, pending: this.pendingCount, lastAcked: this.acked, nextSeq: this.next, tornBytes, corruptLines };
    if (found.segments.length) this.log.info(this.recovered, 'outbox recovered');
    if (tornBytes || corruptLines) await this.ownEvent('outbox-recovered', { tornBytes, corruptLines, pending: this.pendingCount });
  }

  private async rebaseLocked(upTo: number): Promise<void> {
    if (!Number.isSafeInteger(upTo) || upTo < this.next) return;
    const old = this.pendingList.slice(this.head);
    const renumbered: Pending[] = old.map((p, i) => {
      const record = { ...p.record, seq: upTo + 1 + i };
      return { record, bytes: encodeLine(record).length };
    });
    const next = upTo + 1 + renumbered.length;
    const n = this.segments.at(-1)!.n + 1;
    const final = join(this.dir, segmentName(n));
    const tmp = `${final}.tmp`;
    const header = encodeLine({ head: { next, acked: upTo } });
    const t = await this.io('open', () => this.fs.open(tmp, 'append'));
    let size = header.length;
    await this.io('write', () => t.write(header));
    for (const p of renumbered) {
      const line = encodeLine(p.record);
      size += line.length;
      await this.io('write', () => t.write(line));
    }
    await this.io('sync', () => t.sync());
    await this.io('close', () => t.close());
    await this.io('rename', () => this.fs.rename(tmp, final));
    await this.io('syncDir', () => this.fs.syncDir(this.dir));
    const prev = this.file;
    this.file = undefined;
    if (prev) await this.io('close', () => prev.close());
    for (const s of this.segments) await this.io('remove', () => this.fs.remove(join(this.dir, segmentName(s.n))));
    await this.io('syncDir', () => this.fs.syncDir(this.dir));
    this.file = await this.io('open', () => this.fs.open(final, 'append'));
    this.segments = [{ n, maxSeq: renumbered.at(-1)?.record.seq ?? 0, size, hasEntries: true }];
    this.pendingList = renumbered;
    this.pendingBytesTotal = renumbered.reduce((sum, p) => sum + p.bytes, 0);
    this.head = 0;
    this.acked = upTo;
    this.next = next;
    this.log.warn({ cloudUpTo: upTo, renumbered: renumbered.length }, 'outbox rebased after the cloud');
    await this.ownEvent('outbox-rebased', { cloudUpTo: upTo, renumbered: renumbered.length, firstOldSeq: old[0]?.record.seq ?? null });
  }
}
