/**
 * The whole uplink path: terminal outbox and client → memory link → fake cloud server → SQLite
 * store, on a virtual clock; plus one short run over real TCP on a real clock.
 */
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RealClock, VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import type { ByteLink } from '../../lines/net/link.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { TcpDialer } from '../../lines/net/tcp-link.ts';
import { FakeCloud } from '../../fake-cloud/fake-cloud.ts';
import { UplinkClient } from '../../terminal/uplink/client.ts';
import { Outbox } from '../../terminal/uplink/outbox.ts';
import { nodeOutboxFs, powerCutFs, PowerCutError, type OutboxFs } from '../../terminal/uplink/outbox-fs.ts';
import { encodeLine } from '../../terminal/uplink/outbox-log.ts';
import type { UplinkTiming } from '../../terminal/uplink/timing.ts';
import { UplinkDecoder } from '../../protocols/uplink/decoder.ts';
import type { RecordInput } from '../../protocols/uplink/records.ts';

/*
 * A terminal uplink and a fake cloud joined by in-memory links on one virtual clock. The two
 * sides meet only over a `ByteLink` (a `MemoryDialer` whose acceptor forwards to whichever cloud
 * is current, so the cloud can be restarted).
 */
const logger = rootLogger().child({}, { level: 'silent' });
const identity = { modemNo: 'G21-000123', secret: 'factory-key-000123', model: 'HT G21', firmware: '1.4.2' };

class Rig {
  readonly clock = new VirtualClock();
  cloud!: FakeCloud;
  outbox!: Outbox;
  client!: UplinkClient;
  /** When set, dials fail with this reason (no route, refused). */
  down: string | undefined;
  /** Seqs of the RECORDs the terminal wrote, one list per link. */
  readonly sent: number[][] = [];
  readonly dialer: { dial(): Promise<ByteLink> };
  private constructor(
    readonly dir: string,
    private readonly options: { window?: number; secret?: string; timing?: Partial<UplinkTiming>; compress?: boolean },
  ) {
    const inner = new MemoryDialer(this.clock, { accept: (l: ByteLink) => this.cloud.uplink.accept(l) }, 'g21-uplink', { latencyMs: 300, bytesPerSecond: 4000 }, () => this.down);
    this.dialer = { dial: async () => this.tap(await inner.dial()) };
  }

  /** Notes the seq of every RECORD written on the link. */
  private tap(link: ByteLink): ByteLink {
    const seqs: number[] = [];
    this.sent.push(seqs);
    // The terminal compresses what follows its AUTH once the cloud agreed (it does by default).
    const decoder = new UplinkDecoder({ compressAfter: (m) => m.type === 'auth' });
    const write = link.write.bind(link);
    link.write = (bytes) => {
      for (const ev of decoder.push(bytes)) if (ev.kind === 'message' && ev.message.type === 'record') seqs.push(ev.message.seq);
      return write(bytes);
    };
    return link;
  }

  static async create(options: { window?: number; secret?: string; timing?: Partial<UplinkTiming>; compress?: boolean } = {}): Promise<Rig> {
    const r = new Rig(await mkdtemp(join(tmpdir(), 'ht-uplink-e2e-')), options);
    r.startCloud();
    r.cloud.provisionModem({ modemNo: identity.modemNo, secret: identity.secret, model: identity.model });
    await r.startTerminal();
    return r;
  }

  /** A cloud on the rig's database file (a restart keeps the data). */
  startCloud(): void {
    this.cloud = new FakeCloud({ clock: this.clock, db: join(this.dir, 'cloud.db'), logger });
  }

  /** A terminal (outbox + client) on the rig's outbox directory; not yet started. */
  async startTerminal(fs?: OutboxFs): Promise<void> {
    this.outbox = await Outbox.open({ dir: join(this.dir, 'outbox'), clock: this.clock, logger, ...(fs ? { fs } : {}) });
    this.client = new UplinkClient({
      clock: this.clock,
      dialer: this.dialer,
      identity: { ...identity, secret: this.options.secret ?? identity.secret },
      outbox: this.outbox,
      logger,
      ...(this.options.window ? { window: this.options.window } : {}),
      ...(this.options.timing ? { timing: this.options.timing } : {}),
      ...(this.options.compress !== undefined ? { compress: this.options.compress } : {}),
    });
  }

  /** Stops the terminal as a restart would (the outbox directory stays). */
  async stopTerminal(): Promise<void> {
    await this.client.stop();
    await this.outbox.close().catch(() => undefined);
  }

  /** Drives virtual time until `cond` holds. */
  async until(cond: () => boolean, limitMs = 24 * 3_600_000): Promise<void> {
    await this.clock.run(
      async () => {
        while (!cond()) await this.clock.sleep(250);
      },
      { limitMs, label: 'until' },
    );
  }

  /** Seqs stored in the cloud, in order. */
  storedSeqs(): number[] {
    return this.cloud.store.records(identity.modemNo, { limit: 10_000 }).map((r) => r.seq);
  }

  async dispose(): Promise<void> {
    await this.stopTerminal().catch(() => undefined);
    await this.cloud.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

/** A 15-minute readout of meter `serial` with its 1.8.0 register (times in whole ms). */
function reading(time: number, serial: string, kwh: number): RecordInput {
  const at = Math.round(time);
  return {
    at,
    kind: 'meter-reading',
    body: {
      port: 'rs485',
      meterSerial: serial,
      flag: 'MSY',
      identification: 'MSY5<2>M550',
      readStart: at - 1800,
      readEnd: at,
      values: [
        { address: '1.8.0', value: kwh.toFixed(3).padStart(10, '0'), unit: 'kWh' },
        { address: '0.9.1', value: '10:15:00' },
      ],
    },
  };
}

const rigs: Rig[] = [];
async function rig(options: { window?: number; secret?: string; compress?: boolean } = {}): Promise<Rig> {
  const r = await Rig.create(options);
  rigs.push(r);
  return r;
}
afterEach(async () => {
  for (const r of rigs.splice(0)) await r.dispose();
});

const M = identity.modemNo;

describe('uplink end to end (virtual time)', () => {
  it('delivers 6 hours of readings of 4 meters: stored once, acked, gone from the outbox', async () => {
    const r = await rig();
    r.client.start();
    const t0 = r.clock.now();
    await r.clock.run(async () => {
      for (let q = 0; q < 24; q++) {
        await r.clock.sleep(900_000);
        for (const serial of ['A1', 'A2', 'A3', 'A4']) await r.outbox.append(reading(r.clock.now(), serial, q * 1.5));
      }
    });
    await r.until(() => r.outbox.pendingCount === 0);
    expect(r.storedSeqs()).toEqual(Array.from({ length: 96 }, (_, i) => i + 1));
    const a2 = r.cloud.service.readings(M, { meter: 'A2', address: '1.8.0', limit: 1000 });
    expect(a2).toHaveLength(24);
    expect(a2[10]).toMatchObject({ value: '000015.000', unit: 'kWh', at: t0 + 11 * 900_000 });
    expect(r.client.status()).toMatchObject({ state: 'online', sessions: 1, lastAckedSeq: 96, pending: 0 });
    expect(r.cloud.service.modem(M)).toMatchObject({ online: true, upTo: 96, reportedModel: 'HT G21', firmware: '1.4.2' });
  });

  it('resends after the link drops mid-window, without duplicates in the store', async () => {
    // Plain frames: the timing below counts on a reading's full size on a 4000 B/s link.
    const r = await rig({ window: 8, compress: false });
    for (let i = 0; i < 20; i++) await r.outbox.append(reading(r.clock.now() + i, 'A1', i));
    r.cloud.uplink.setFaults({ dropAfterRecords: 5 }); // the 5th is stored, its ACK never sent
    r.client.start();
    await r.until(() => r.outbox.pendingCount === 0);
    // Link 1 carried a full window; 6–8 were lost in flight. The WELCOME of link 2 says 5 is
    // held (its ACK was lost), so sending resumes at 6.
    expect(r.sent[0]).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.sent[1]![0]).toBe(6);
    expect(r.storedSeqs()).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
    expect(r.cloud.service.readings(M, { address: '1.8.0' })).toHaveLength(20);
    expect(r.client.status().sessions).toBe(2);

    // The network drops the link while records and their (delayed) ACKs are in flight.
    r.cloud.uplink.setFaults({ ackDelayMs: 2000 });
    for (let i = 0; i < 6; i++) await r.outbox.append(reading(r.clock.now() + i, 'A1', 100 + i));
    await r.until(() => r.storedSeqs().length >= 23);
    r.cloud.uplink.dropModem(M, 'GPRS context lost');
    r.cloud.uplink.setFaults({ ackDelayMs: 0 });
    await r.until(() => r.outbox.pendingCount === 0);
    const third = r.sent[2]!;
    expect(third[0]).toBeGreaterThanOrEqual(24);
    expect(third).toEqual(Array.from({ length: 27 - third[0]! }, (_, i) => third[0]! + i));
    expect(r.storedSeqs()).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
    expect(r.cloud.store.records(M).length).toBe(26);
  });

  it('compression: the same records reach the store for a fraction of the bytes; a cloud without it gets plain frames', async () => {
    const run = async (compress: boolean) => {
      const r = await rig({ compress });
      let bytes = 0;
      const dial = r.dialer.dial;
      r.dialer.dial = async () => {
        const link = await dial();
        const write = link.write.bind(link);
        link.write = (b) => ((bytes += b.length), write(b));
        return link;
      };
      for (let i = 0; i < 96; i++) await r.outbox.append(reading(r.clock.now() + i * 900_000, `A${i % 4}`, 1000 + i * 0.25));
      r.client.start();
      await r.until(() => r.outbox.pendingCount === 0);
      const bodies = r.cloud.store.records(M).map((x) => x.body);
      return { bytes, bodies };
    };
    const plain = await run(false);
    const packed = await run(true);
    expect(packed.bodies).toEqual(plain.bodies);
    expect(packed.bodies).toHaveLength(96);
    expect(plain.bytes / packed.bytes).toBeGreaterThan(3);
  });

  it('a resend of records the cloud already holds is acked and not stored twice', async () => {
    const r = await rig();
    for (let i = 0; i < 3; i++) await r.outbox.append(reading(r.clock.now(), 'A1', i));
    await r.stopTerminal();
    await cp(join(r.dir, 'outbox'), join(r.dir, 'image'), { recursive: true });
    await r.startTerminal();
    r.client.start();
    await r.until(() => r.outbox.pendingCount === 0);
    await r.stopTerminal();
    // The terminal comes back from an image taken before the acks, and the cloud's high-water
    // mark is lost too, so nothing tells the terminal that 1–3 are held: it sends them again.
    await rm(join(r.dir, 'outbox'), { recursive: true });
    await cp(join(r.dir, 'image'), join(r.dir, 'outbox'), { recursive: true });
    r.cloud.store.db.prepare('UPDATE modems SET up_to = 0').run();
    await r.startTerminal();
    await r.outbox.append(reading(r.clock.now(), 'A1', 50));
    const dups: number[] = [];
    r.cloud.uplink.onRecord((e) => e.duplicate && dups.push(e.record.seq));
    r.client.start();
    await r.until(() => r.outbox.pendingCount === 0);
    expect(r.sent.at(-1)).toEqual([1, 2, 3, 4]);
    expect(dups).toEqual([1, 2, 3]);
    expect(r.storedSeqs()).toEqual([1, 2, 3, 4]);
    expect(r.cloud.service.readings(M, { address: '1.8.0' }).map((x) => x.value)).toEqual(['000000.000', '000001.000', '000002.000', '000050.000']);
  });

  it('loses nothing across a cloud restart (file database) while the terminal keeps reading', async () => {
    const r = await rig();
    r.client.start();
    for (let i = 0; i < 3; i++) await r.outbox.append(reading(r.clock.now(), 'A1', i));
    await r.until(() => r.outbox.pendingCount === 0);
    await r.cloud.stop();
    r.down = 'connection refused';
    await r.clock.run(async () => {
      for (let i = 3; i < 8; i++) {
        await r.outbox.append(reading(r.clock.now(), 'A1', i));
        await r.clock.sleep(60_000);
      }
    });
    expect(r.client.status()).toMatchObject({ state: 'disconnected', pending: 5 });
    expect(r.client.status().lastError).toMatch(/connection refused/);
    r.startCloud();
    r.down = undefined;
    await r.until(() => r.outbox.pendingCount === 0);
    expect(r.storedSeqs()).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(r.cloud.service.readings(M).filter((x) => x.address === '1.8.0').map((x) => x.value)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((i) => i.toFixed(3).padStart(10, '0')));
  });

  it('loses nothing across a terminal restart on the same outbox directory', async () => {
    const r = await rig();
    r.cloud.uplink.setFaults({ refuseConnections: 'maintenance' });
    r.client.start();
    for (let i = 0; i < 5; i++) await r.outbox.append(reading(r.clock.now(), 'A1', i));
    await r.clock.runFor(5_000);
    await r.stopTerminal();
    await r.startTerminal();
    expect(r.outbox.recovery).toMatchObject({ pending: 5, nextSeq: 6, tornBytes: 0 });
    await r.outbox.append({ at: r.clock.now(), kind: 'event', body: { name: 'terminal-start' } });
    r.cloud.uplink.clearFaults();
    r.client.start();
    await r.until(() => r.outbox.pendingCount === 0);
    expect(r.storedSeqs()).toEqual([1, 2, 3, 4, 5, 6]);
    expect(r.cloud.service.events(M).map((e) => e.name)).toEqual(['terminal-start']);
  });

  it('survives a power cut in the middle of an append: every durable record arrives, the torn one never', async () => {
    const r = await rig();
    await r.stopTerminal();
    // The power goes off 57 bytes into the third reading's line.
    const probe = powerCutFs(nodeOutboxFs);
    await r.startTerminal(probe);
    const header = probe.written;
    await r.stopTerminal();
    const line = encodeLine({ seq: 1, ...reading(r.clock.now(), 'A1', 0) }).length;
    const fs = powerCutFs(nodeOutboxFs, { afterBytes: header + 2 * line + 57 });
    await r.startTerminal(fs);
    const durable: number[] = [];
    let cut = false;
    for (let i = 0; i < 5 && !cut; i++) {
      try {
        durable.push((await r.outbox.append(reading(r.clock.now(), 'A1', i))).seq);
      } catch (err) {
        expect(err).toBeInstanceOf(PowerCutError);
        cut = true;
      }
    }
    expect(cut).toBe(true);
    expect(durable).toEqual([1, 2]);
    await r.stopTerminal();
    await r.startTerminal();
    expect(r.outbox.recovery.tornBytes).toBe(57);
    await r.outbox.append(reading(r.clock.now(), 'A1', 99));
    r.client.start();
    await r.until(() => r.outbox.pendingCount === 0);
    const n = durable.length;
    // The durable readings, then the recovery event, then the first reading after the restart.
    expect(r.storedSeqs()).toEqual(Array.from({ length: n + 2 }, (_, i) => i + 1));
    expect(r.cloud.service.events(M).map((e) => [e.seq, e.name])).toEqual([[n + 1, 'outbox-recovered']]);
    expect(r.cloud.service.readings(M, { address: '1.8.0' }).map((x) => x.value)).toEqual([...durable.map((_, i) => i.toFixed(3).padStart(10, '0')), '000099.000']);
  });

  it('rejects a wrong secret with a clear reason and stores nothing', async () => {
    const r = await rig({ secret: 'not-the-factory-key' });
    await r.outbox.append(reading(r.clock.now(), 'A1', 1));
    r.client.start();
    await r.until(() => r.client.status().lastError !== undefined);
    expect(r.client.status()).toMatchObject({
      state: 'disconnected',
      lastError: `rejected by the cloud: bad-auth: authentication failed: the HMAC does not match the key of modem ${M}`,
      pending: 1,
    });
    expect(r.storedSeqs()).toEqual([]);
    expect(r.cloud.service.events(M)).toMatchObject([{ source: 'cloud', name: 'auth-failed', details: { reason: 'bad-auth' } }]);
  });

  it('rides out a storage error: NACKed records arrive once the cloud recovers', async () => {
    const r = await rig();
    r.client.start();
    await r.until(() => r.client.state === 'online');
    r.cloud.uplink.failStorage(90_000, 'storage error: database is locked');
    for (let i = 0; i < 4; i++) await r.outbox.append(reading(r.clock.now(), 'A1', i));
    await r.clock.runFor(30_000);
    expect(r.storedSeqs()).toEqual([]);
    expect(r.client.status().lastError).toBe('cloud could not store record 1: storage error: database is locked');
    await r.until(() => r.outbox.pendingCount === 0);
    expect(r.storedSeqs()).toEqual([1, 2, 3, 4]);
    expect(r.client.status().sessions).toBe(1);
  });

  it('delivers a command push and records the answer', async () => {
    const r = await rig();
    r.client.setPushHandler((p) => (p.kind === 'command' ? { ok: true } : { ok: false, text: 'unsupported' }));
    const push = r.cloud.service.push(M, 'command', { relay: 1, on: true });
    r.client.start();
    await r.until(() => r.cloud.store.push(push.id)!.ackedAt !== null);
    expect(r.cloud.service.pushes(M)).toMatchObject([{ id: push.id, ok: true, sentCount: 1 }]);
  });
});

describe('uplink end to end (real TCP, real clock)', () => {
  it('delivers records over a TCP listener', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ht-uplink-tcp-'));
    const clock = new RealClock();
    const cloud = new FakeCloud({ clock, logger });
    cloud.provisionModem({ modemNo: M, secret: identity.secret });
    const { uplinkPort } = await cloud.start({ tcp: { port: 0 } });
    const outbox = await Outbox.open({ dir, clock, logger });
    const client = new UplinkClient({ clock, dialer: new TcpDialer('127.0.0.1', uplinkPort!), identity, outbox, logger, timing: { backoffInitialMs: 50 } });
    try {
      for (let i = 0; i < 3; i++) await outbox.append(reading(clock.now(), 'T1', i));
      client.start();
      const deadline = clock.now() + 3000;
      while (outbox.pendingCount > 0 && clock.now() < deadline) await clock.sleep(20);
      expect(outbox.pendingCount).toBe(0);
      expect(cloud.store.records(M).map((x) => x.seq)).toEqual([1, 2, 3]);
      expect(client.state).toBe('online');
    } finally {
      await client.stop();
      await outbox.close();
      await cloud.stop();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
