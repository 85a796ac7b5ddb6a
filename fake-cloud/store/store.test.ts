import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import DatabaseCtor from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import type { UplinkRecord } from '../../protocols/uplink/records.ts';
import { MIGRATIONS, migrate } from './migrations.ts';
import { Store } from './store.ts';

const T = Date.UTC(2026, 0, 5);

function reading(seq: number, at: number, values: [string, string, string?][], serial = '300'): UplinkRecord {
  return {
    seq,
    at,
    kind: 'meter-reading',
    body: { port: 'rs485', meterSerial: serial, readStart: at - 1000, readEnd: at, values: values.map(([address, value, unit]) => (unit ? { address, value, unit } : { address, value })) },
  };
}

function fresh(): Store {
  const s = new Store();
  s.provisionModem({ modemNo: 'G21-1', secret: 'k', model: 'HT G21' }, T);
  return s;
}

describe('Store', () => {
  it('applies the numbered migrations once and records them', () => {
    const s = new Store();
    expect(s.schemaVersion).toBe(MIGRATIONS.at(-1)!.version);
    expect(s.db.prepare('SELECT version, name FROM schema_version').all()).toEqual(MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    expect(migrate(s.db)).toBe(s.schemaVersion);
    expect(s.db.prepare('SELECT COUNT(*) AS n FROM schema_version').get()).toEqual({ n: MIGRATIONS.length });
    s.close();
  });

  it('refuses a database from a newer schema', () => {
    const db = new DatabaseCtor(':memory:');
    migrate(db);
    db.prepare('INSERT INTO schema_version (version, name) VALUES (99, ?)').run('future');
    expect(() => migrate(db)).toThrow(`database schema version 99 is newer than this fake cloud knows (${MIGRATIONS.at(-1)!.version})`);
    db.close();
  });

  it('keeps its data in a file across reopen', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ht-store-'));
    try {
      const a = new Store(join(dir, 'cloud.db'));
      a.provisionModem({ modemNo: 'G21-9', secret: 'x' }, T);
      a.storeRecord({ modemNo: 'G21-9', record: reading(1, T, [['1.8.0', '1']]), receivedAt: T, upTo: 1 });
      a.close();
      const b = new Store(join(dir, 'cloud.db'));
      expect(b.modem('G21-9')).toMatchObject({ secret: 'x', upTo: 1, lastSeenAt: T });
      expect(b.records('G21-9').map((r) => r.seq)).toEqual([1]);
      b.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('stores a seq once, flattens readings and terminal events', () => {
    const s = fresh();
    const r1 = reading(1, T, [['1.8.0', '000123.456', 'kWh'], ['0.9.1', '10:15:00']]);
    expect(s.storeRecord({ modemNo: 'G21-1', record: r1, receivedAt: T + 5, upTo: 1 })).toBe(true);
    expect(s.storeRecord({ modemNo: 'G21-1', record: { ...r1, at: T + 1 }, receivedAt: T + 9, upTo: 1 })).toBe(false);
    s.storeRecord({ modemNo: 'G21-1', record: { seq: 2, at: T + 60_000, kind: 'event', body: { name: 'meter-not-answering', details: { meter: '300' } } }, receivedAt: T, upTo: 2 });
    expect(s.records('G21-1')).toEqual([
      { seq: 1, kind: 'meter-reading', at: T, receivedAt: T + 5, body: r1.body, error: null },
      { seq: 2, kind: 'event', at: T + 60_000, receivedAt: T, body: { name: 'meter-not-answering', details: { meter: '300' } }, error: null },
    ]);
    expect(s.readings('G21-1')).toEqual([
      { seq: 1, meterSerial: '300', port: 'rs485', address: '1.8.0', value: '000123.456', unit: 'kWh', at: T },
      { seq: 1, meterSerial: '300', port: 'rs485', address: '0.9.1', value: '10:15:00', unit: null, at: T },
    ]);
    expect(s.events('G21-1')).toEqual([{ seq: 2, source: 'terminal', name: 'meter-not-answering', at: T + 60_000, details: { meter: '300' } }]);
    expect(s.modem('G21-1')!.upTo).toBe(2);
    s.close();
  });

  it('keeps an invalid record raw with its error, without flattening it', () => {
    const s = fresh();
    s.storeRecord({ modemNo: 'G21-1', record: { seq: 1, at: T, kind: 'meter-reading', body: { port: 'usb' } }, receivedAt: T, upTo: 1, error: "field 'body.port'" });
    expect(s.records('G21-1')[0]).toMatchObject({ seq: 1, error: "field 'body.port'" });
    expect(s.readings('G21-1')).toEqual([]);
    s.close();
  });

  it('filters readings, events and records', () => {
    const s = fresh();
    for (let i = 1; i <= 6; i++) s.storeRecord({ modemNo: 'G21-1', record: reading(i, T + i * 900_000, [['1.8.0', `${i}`], ['2.8.0', '0']], i % 2 ? 'A' : 'B'), receivedAt: T, upTo: i });
    s.addCloudEvent('G21-1', 'auth-failed', T + 1, { reason: 'bad-auth' });
    expect(s.readings('G21-1', { meter: 'A', address: '1.8.0' }).map((r) => r.value)).toEqual(['1', '3', '5']);
    expect(s.readings('G21-1', { from: T + 2 * 900_000, to: T + 3 * 900_000, address: '1.8.0' }).map((r) => r.seq)).toEqual([2, 3]);
    expect(s.readings('G21-1', { limit: 3 })).toHaveLength(3);
    expect(s.records('G21-1', { afterSeq: 4 }).map((r) => r.seq)).toEqual([5, 6]);
    expect(s.records('G21-1', { kind: 'event' })).toEqual([]);
    expect(s.events('G21-1')).toEqual([{ seq: null, source: 'cloud', name: 'auth-failed', at: T + 1, details: { reason: 'bad-auth' } }]);
    s.close();
  });

  it('queues pushes with lasting ids and records the first answer', () => {
    const s = fresh();
    const p = s.queuePush('G21-1', 'command', { relay: 1, on: true }, T);
    expect(p).toMatchObject({ id: 'p1', kind: 'command', sentCount: 0, ackedAt: null, ok: null });
    s.queuePush('G21-1', 'config', { period: 15 }, T);
    s.notePushSent('p1');
    expect(s.openPushes('G21-1').map((x) => [x.id, x.sentCount])).toEqual([
      ['p1', 1],
      ['p2', 0],
    ]);
    expect(s.ackPush('G21-1', 'p1', false, 'I/O support is off', T + 5)).toBe(true);
    expect(s.ackPush('G21-1', 'p1', true, undefined, T + 6)).toBe(false);
    expect(s.ackPush('G21-1', 'p9', true, undefined, T + 6)).toBe(false);
    expect(s.push('p1')).toMatchObject({ ok: false, resultText: 'I/O support is off', ackedAt: T + 5 });
    expect(s.openPushes('G21-1').map((x) => x.id)).toEqual(['p2']);
    s.close();
  });
});
