import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { UplinkClient, type UplinkState } from './client.ts';
import { Outbox } from './outbox.ts';
import { ScriptedCloud } from './scripted-cloud.ts';
import { event, quietLogger as logger, reading, tempDir } from './test-support.ts';

const identity = { modemNo: 'G21-000123', secret: 's3cret', model: 'HT G21', firmware: '1.4.2' };
let dir: string;
let cleanup: () => Promise<void>;
let clock: VirtualClock;
let cloud: ScriptedCloud;
let outbox: Outbox;
let down: string | undefined;
let client: UplinkClient;

async function setup(options: { window?: number; secret?: string } = {}) {
  outbox = await Outbox.open({ dir, clock, logger });
  const dialer = new MemoryDialer(clock, cloud, 'uplink', { latencyMs: 50 }, () => down);
  client = new UplinkClient({ clock, dialer, identity: { ...identity, secret: options.secret ?? identity.secret }, outbox, logger, ...(options.window ? { window: options.window } : {}) });
}

/** Drives the clock until `cond` holds (checked every 100 ms of virtual time). */
async function until(cond: () => boolean, limitMs = 3_600_000) {
  await clock.run(
    async () => {
      while (!cond()) await clock.sleep(100);
    },
    { limitMs },
  );
}

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir('ht-client-'));
  clock = new VirtualClock();
  cloud = new ScriptedCloud(clock, { [identity.modemNo]: identity.secret });
  down = undefined;
});
afterEach(async () => {
  await client.stop();
  await clock.runFor(1000); // bytes and closes still on their way through the memory links
  expect(clock.pendingTimers).toBe(0);
  await outbox.close();
  await cleanup();
});

describe('UplinkClient', () => {
  it('authenticates, sends records in order and drops them from the outbox when acked', async () => {
    await setup();
    const states: UplinkState[] = [];
    const busy: boolean[] = [];
    client.onState((s) => states.at(-1) !== s.state && states.push(s.state));
    client.onActivity((b) => busy.push(b));
    for (let i = 0; i < 5; i++) await outbox.append(reading(clock.now() + i, '1', String(i)));
    client.start();
    await until(() => outbox.pendingCount === 0);
    expect(states).toEqual(['connecting', 'authenticating', 'online']);
    expect(cloud.of('hello')).toEqual([{ type: 'hello', ...identity, z: ['deflate-window'], secret: undefined, lastAckedSeq: 0 }].map(({ secret: _s, ...h }) => h));
    expect([...cloud.records.keys()]).toEqual([1, 2, 3, 4, 5]);
    expect(outbox.lastAcked).toBe(5);
    // New records go out as soon as they are durable.
    await outbox.append(event(clock.now(), 'terminal-start'));
    await until(() => outbox.pendingCount === 0);
    expect(cloud.records.get(6)!.body).toEqual({ name: 'terminal-start' });
    await clock.runFor(1000);
    expect(busy[0]).toBe(true);
    expect(busy.at(-1)).toBe(false);
    expect(client.status()).toMatchObject({ state: 'online', sessions: 1, lastAckedSeq: 6, pending: 0, configVersion: 1 });
  });

  it('keeps at most `window` records in flight', async () => {
    await setup({ window: 4 });
    cloud.autoAck = false;
    for (let i = 0; i < 10; i++) await outbox.append(event(clock.now(), `e${i}`));
    client.start();
    await until(() => cloud.records.size === 4);
    await clock.runFor(5000);
    expect(cloud.records.size).toBe(4);
    expect(client.status().inFlight).toBe(4);
    cloud.send(undefined, { type: 'ack', upTo: 2 });
    await until(() => cloud.records.size === 6);
    await clock.runFor(5000);
    expect([...cloud.records.keys()]).toEqual([1, 2, 3, 4, 5, 6]);
    expect(outbox.pending().map((r) => r.seq)).toEqual([3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('backs off 10 s, 20 s, 40 s … while the cloud is unreachable, then delivers', async () => {
    await setup();
    down = 'no route to host';
    const attempts: number[] = [];
    const t0 = clock.now();
    let last = '';
    client.onState((s) => {
      if (s.state === 'connecting' && last !== 'connecting') attempts.push((clock.now() - t0) / 1000);
      last = s.state;
    });
    await outbox.append(event(t0, 'x'));
    client.start();
    await clock.runFor(200_000);
    expect(client.status().lastError).toBe('uplink: cannot connect: no route to host');
    // Each dial takes 0.1 s (two one-way latencies) before it fails.
    expect(attempts).toEqual([0, 10.1, 30.2, 70.3, 150.4]);
    expect(client.status()).toMatchObject({ state: 'disconnected', failures: 5, nextAttemptAt: t0 + 150_500 + 160_000 });
    down = undefined;
    client.connectNow();
    await until(() => outbox.pendingCount === 0);
    expect(client.status().failures).toBe(0);
  });

  it('reports a rejected key clearly and keeps retrying with back-off', async () => {
    await setup({ secret: 'wrong' });
    client.start();
    await clock.runFor(1000);
    expect(client.status()).toMatchObject({ state: 'disconnected', lastError: 'rejected by the cloud: bad-auth: HMAC does not match the modem key', failures: 1 });
    await clock.runFor(10_000);
    expect(cloud.of('auth')).toHaveLength(2);
  });

  it('resends from the oldest unacked record after the link drops mid-window', async () => {
    await setup({ window: 8 });
    cloud.autoAck = false;
    for (let i = 0; i < 6; i++) await outbox.append(event(clock.now(), `e${i}`));
    client.start();
    await until(() => cloud.records.size === 6);
    cloud.send(undefined, { type: 'ack', upTo: 3 });
    await clock.runFor(500);
    (cloud.links[0] as unknown as { drop(r: string): void }).drop('GPRS context lost');
    cloud.autoAck = true;
    await until(() => outbox.pendingCount === 0);
    const secondLink = cloud.received.filter((r) => r.link === 1 && r.message.type === 'record').map((r) => (r.message as { seq: number }).seq);
    expect(secondLink).toEqual([4, 5, 6]);
    expect(cloud.of('hello')[1]!.lastAckedSeq).toBe(3);
  });

  it('drops a link that stops acking, and one that stops answering keepalives', async () => {
    await setup();
    cloud.autoAck = false;
    await outbox.append(event(clock.now(), 'a'));
    client.start();
    await until(() => client.status().lastError !== undefined);
    expect(client.status().lastError).toBe('no ACK for record 1 within 60000 ms');
    cloud.autoAck = true;
    await until(() => outbox.pendingCount === 0);
    cloud.answerPings = false;
    const before = cloud.of('ping').length;
    await clock.runFor(120_000 + 30_000 + 100);
    expect(cloud.of('ping').length).toBe(before + 1);
    expect(client.status().lastError).toBe('no answer to keepalive within 30000 ms');
  });

  it('pauses after a NACK and sends again from the refused seq', async () => {
    await setup();
    cloud.autoAck = false;
    for (let i = 0; i < 3; i++) await outbox.append(event(clock.now(), `e${i}`));
    client.start();
    await until(() => cloud.of('record').length === 3);
    cloud.send(undefined, { type: 'ack', upTo: 1 });
    cloud.send(undefined, { type: 'nack', seq: 2, reason: 'database is locked', retryInMs: 30_000 });
    await clock.runFor(29_000);
    expect(cloud.of('record')).toHaveLength(3);
    expect(client.status().lastError).toBe('cloud could not store record 2: database is locked');
    cloud.autoAck = true;
    await until(() => outbox.pendingCount === 0);
    expect(cloud.of('record').map((r) => r.seq)).toEqual([1, 2, 3, 2, 3]);
    expect(client.status().sessions).toBe(1);
  });

  it('answers pushes through the handler, and a repeated push id from memory', async () => {
    await setup();
    const calls: unknown[] = [];
    client.setPushHandler((p) => {
      calls.push(p);
      return p.kind === 'command' ? { ok: true } : { ok: false, text: 'I/O support is off' };
    });
    client.start();
    await until(() => client.state === 'online');
    cloud.send(undefined, { type: 'push', id: 'p1', kind: 'command', body: { relay: 1, on: true } });
    cloud.send(undefined, { type: 'push', id: 'p2', kind: 'config', body: { io: true } });
    cloud.send(undefined, { type: 'push', id: 'p1', kind: 'command', body: { relay: 1, on: true } });
    await until(() => cloud.of('push-ack').length === 3);
    expect(calls).toEqual([
      { id: 'p1', kind: 'command', body: { relay: 1, on: true } },
      { id: 'p2', kind: 'config', body: { io: true } },
    ]);
    expect(cloud.of('push-ack')).toEqual([
      { type: 'push-ack', id: 'p1', ok: true },
      { type: 'push-ack', id: 'p2', ok: false, text: 'I/O support is off' },
      { type: 'push-ack', id: 'p1', ok: true },
    ]);
  });

  it('handles a PUSH that arrives in the same chunk as the WELCOME (pushes queued while offline)', async () => {
    await setup();
    for (let i = 0; i < 2; i++) await outbox.append(event(clock.now(), `e${i}`));
    const calls: unknown[] = [];
    client.setPushHandler((p) => {
      calls.push(p);
      return { ok: true };
    });
    cloud.withWelcome = [{ type: 'push', id: 'p7', kind: 'command', body: { relay: 1, on: true } }];
    client.start();
    await until(() => cloud.of('push-ack').length === 1 && cloud.records.size === 2);
    expect(calls).toEqual([{ id: 'p7', kind: 'command', body: { relay: 1, on: true } }]);
    expect(client.state).toBe('online');
    expect(cloud.links.length).toBe(1);
  });

  it('takes the WELCOME upTo as an ack, and rebases when the cloud is ahead of the outbox', async () => {
    await setup();
    for (let i = 0; i < 4; i++) await outbox.append(event(clock.now(), `e${i}`));
    cloud.welcomeUpTo = 2; // acks for 1 and 2 were lost with the previous link
    client.start();
    await until(() => outbox.pendingCount === 0);
    expect(cloud.of('record').map((r) => r.seq)).toEqual([3, 4]);
    await client.stop();
    await outbox.append(event(clock.now(), 'after-reset'));
    cloud.welcomeUpTo = 1000; // this modem number sent 1000 records from other hardware
    client.start();
    await until(() => outbox.pendingCount === 0);
    expect(cloud.of('record').slice(2).map((r) => [r.seq, (r.body as { name: string }).name])).toEqual([
      [1001, 'after-reset'],
      [1002, 'outbox-rebased'],
    ]);
  });

  it('says BYE on stop and leaves no timer behind', async () => {
    await setup();
    client.start();
    await until(() => client.state === 'online');
    await client.stop('maintenance');
    await clock.runFor(1000);
    expect(cloud.of('bye')).toEqual([{ type: 'bye', reason: 'maintenance' }]);
    expect(client.state).toBe('disconnected');
  });
});
