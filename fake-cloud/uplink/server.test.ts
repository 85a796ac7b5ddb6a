import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { memoryLinkPair } from '../../lines/net/memory-link.ts';
import { authMacHex } from '../../protocols/uplink/auth.ts';
import { encodeMessage } from '../../protocols/uplink/codec.ts';
import { UplinkDecoder } from '../../protocols/uplink/decoder.ts';
import type { UplinkMessage } from '../../protocols/uplink/messages.ts';
import { Store } from '../store/store.ts';
import { UplinkServer } from './server.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const MODEM = 'G21-000123';
const SECRET = 'k3y';

function world() {
  const clock = new VirtualClock();
  const store = new Store();
  store.provisionModem({ modemNo: MODEM, secret: SECRET, model: 'HT G21' }, clock.now());
  const server = new UplinkServer({ clock, store, logger });
  return { clock, store, server };
}

/** A terminal written on the codec alone, that does what the test says. */
function terminal(w: ReturnType<typeof world>) {
  const { client, server: end } = memoryLinkPair(w.clock, 'test', { latencyMs: 10 });
  const got: UplinkMessage[] = [];
  let closed: string | undefined;
  const decoder = new UplinkDecoder();
  client.onData((b) => {
    for (const ev of decoder.push(b)) if (ev.kind === 'message') got.push(ev.message);
  });
  client.onClose((r) => (closed = r));
  w.server.accept(end);
  const send = (m: UplinkMessage) => void client.write(encodeMessage(m)).catch(() => undefined);
  return {
    link: client,
    got,
    closed: () => closed,
    send,
    of: <T extends UplinkMessage['type']>(t: T) => got.filter((m) => m.type === t) as Extract<UplinkMessage, { type: T }>[],
    async login(opts: { secret?: string; modemNo?: string; lastAckedSeq?: number } = {}) {
      send({ type: 'hello', modemNo: opts.modemNo ?? MODEM, model: 'HT G21', firmware: '1.0', lastAckedSeq: opts.lastAckedSeq ?? 0 });
      await w.clock.runFor(30);
      const ch = got.find((m) => m.type === 'challenge');
      if (ch && ch.type === 'challenge') send({ type: 'auth', mac: authMacHex(opts.secret ?? SECRET, ch.nonce) });
      await w.clock.runFor(30);
    },
    record(seq: number, name = `e${seq}`, kind = 'event', body: unknown = { name }) {
      send({ type: 'record', seq, at: w.clock.now(), kind, body });
    },
  };
}

describe('UplinkServer', () => {
  it('authenticates, stores, acks cumulatively and takes a resend without storing it twice', async () => {
    const w = world();
    const t = terminal(w);
    await t.login();
    expect(t.of('welcome')).toEqual([{ type: 'welcome', serverTime: w.clock.now() - 20, configVersion: 0, upTo: 0 }]);
    expect(w.server.isOnline(MODEM)).toBe(true);
    for (const s of [1, 2, 3, 2]) t.record(s);
    await w.clock.runFor(50);
    expect(t.of('ack').map((a) => a.upTo)).toEqual([1, 2, 3, 3]);
    expect(w.store.records(MODEM).map((r) => r.seq)).toEqual([1, 2, 3]);
    expect(w.store.events(MODEM).map((e) => e.name)).toEqual(['e1', 'e2', 'e3']);
    expect(w.store.modem(MODEM)).toMatchObject({ upTo: 3, reportedModel: 'HT G21', firmware: '1.0' });
    // Next session: the WELCOME tells what is held.
    t.link.close('bye');
    const t2 = terminal(w);
    await t2.login({ lastAckedSeq: 1 });
    expect(t2.of('welcome')[0]!.upTo).toBe(3);
  });

  it('rejects an unknown modem and a wrong key with clear reasons, and records both', async () => {
    const w = world();
    const a = terminal(w);
    await a.login({ modemNo: 'G21-999' });
    expect(a.of('reject')).toEqual([{ type: 'reject', reason: 'unknown-modem', text: 'modem G21-999 is not provisioned' }]);
    const b = terminal(w);
    await b.login({ secret: 'guess' });
    expect(b.of('reject')).toEqual([{ type: 'reject', reason: 'bad-auth', text: `authentication failed: the HMAC does not match the key of modem ${MODEM}` }]);
    await w.clock.runFor(50);
    expect(a.closed()).toBe('rejected: unknown-modem');
    expect(b.closed()).toBe('rejected: bad-auth');
    expect(w.store.events(MODEM)).toMatchObject([{ source: 'cloud', name: 'auth-failed', details: { reason: 'bad-auth' } }]);
    expect(w.store.events('G21-999')).toMatchObject([{ source: 'cloud', name: 'auth-failed', details: { reason: 'unknown-modem' } }]);
  });

  it('refuses records before authentication', async () => {
    const w = world();
    const t = terminal(w);
    t.record(1);
    await w.clock.runFor(50);
    expect(t.of('bye')).toEqual([{ type: 'bye', reason: 'protocol error: unexpected RECORD before authentication' }]);
    expect(w.store.records(MODEM)).toEqual([]);
  });

  it('keeps an invalid record raw, flags it and acks it', async () => {
    const w = world();
    const t = terminal(w);
    await t.login();
    t.record(1, 'x', 'meter-reading', { port: 'usb', meterSerial: '1', readStart: 0, readEnd: 0, values: [] });
    await w.clock.runFor(50);
    expect(t.of('ack').map((a) => a.upTo)).toEqual([1]);
    expect(w.store.records(MODEM)[0]!.error).toMatch(/field 'body.port'/);
    expect(w.store.events(MODEM)[0]).toMatchObject({ source: 'cloud', name: 'invalid-record', details: { seq: 1, kind: 'meter-reading' } });
  });

  it('names a seq gap and moves on', async () => {
    const w = world();
    const t = terminal(w);
    await t.login();
    t.record(1);
    t.record(5);
    await w.clock.runFor(50);
    expect(t.of('ack').map((a) => a.upTo)).toEqual([1, 5]);
    expect(w.store.events(MODEM).filter((e) => e.source === 'cloud')).toMatchObject([{ name: 'seq-gap', details: { from: 2, to: 4 } }]);
  });

  it('starts after the HELLO lastAckedSeq when the cloud knows less (lost data)', async () => {
    const w = world();
    const t = terminal(w);
    await t.login({ lastAckedSeq: 40 });
    t.record(41);
    await w.clock.runFor(50);
    expect(t.of('ack').map((a) => a.upTo)).toEqual([41]);
    expect(w.store.events(MODEM).filter((e) => e.source === 'cloud')).toEqual([]);
  });

  it('answers a storage error with NACK and ignores later records until the refused one comes again', async () => {
    const w = world();
    const t = terminal(w);
    await t.login();
    t.record(1);
    await w.clock.runFor(50);
    w.server.failStorage(10_000, 'storage error: disk full');
    t.record(2);
    t.record(3);
    await w.clock.runFor(50);
    expect(t.of('nack')).toEqual([{ type: 'nack', seq: 2, reason: 'storage error: disk full', retryInMs: 30_000 }]);
    await w.clock.runFor(10_000);
    t.record(3); // out of order after the NACK: ignored
    t.record(2);
    t.record(3);
    await w.clock.runFor(50);
    expect(t.of('ack').map((a) => a.upTo)).toEqual([1, 2, 3]);
    expect(w.store.records(MODEM).map((r) => r.seq)).toEqual([1, 2, 3]);
  });

  it('drops the link after N records, before acking the last', async () => {
    const w = world();
    const t = terminal(w);
    await t.login();
    w.server.setFaults({ dropAfterRecords: 2 });
    for (const s of [1, 2, 3]) {
      t.record(s);
      await w.clock.runFor(50);
    }
    expect(t.closed()).toBe('fault: link dropped after record 2');
    expect(t.of('ack').map((a) => a.upTo)).toEqual([1]);
    expect(w.store.records(MODEM).map((r) => r.seq)).toEqual([1, 2]);
    expect(w.server.faults.dropAfterRecords).toBeUndefined();
  });

  it('delays acks and refuses connections on request', async () => {
    const w = world();
    w.server.setFaults({ ackDelayMs: 5000 });
    const t = terminal(w);
    await t.login();
    t.record(1);
    await w.clock.runFor(4000);
    expect(t.of('ack')).toEqual([]);
    await w.clock.runFor(1100);
    expect(t.of('ack').map((a) => a.upTo)).toEqual([1]);
    w.server.setFaults({ refuseConnections: 'connection refused' });
    const r = terminal(w);
    await w.clock.runFor(50);
    expect(r.closed()).toBe('connection refused');
    expect(r.got).toEqual([]);
  });

  it('queues pushes until acknowledged, across reconnects', async () => {
    const w = world();
    const p1 = w.server.push(MODEM, 'command', { relay: 1, on: true });
    expect(p1.id).toBe('p1');
    const a = terminal(w);
    await a.login();
    expect(a.of('push')).toEqual([{ type: 'push', id: 'p1', kind: 'command', body: { relay: 1, on: true } }]);
    a.link.close('gone'); // never answered
    await w.clock.runFor(50);
    const b = terminal(w);
    await b.login();
    w.server.push(MODEM, 'config', { period: 15 });
    await w.clock.runFor(50);
    expect(b.of('push').map((p) => p.id)).toEqual(['p1', 'p2']);
    const acks: string[] = [];
    w.server.onPushAck((p) => acks.push(`${p.id}:${p.ok}`));
    b.send({ type: 'push-ack', id: 'p1', ok: true });
    b.send({ type: 'push-ack', id: 'p2', ok: false, text: 'unknown setting' });
    b.send({ type: 'push-ack', id: 'p2', ok: true });
    await w.clock.runFor(50);
    expect(acks).toEqual(['p1:true', 'p2:false']);
    expect(w.store.openPushes(MODEM)).toEqual([]);
    expect(w.store.push('p1')).toMatchObject({ sentCount: 2, ok: true });
    expect(() => w.server.push('G21-404', 'command', {})).toThrow('modem G21-404: not provisioned');
  });

  it('replaces an older session of the same modem, and closes links that never log in', async () => {
    const w = world();
    const a = terminal(w);
    await a.login();
    const b = terminal(w);
    await b.login();
    await w.clock.runFor(50);
    expect(a.of('bye')).toEqual([{ type: 'bye', reason: 'replaced by a new connection' }]);
    expect(w.server.onlineModems()).toEqual([MODEM]);
    const silent = terminal(w);
    await w.clock.runFor(30_100);
    expect(silent.of('bye')).toEqual([{ type: 'bye', reason: 'no authentication within 30000 ms' }]);
    w.server.close();
    await w.clock.runFor(50);
    expect(b.closed()).toBe('cloud stopping');
    expect(w.clock.pendingTimers).toBe(0);
  });
});
