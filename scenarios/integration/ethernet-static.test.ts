/**
 * A static address set over the USB port, as the configuration program does it ("read network
 * settings", "send to device", restart): stored at once, used only after the restart, and then
 * the terminal works on it. A static address with no route says so, loses nothing, and is fixed
 * by writing DHCP back over USB and restarting.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { EthernetBench } from './ethernet-bench.ts';

const MIN = 60_000;
let bench: EthernetBench | undefined;
afterEach(async () => {
  await bench?.dispose();
  bench = undefined;
});

describe('HT E21 with a static address set over USB', () => {
  it('takes effect only after the restart, and works', async () => {
    bench = new EthernetBench();
    const b = bench;
    await b.start();
    await b.clock.runFor(20 * MIN);
    expect(await b.clock.run(b.pc.readNetwork())).toEqual({ settings: { mode: 'dhcp', dns: [] }, applied: true });
    const wrote = b.clock.now();
    const fixed = { mode: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1'] } as const;
    expect(await b.clock.run(b.pc.writeNetwork({ ...fixed, dns: [...fixed.dns] }))).toEqual({ applied: false });
    expect(await b.clock.run(b.pc.readNetwork())).toEqual({ settings: fixed, applied: false });
    // Not applied yet: still the DHCP address, still online, readings still arriving.
    expect(await b.clock.run(b.pc.status())).toMatchObject({ source: 'dhcp', address: '192.168.1.100', applied: false });
    await b.clock.runFor(15 * MIN);
    expect(b.drop.configured?.address).toBe('192.168.1.100');
    expect(b.readings().length).toBe(2);
    expect(b.led('usb', wrote)).toEqual(['blink', 'off']);
    const restartAt = b.clock.now();
    expect(await b.clock.run(b.pc.restart())).toEqual({ inMs: 500 });
    await b.clock.runFor(MIN);
    expect(b.restarts).toBe(1);
    expect(await b.clock.run(b.pc.status())).toEqual({ link: 'up', source: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1'], route: 'yes', applied: true });
    expect(b.drop.configured).toEqual({ address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1' });
    expect(b.lan.dhcpFrom(b.drop).filter((m) => m.at >= restartAt)).toEqual([]);
    expect(b.led('ip', restartAt)).toEqual(['off', 'on']);
    await b.clock.runFor(30 * MIN);
    expect(b.terminal.uplinkStatus()?.state).toBe('online');
    expect(b.readings().length).toBe(b.meter.readouts.length);
    expect(b.readings().length).toBe(4);
    expect(b.events('terminal-start').length).toBe(2);
    expect(b.terminal.pendingRecords).toBe(0);
  });

  it('with no route: says so, keeps every reading; DHCP written back over USB and a restart deliver them all', async () => {
    bench = new EthernetBench();
    const b = bench;
    await b.start();
    await b.clock.runFor(MIN);
    await b.clock.run(b.pc.writeNetwork({ mode: 'static', address: '10.1.1.5', prefix: 24, gateway: '10.1.1.1', dns: [] }));
    await b.clock.run(b.pc.restart());
    await b.clock.runFor(MIN);
    const problem = 'no route to 10.0.0.1 via gateway 10.1.1.1: the gateway does not answer';
    expect(await b.clock.run(b.pc.status())).toEqual({ link: 'up', source: 'static', address: '10.1.1.5', prefix: 24, gateway: '10.1.1.1', dns: [], route: 'no', applied: true, problem });
    expect(b.terminal.leds.get('ip')).toBe('on'); // it has an address; the route is what is missing
    expect(b.terminal.uplinkStatus()).toMatchObject({ state: 'disconnected', lastError: problem });
    await b.clock.runFor(60 * MIN);
    expect(b.readings().length).toBe(0);
    expect(b.meter.readouts.length).toBe(4);
    expect(b.terminal.pendingRecords).toBe(5); // the second terminal-start and four readings
    // Back to DHCP, over USB; the bad static address stays in use until the restart.
    expect(await b.clock.run(b.pc.writeNetwork({ mode: 'dhcp', dns: [] }))).toEqual({ applied: false });
    expect(await b.clock.run(b.pc.status())).toMatchObject({ source: 'static', route: 'no', applied: false });
    const fixedAt = b.clock.now();
    await b.clock.run(b.pc.restart());
    await b.clock.runFor(MIN);
    expect(await b.clock.run(b.pc.status())).toMatchObject({ source: 'dhcp', address: '192.168.1.100', route: 'yes', applied: true });
    expect(b.readings().length).toBe(4);
    expect(b.readings().every((r) => r.at < fixedAt)).toBe(true);
    expect(new Set(b.readings().map((r) => r.seq)).size).toBe(4);
    expect(b.events('terminal-start').length).toBe(3);
    expect(b.terminal.pendingRecords).toBe(0);
  });

  it('a bad gateway is refused over USB, naming the field and offset; nothing changes', async () => {
    bench = new EthernetBench();
    const b = bench;
    await b.start();
    await expect(b.clock.run(b.pc.writeNetwork({ mode: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.2.1', dns: [] }))).rejects.toThrow(
      "terminal refused WRITE-NET (invalid-field): field 'gateway' at offset 57: 192.168.2.1 is outside the subnet 192.168.1.0/24 of address 192.168.1.50/24",
    );
    expect(await b.clock.run(b.pc.readNetwork())).toEqual({ settings: { mode: 'dhcp', dns: [] }, applied: true });
  });
});
