import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import type { ByteLink, LinkAcceptor } from '../../lines/net/link.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { SiteLan, type LanDrop, type LanMessage } from './lan.ts';

const MAC = '02:48:54:40:6f:41';

function setup() {
  const clock = new VirtualClock();
  const lan = new SiteLan(clock);
  const drop = lan.attach('terminal');
  const got: LanMessage[] = [];
  drop.onFrame((f) => got.push(f));
  const accepted: ByteLink[] = [];
  const acceptor: LinkAcceptor = { accept: (l) => accepted.push(l) };
  const cloud = new MemoryDialer(clock, acceptor, 'uplink/21000001', { latencyMs: 20 });
  return { clock, lan, drop, got, accepted, dialer: lan.dialer(drop, cloud) };
}

async function exchange(clock: VirtualClock, drop: LanDrop, got: LanMessage[], frame: LanMessage): Promise<LanMessage | undefined> {
  const n = got.length;
  drop.send(frame);
  await clock.runFor(10);
  return got[n];
}

async function dialError(clock: VirtualClock, dialer: { dial(): Promise<ByteLink> }): Promise<{ message: string; tookMs: number }> {
  const t0 = clock.now();
  try {
    await clock.run(dialer.dial());
  } catch (err) {
    return { message: errorMessage(err), tookMs: clock.now() - t0 };
  }
  throw new Error('the dial went through');
}

describe('site LAN: DHCP server', () => {
  it('offers from its pool, acknowledges, confirms, renews and refuses what is not its to give', async () => {
    const { clock, lan, drop, got } = setup();
    const offer = await exchange(clock, drop, got, { kind: 'dhcp', op: 'discover', xid: 7, mac: MAC });
    expect(offer).toEqual({ kind: 'dhcp', op: 'offer', xid: 7, mac: MAC, serverId: '192.168.1.1', yiaddr: '192.168.1.100', prefix: 24, router: '192.168.1.1', dns: ['192.168.1.1'], leaseS: 3600 });
    const ack = await exchange(clock, drop, got, { kind: 'dhcp', op: 'request', xid: 7, mac: MAC, requested: '192.168.1.100', serverId: '192.168.1.1' });
    expect(ack).toMatchObject({ op: 'ack', yiaddr: '192.168.1.100', leaseS: 3600 });
    expect(lan.leases()).toEqual([{ mac: MAC, address: '192.168.1.100', expiresAt: clock.now() - 9 + 3_600_000 }]);
    // INIT-REBOOT and renewal of its own address
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'request', xid: 8, mac: MAC, requested: '192.168.1.100' })).toMatchObject({ op: 'ack' });
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'request', xid: 9, mac: MAC, ciaddr: '192.168.1.100', to: '192.168.1.1' })).toMatchObject({ op: 'ack' });
    // another host asking for that address, an address off the network, a renewal of a lease it never had
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'request', xid: 10, mac: '02:00:00:00:00:99', requested: '192.168.1.100' })).toMatchObject({ op: 'nak', message: '192.168.1.100 is leased to another host' });
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'request', xid: 11, mac: MAC, requested: '10.9.9.9' })).toMatchObject({ op: 'nak', message: '10.9.9.9 is not on this network' });
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'request', xid: 12, mac: '02:00:00:00:00:99', ciaddr: '192.168.1.150' })).toMatchObject({ op: 'nak' });
    // a second host gets the next address
    const other = await exchange(clock, drop, got, { kind: 'dhcp', op: 'discover', xid: 13, mac: '02:00:00:00:00:99' });
    expect(other).toMatchObject({ op: 'offer', yiaddr: '192.168.1.101' });
    // a REQUEST meant for another server is ignored
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'request', xid: 14, mac: MAC, requested: '192.168.1.100', serverId: '192.168.1.2' })).toBeUndefined();
    // a release frees the address
    await exchange(clock, drop, got, { kind: 'dhcp', op: 'release', xid: 15, mac: MAC, ciaddr: '192.168.1.100' });
    expect(lan.leases()).toEqual([]);
  });

  it('off or silent: no answer; silent still hears', async () => {
    const { clock, lan, drop, got } = setup();
    lan.setDhcp('silent');
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'discover', xid: 1, mac: MAC })).toBeUndefined();
    lan.setDhcp('off');
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'discover', xid: 2, mac: MAC })).toBeUndefined();
    expect(lan.dhcpFrom(drop, 'discover').length).toBe(2);
    lan.setDhcp('on');
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'discover', xid: 3, mac: MAC })).toMatchObject({ op: 'offer' });
  });

  it('nothing passes without the cable', async () => {
    const { clock, lan, drop, got } = setup();
    const carrier: boolean[] = [];
    drop.onCarrier((up) => carrier.push(up));
    drop.unplug();
    expect(drop.carrier).toBe(false);
    expect(await exchange(clock, drop, got, { kind: 'dhcp', op: 'discover', xid: 1, mac: MAC })).toBeUndefined();
    expect(lan.frames).toEqual([]);
    drop.plug();
    expect(carrier).toEqual([false, true]);
  });
});

describe('site LAN: router', () => {
  it('answers ARP for its address only', async () => {
    const { clock, drop, got } = setup();
    expect(await exchange(clock, drop, got, { kind: 'arp', op: 'request', senderMac: MAC, senderIp: '192.168.1.100', targetIp: '192.168.1.1' })).toEqual({
      kind: 'arp',
      op: 'reply',
      senderMac: '02:00:5e:00:01:01',
      senderIp: '192.168.1.1',
      targetIp: '192.168.1.100',
      targetMac: MAC,
    });
    expect(await exchange(clock, drop, got, { kind: 'arp', op: 'request', senderMac: MAC, senderIp: '10.1.1.5', targetIp: '10.1.1.1' })).toBeUndefined();
  });

  it('forwards to the cloud only for a host in its subnet that uses it as gateway', async () => {
    const { clock, drop, dialer, accepted } = setup();
    expect(await dialError(clock, dialer)).toEqual({ message: 'terminal: network is unreachable (no address)', tookMs: 0 });
    drop.configure({ address: '10.1.1.5', prefix: 24, gateway: '10.1.1.1' });
    expect(await dialError(clock, dialer)).toEqual({ message: 'terminal: no route to host: gateway 10.1.1.1 does not answer', tookMs: 3000 });
    drop.configure({ address: '192.168.0.50', prefix: 16, gateway: '192.168.1.1' });
    expect(await dialError(clock, dialer)).toEqual({ message: 'terminal: connection timed out: the router does not forward for 192.168.0.50 (its subnet is 192.168.1.0/24)', tookMs: 21_000 });
    drop.configure({ address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1' });
    const link = await clock.run(dialer.dial());
    expect(accepted.length).toBe(1);
    drop.unplug();
    expect(link.closed).toBe(true);
    expect(accepted[0]!.closed).toBe(true);
    expect(await dialError(clock, dialer)).toEqual({ message: 'terminal: network is unreachable (no carrier)', tookMs: 0 });
  });
});
