import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { DhcpClient } from './dhcp-client.ts';
import { ScriptedLan } from './scripted-lan.ts';
import { DEFAULT_NETWORK_TIMING } from './timing.ts';

const log = rootLogger().child({}, { level: 'silent' });
const MAC = '02:48:54:40:6f:41';
let client: DhcpClient | undefined;
afterEach(async () => {
  await client?.stop();
  client = undefined;
});

function setup() {
  const clock = new VirtualClock();
  const lan = new ScriptedLan(clock);
  client = new DhcpClient({ clock, port: lan, mac: MAC, hostname: 'HT-21000001', timing: DEFAULT_NETWORK_TIMING, log });
  const t0 = clock.now();
  const s = (at: number) => (at - t0) / 1000;
  return { clock, lan, client, t0, s };
}

describe('DHCP client', () => {
  it('DISCOVER, OFFER, REQUEST, ACK: bound with the lease and its T1, T2 and end', async () => {
    const { clock, lan, client, t0 } = setup();
    client.start();
    await clock.runFor(1000);
    expect(client.state).toBe('bound');
    const [discover, request] = lan.dhcpSent();
    expect(discover).toMatchObject({ op: 'discover', mac: MAC, hostname: 'HT-21000001' });
    expect(request).toMatchObject({ op: 'request', xid: discover!.xid, requested: '192.168.1.100', serverId: '192.168.1.1' });
    expect(client.lease).toEqual({
      address: '192.168.1.100',
      prefix: 24,
      gateway: '192.168.1.1',
      dns: ['192.168.1.1'],
      serverId: '192.168.1.1',
      leaseS: 3600,
      boundAt: t0 + 4,
      t1At: t0 + 4 + 1_800_000,
      t2At: t0 + 4 + 3_150_000,
      expiresAt: t0 + 4 + 3_600_000,
    });
    expect(client.problem).toBeUndefined();
  });

  it('a silent server: DISCOVER after 0, 4, 12, 28, 60 s; "no answer" at 124 s; a new round 60 s later, bound once it answers', async () => {
    const { clock, lan, client, s } = setup();
    lan.dhcp = 'silent';
    client.start();
    await clock.runFor(123_000);
    expect(client.problem).toBeUndefined();
    await clock.runFor(2000);
    expect(client.problem).toBe('DHCP got no answer');
    expect(client.state).toBe('init');
    await clock.runFor(60_000);
    expect(lan.sent.map((x) => s(x.at))).toEqual([0, 4, 12, 28, 60, 184]);
    lan.dhcp = 'answer';
    await clock.runFor(4100);
    expect(client.state).toBe('bound');
    expect(client.problem).toBeUndefined();
  });

  it('renews at T1 by unicast; the ACK extends the lease', async () => {
    const { clock, lan, client, t0 } = setup();
    client.start();
    await clock.runFor(1_800_000 + 100);
    const renew = lan.dhcpSent('request').at(-1)!;
    expect(renew).toMatchObject({ ciaddr: '192.168.1.100', to: '192.168.1.1' });
    expect(renew.requested).toBeUndefined();
    expect(client.state).toBe('bound');
    expect(client.lease!.expiresAt).toBe(t0 + 1_800_004 + 2 + 3_600_000); // sent at T1, acknowledged 2 ms later
  });

  it('no answer to renewals: rebinds by broadcast from T2, loses the lease at its end and starts over', async () => {
    const { clock, lan, client, s } = setup();
    const changes: string[] = [];
    client.onChange(() => changes.push(client.state));
    client.start();
    await clock.runFor(1000);
    lan.renewals = false;
    await clock.runFor(3_600_000);
    const renewing = lan.sent.filter((x) => x.frame.kind === 'dhcp' && x.frame.ciaddr);
    const unicast = renewing.filter((x) => x.frame.kind === 'dhcp' && x.frame.to).map((x) => Math.round(s(x.at)));
    const broadcast = renewing.filter((x) => x.frame.kind === 'dhcp' && !x.frame.to).map((x) => Math.round(s(x.at)));
    // Half the time left to T2 (3150 s), at least 60 s; then to the end (3600 s).
    expect(unicast).toEqual([1800, 2475, 2813, 2981, 3066, 3126]);
    expect(broadcast).toEqual([3150, 3375, 3488, 3548]);
    expect(changes).toEqual(['selecting', 'requesting', 'bound', 'renewing', 'rebinding', 'init', 'selecting', 'requesting', 'bound']);
    expect(client.problem).toBeUndefined();
    expect(lan.dhcpSent('discover').length).toBe(2);
  });

  it('a NAK: no address, the reason in words, a new round after the pause', async () => {
    const { clock, lan, client } = setup();
    lan.dhcp = 'nak';
    client.start();
    await clock.runFor(1000);
    expect(client.lease).toBeUndefined();
    expect(client.problem).toBe('DHCP server refused (NAK: address not available)');
    lan.dhcp = 'answer';
    await clock.runFor(60_000);
    expect(client.state).toBe('bound');
  });

  it('stopped and started again within the lease: asks to keep the address (REBOOTING)', async () => {
    const { clock, lan, client } = setup();
    client.start();
    await clock.runFor(1000);
    await client.stop();
    expect(client.lease).toBeUndefined();
    expect(client.state).toBe('stopped');
    await clock.runFor(600_000);
    const before = lan.sent.length;
    client.start();
    await clock.runFor(1000);
    const again = lan.sent.slice(before).map((x) => x.frame);
    expect(again).toEqual([expect.objectContaining({ kind: 'dhcp', op: 'request', requested: '192.168.1.100' })]);
    expect(again[0]).not.toHaveProperty('serverId');
    expect(client.state).toBe('bound');
  });

  it('stopped after the lease ran out: starts from DISCOVER', async () => {
    const { clock, lan, client } = setup();
    client.start();
    await clock.runFor(1000);
    await client.stop();
    await clock.runFor(3_700_000);
    const before = lan.sent.length;
    client.start();
    await clock.runFor(1000);
    expect(lan.dhcpSent().slice(before).map((m) => m.op)).toEqual(['discover', 'request']);
  });
});
