/**
 * The fake cloud's database: embedded SQLite (better-sqlite3, synchronous), in a file or
 * `:memory:`. Records are kept raw (one row per modem and seq, a resend is ignored) and, for
 * queries, flattened: meter-reading values into `readings`, event records into `events`.
 * Methods throw what SQLite throws; the uplink server turns that into a NACK.
 */
import DatabaseCtor, { type Database, type Statement } from 'better-sqlite3';
import { InputError } from '../../core/errors.ts';
import type { EventBody, MeterReadingBody, UplinkRecord } from '../../protocols/uplink/records.ts';
import { migrate } from './migrations.ts';

export interface ModemRow {
  modemNo: string;
  secret: string;
  model: string | null;
  reportedModel: string | null;
  firmware: string | null;
  configVersion: number;
  upTo: number;
  provisionedAt: number;
  lastSeenAt: number | null;
}

export interface RecordRow {
  seq: number;
  kind: string;
  at: number;
  receivedAt: number;
  body: unknown;
  error: string | null;
}

export interface ReadingRow {
  seq: number;
  meterSerial: string;
  port: string;
  address: string;
  value: string;
  unit: string | null;
  at: number;
}

export interface EventRow {
  seq: number | null;
  source: 'terminal' | 'cloud';
  name: string;
  at: number;
  details: unknown;
}

export interface PushRow {
  id: string;
  modemNo: string;
  kind: 'config' | 'command';
  body: unknown;
  createdAt: number;
  sentCount: number;
  ackedAt: number | null;
  ok: boolean | null;
  resultText: string | null;
}

/** Time window and paging shared by the list queries; times are clock ms, both ends included. */
export interface Window {
  from?: number | undefined;
  to?: number | undefined;
  limit?: number | undefined;
}

/** What to store for one received record. `error` set: the body failed validation. */
export interface StoreRecordInput {
  modemNo: string;
  record: UplinkRecord;
  receivedAt: number;
  error?: string | undefined;
  /** The modem's contiguous high-water mark after this record. */
  upTo: number;
}

const DEFAULT_LIMIT = 1000;

export class Store {
  readonly db: Database;
  readonly schemaVersion: number;

  /** Opens (creating or migrating) the database at `path` (default `:memory:`). */
  constructor(readonly path = ':memory:') {
    this.db = new DatabaseCtor(path);
    if (path !== ':memory:') this.db.pragma('journal_mode = WAL');
    this.schemaVersion = migrate(this.db);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private readonly statements = new Map<string, Statement<unknown[]>>();

  /** A prepared statement, made once per SQL text. */
  private sql(text: string): Statement<unknown[]> {
    let st = this.statements.get(text);
    if (!st) {
      st = this.db.prepare(text);
      this.statements.set(text, st);
    }
    return st;
  }

  /** Adds a modem, or replaces the secret and model of an existing one. */
  provisionModem(m: { modemNo: string; secret: string; model?: string | undefined }, at: number): void {
    this.sql(
        `INSERT INTO modems (modem_no, secret, model, provisioned_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (modem_no) DO UPDATE SET secret = excluded.secret, model = excluded.model`,
      )
      .run(m.modemNo, m.secret, m.model ?? null, at);
  }

  modem(modemNo: string): ModemRow | undefined {
    const r = this.sql('SELECT * FROM modems WHERE modem_no = ?').get(modemNo) as Record<string, unknown> | undefined;
    return r ? toModem(r) : undefined;
  }

  /** Every modem, by number. */
  modems(): ModemRow[] {
    return (this.sql('SELECT * FROM modems ORDER BY modem_no').all() as Record<string, unknown>[]).map(toModem);
  }

  /** Throws `InputError` naming the modem when it is not provisioned. */
  requireModem(modemNo: string): ModemRow {
    const m = this.modem(modemNo);
    if (!m) throw new InputError(`modem ${modemNo}`, 'not provisioned');
    return m;
  }

  /** What the modem said about itself in its last HELLO. */
  noteHello(modemNo: string, hello: { model: string; firmware: string }, at: number): void {
    this.sql('UPDATE modems SET reported_model = ?, firmware = ?, last_seen_at = ? WHERE modem_no = ?').run(hello.model, hello.firmware, at, modemNo);
  }

  setConfigVersion(modemNo: string, version: number): void {
    this.sql('UPDATE modems SET config_version = ? WHERE modem_no = ?').run(version, modemNo);
  }

  setUpTo(modemNo: string, upTo: number): void {
    this.sql('UPDATE modems SET up_to = MAX(up_to, ?) WHERE modem_no = ?').run(upTo, modemNo);
  }

  /**
   * Stores a record in one transaction: the raw row, its flattened readings or event, the
   * modem's new high-water mark. Returns false (and changes nothing but the high-water mark)
   * when this modem's seq is already stored.
   */
  storeRecord(input: StoreRecordInput): boolean {
    this.storeTx ??= this.db.transaction((i: StoreRecordInput): boolean => this.storeRecordLocked(i));
    return this.storeTx(input);
  }

  private storeTx: ((i: StoreRecordInput) => boolean) | undefined;

  private storeRecordLocked(i: StoreRecordInput): boolean {
    {
      const { modemNo, record: r } = i;
      const res = this.sql('INSERT OR IGNORE INTO records (modem_no, seq, kind, at, received_at, body, error) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(modemNo, r.seq, r.kind, r.at, i.receivedAt, JSON.stringify(r.body ?? null), i.error ?? null);
      this.sql('UPDATE modems SET up_to = MAX(up_to, ?), last_seen_at = ? WHERE modem_no = ?').run(i.upTo, i.receivedAt, modemNo);
      if (res.changes === 0) return false;
      if (i.error) return true;
      if (r.kind === 'meter-reading') {
        const b = r.body as MeterReadingBody;
        // One statement per up to 64 values: a readout has dozens, and each statement costs.
        const values = b.values ?? [];
        for (let k = 0; k < values.length; k += 64) {
          const part = values.slice(k, k + 64);
          const args: unknown[] = [];
          for (const v of part) args.push(modemNo, r.seq, b.meterSerial, b.port, v.address, v.value, v.unit ?? null, r.at);
          this.sql(`INSERT INTO readings (modem_no, seq, meter_serial, port, address, value, unit, at) VALUES ${Array(part.length).fill('(?, ?, ?, ?, ?, ?, ?, ?)').join(', ')}`).run(...args);
        }
      } else if (r.kind === 'event') {
        const b = r.body as EventBody;
        this.insertEvent(modemNo, { seq: r.seq, source: 'terminal', name: b.name, at: r.at, details: b.details ?? null });
      }
      return true;
    }
  }

  /** An event the cloud raised itself (auth failure, invalid record, seq gap). */
  addCloudEvent(modemNo: string, name: string, at: number, details: Record<string, unknown> = {}): void {
    this.insertEvent(modemNo, { seq: null, source: 'cloud', name, at, details });
  }

  private insertEvent(modemNo: string, e: EventRow): void {
    this.sql('INSERT INTO events (modem_no, seq, source, name, at, details) VALUES (?, ?, ?, ?, ?, ?)')
      .run(modemNo, e.seq, e.source, e.name, e.at, e.details === null || e.details === undefined ? null : JSON.stringify(e.details));
  }

  records(modemNo: string, q: Window & { kind?: string | undefined; afterSeq?: number | undefined } = {}): RecordRow[] {
    const { where, args } = windowClause(q);
    if (q.kind !== undefined) {
      where.push('kind = ?');
      args.push(q.kind);
    }
    if (q.afterSeq !== undefined) {
      where.push('seq > ?');
      args.push(q.afterSeq);
    }
    const rows = this.sql(`SELECT seq, kind, at, received_at, body, error FROM records WHERE modem_no = ? ${and(where)} ORDER BY seq LIMIT ?`)
      .all(modemNo, ...args, q.limit ?? DEFAULT_LIMIT) as Record<string, unknown>[];
    return rows.map((r) => ({ seq: r['seq'] as number, kind: r['kind'] as string, at: r['at'] as number, receivedAt: r['received_at'] as number, body: JSON.parse(r['body'] as string), error: (r['error'] as string | null) ?? null }));
  }

  readings(modemNo: string, q: Window & { meter?: string | undefined; address?: string | undefined } = {}): ReadingRow[] {
    const { where, args } = windowClause(q);
    if (q.meter !== undefined) {
      where.push('meter_serial = ?');
      args.push(q.meter);
    }
    if (q.address !== undefined) {
      where.push('address = ?');
      args.push(q.address);
    }
    const rows = this.sql(`SELECT seq, meter_serial, port, address, value, unit, at FROM readings WHERE modem_no = ? ${and(where)} ORDER BY at, seq, id LIMIT ?`)
      .all(modemNo, ...args, q.limit ?? DEFAULT_LIMIT) as Record<string, unknown>[];
    return rows.map((r) => ({
      seq: r['seq'] as number,
      meterSerial: r['meter_serial'] as string,
      port: r['port'] as string,
      address: r['address'] as string,
      value: r['value'] as string,
      unit: (r['unit'] as string | null) ?? null,
      at: r['at'] as number,
    }));
  }

  events(modemNo: string, q: Window & { name?: string | undefined } = {}): EventRow[] {
    const { where, args } = windowClause(q);
    if (q.name !== undefined) {
      where.push('name = ?');
      args.push(q.name);
    }
    const rows = this.sql(`SELECT seq, source, name, at, details FROM events WHERE modem_no = ? ${and(where)} ORDER BY at, id LIMIT ?`)
      .all(modemNo, ...args, q.limit ?? DEFAULT_LIMIT) as Record<string, unknown>[];
    return rows.map((r) => ({
      seq: (r['seq'] as number | null) ?? null,
      source: r['source'] as 'terminal' | 'cloud',
      name: r['name'] as string,
      at: r['at'] as number,
      details: r['details'] === null ? null : JSON.parse(r['details'] as string),
    }));
  }

  /** Queues a push; its id is `p<n>`, unique for the life of the database. */
  queuePush(modemNo: string, kind: 'config' | 'command', body: unknown, at: number): PushRow {
    const res = this.sql('INSERT INTO pushes (modem_no, kind, body, created_at) VALUES (?, ?, ?, ?)').run(modemNo, kind, JSON.stringify(body ?? null), at);
    return this.push(`p${res.lastInsertRowid}`)!;
  }

  push(id: string): PushRow | undefined {
    const n = pushNumber(id);
    if (n === undefined) return undefined;
    const r = this.sql('SELECT * FROM pushes WHERE n = ?').get(n) as Record<string, unknown> | undefined;
    return r ? toPush(r) : undefined;
  }

  /** Pushes of a modem not yet acknowledged, oldest first. */
  openPushes(modemNo: string): PushRow[] {
    return (this.sql('SELECT * FROM pushes WHERE modem_no = ? AND acked_at IS NULL ORDER BY n').all(modemNo) as Record<string, unknown>[]).map(toPush);
  }

  pushes(modemNo: string): PushRow[] {
    return (this.sql('SELECT * FROM pushes WHERE modem_no = ? ORDER BY n').all(modemNo) as Record<string, unknown>[]).map(toPush);
  }

  notePushSent(id: string): void {
    this.sql('UPDATE pushes SET sent_count = sent_count + 1 WHERE n = ?').run(pushNumber(id) ?? -1);
  }

  /** Records the outcome of a push (the first PUSH_ACK counts). False for an unknown id. */
  ackPush(modemNo: string, id: string, ok: boolean, text: string | undefined, at: number): boolean {
    const res = this.sql('UPDATE pushes SET acked_at = ?, ok = ?, result_text = ? WHERE n = ? AND modem_no = ? AND acked_at IS NULL')
      .run(at, ok ? 1 : 0, text ?? null, pushNumber(id) ?? -1, modemNo);
    return res.changes > 0;
  }
}

function windowClause(q: Window): { where: string[]; args: unknown[] } {
  const where: string[] = [];
  const args: unknown[] = [];
  if (q.from !== undefined) {
    where.push('at >= ?');
    args.push(q.from);
  }
  if (q.to !== undefined) {
    where.push('at <= ?');
    args.push(q.to);
  }
  return { where, args };
}

function and(where: string[]): string {
  return where.length ? `AND ${where.join(' AND ')}` : '';
}

function pushNumber(id: string): number | undefined {
  const m = /^p(\d{1,15})$/.exec(id);
  return m ? Number(m[1]) : undefined;
}

function toModem(r: Record<string, unknown>): ModemRow {
  return {
    modemNo: r['modem_no'] as string,
    secret: r['secret'] as string,
    model: (r['model'] as string | null) ?? null,
    reportedModel: (r['reported_model'] as string | null) ?? null,
    firmware: (r['firmware'] as string | null) ?? null,
    configVersion: r['config_version'] as number,
    upTo: r['up_to'] as number,
    provisionedAt: r['provisioned_at'] as number,
    lastSeenAt: (r['last_seen_at'] as number | null) ?? null,
  };
}

function toPush(r: Record<string, unknown>): PushRow {
  return {
    id: `p${r['n'] as number}`,
    modemNo: r['modem_no'] as string,
    kind: r['kind'] as 'config' | 'command',
    body: JSON.parse(r['body'] as string),
    createdAt: r['created_at'] as number,
    sentCount: r['sent_count'] as number,
    ackedAt: (r['acked_at'] as number | null) ?? null,
    ok: r['ok'] === null ? null : r['ok'] === 1,
    resultText: (r['result_text'] as string | null) ?? null,
  };
}
