/**
 * An HT E21 on a LAN with DHCP (its factory setting): it gets an address and its readings reach
 * the cloud; without a DHCP answer, or with the cable pulled, it does not dial, says why, keeps
 * its readings and delivers them all once the LAN is back.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EthernetBench } from './ethernet-bench.ts';

const MIN = 60_000;
let bench: EthernetBench | undefined;
afterEach(async () => {
  await bench?.dispose();
  bench = undefined;
});

/** Every reading the meter sent is at the cloud once, in order of when it was taken. */
function expectAllDelivered(b: EthernetBench): void {
  const cloud = b.readings();
  expect(cloud.length).toBe(b.meter.readouts.length);
  expect(new Set(cloud.map((r) => r.seq)).size).toBe(cloud.length);
  const ats = cloud.map((r) => r.at);
  expect(ats).toEqual([...ats].sort((x, y) => x - y));
  expect(b.terminal.pendingRecords).toBe(0);
}

describe('HT E21 on DHCP', () => {
  it('gets an address from the DHCP server and its readings reach the cloud', async () => {
    bench = new EthernetBench();
    const b = bench;
    const t0 = b.clock.now();
    await b.start();
    await b.clock.runFor(5000);
    expect(b.led('ip')).toEqual(['blink', 'on']);
    expect(b.lan.leases()).toEqual([{ mac: b.terminal.ethernet!.mac, address: '192.168.1.100', expiresAt: expect.any(Number) }]);
    expect(await b.clock.run(b.pc.status())).toEqual({ link: 'up', source: 'dhcp', address: '192.168.1.100', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1'], route: 'yes', leaseS: expect.any(Number), applied: true });
    expect(b.terminal.uplinkStatus()?.state).toBe('online');
    await b.clock.runFor(61 * MIN);
    const readings = b.readings();
    expect(readings.length).toBe(4); // :15, :30, :45, :00
    expect(readings[0]!.at - t0).toBeGreaterThanOrEqual(15 * MIN);
    expect(b.events('terminal-start').length).toBe(1);
    expectAllDelivered(b);
    // The 1 h lease is renewed at half its time, at 30 and 60 min: same address, still online.
    expect(b.lan.dhcpFrom(b.drop, 'request').map((m) => Math.round((m.at - t0) / MIN))).toEqual([0, 30, 60]);
    expect(b.terminal.uplinkStatus()?.state).toBe('online');
  });

  it('no DHCP answer: no dial, "no address: DHCP got no answer", readings kept and delivered once DHCP answers', async () => {
    bench = new EthernetBench();
    const b = bench;
    b.lan.setDhcp('off');
    await b.start();
    await b.clock.runFor(5 * MIN);
    const st = await b.clock.run(b.pc.status());
    expect(st).toEqual({ link: 'up', source: 'none', dns: [], route: 'unknown', applied: true, problem: 'no address: DHCP got no answer' });
    expect(b.terminal.leds.get('ip')).toBe('blink');
    expect(b.terminal.uplinkStatus()).toMatchObject({ state: 'disconnected', lastError: 'no address: DHCP got no answer' });
    await b.clock.runFor(60 * MIN);
    expect(b.cloud.service.records(b.config.modemNo).length).toBe(0);
    expect(b.meter.readouts.length).toBe(4);
    expect(b.terminal.pendingRecords).toBe(5); // terminal-start and four readings
    const back = b.clock.now();
    b.lan.setDhcp('on');
    await b.clock.runFor(4 * MIN); // the next DISCOVER round comes within 3 min; the uplink is woken at once
    expect(b.terminal.leds.get('ip')).toBe('on');
    expectAllDelivered(b);
    expect(b.events('terminal-start').length).toBe(1);
    const stored = b.cloud.service.records(b.config.modemNo);
    expect(Math.min(...stored.map((r) => r.receivedAt))).toBeGreaterThan(back);
    expect(Math.max(...stored.map((r) => r.receivedAt))).toBeLessThan(back + 4 * MIN);
  });

  it('cable unplugged: IP LED off, "cable unplugged", readings kept; plugged in again: same address, all delivered', async () => {
    bench = new EthernetBench();
    const b = bench;
    await b.start();
    await b.clock.runFor(20 * MIN);
    expect(b.readings().length).toBe(1);
    const pulled = b.clock.now();
    b.drop.unplug();
    await b.clock.runFor(1000);
    expect(b.terminal.leds.get('ip')).toBe('off');
    expect(b.drop.configured).toBeUndefined();
    expect(await b.clock.run(b.pc.status())).toMatchObject({ link: 'down', source: 'none', problem: 'cable unplugged' });
    await b.clock.runFor(30 * MIN);
    expect(b.terminal.uplinkStatus()?.lastError).toBe('cable unplugged');
    expect(b.readings().length).toBe(1);
    expect(b.terminal.pendingRecords).toBe(2); // the readings of :30 and :45
    const replug = b.clock.now();
    b.drop.plug();
    await b.clock.runFor(MIN);
    expect(b.led('ip', pulled)).toEqual(['off', 'blink', 'on']);
    expect(b.drop.configured?.address).toBe('192.168.1.100');
    // The lease (until :60) is still valid: it is confirmed (INIT-REBOOT), not a new DISCOVER.
    expect(b.lan.dhcpFrom(b.drop).filter((m) => m.at >= replug).map((m) => m.frame.op)).toEqual(['request']);
    expectAllDelivered(b);
    expect(b.readings().length).toBe(3);
  });
});
