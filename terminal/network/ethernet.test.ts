import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import { rootLogger } from '../../core/log.ts';
import { memoryLinkPair } from '../../lines/net/memory-link.ts';
import type { ByteLink, LinkDialer } from '../../lines/net/link.ts';
import type { NetworkSettings } from '../../protocols/usb-config/index.ts';
import { EthernetInterface } from './ethernet.ts';
import { LanDialer, NoRouteError } from './lan-dialer.ts';
import { ScriptedLan } from './scripted-lan.ts';
import { DEFAULT_NETWORK_TIMING } from './timing.ts';

const log = rootLogger().child({}, { level: 'silent' });
const MAC = '02:48:54:40:6f:41';
const centre = { address: '10.0.0.1', port: 7001 };
let iface: EthernetInterface | undefined;
afterEach(async () => {
  await iface?.stop();
  iface = undefined;
});

/** A network beyond the port that always connects; counts dials. */
class OpenNetwork implements LinkDialer {
  dials = 0;
  links: ByteLink[] = [];
  constructor(private readonly clock: VirtualClock) {}
  async dial(): Promise<ByteLink> {
    this.dials++;
    const { client } = memoryLinkPair(this.clock, `net#${this.dials}`);
    this.links.push(client);
    return client;
  }
}

function setup(settings: NetworkSettings = { mode: 'dhcp', dns: [] }) {
  const clock = new VirtualClock();
  const lan = new ScriptedLan(clock);
  iface = new EthernetInterface({ clock, port: lan, mac: MAC, settings, centre, timing: DEFAULT_NETWORK_TIMING, log });
  const leds: string[] = [];
  const i = iface;
  i.onChange(() => {
    const l = i.ledState();
    if (leds.at(-1) !== l) leds.push(l);
  });
  return { clock, lan, iface: i, leds };
}

async function refusal(dialer: LinkDialer, clock: VirtualClock): Promise<string | undefined> {
  try {
    await clock.run(dialer.dial());
    return undefined;
  } catch (err) {
    if (!(err instanceof NoRouteError)) throw err;
    return errorMessage(err);
  }
}

describe('Ethernet interface', () => {
  it('DHCP: the IP LED blinks while acquiring and stays lit with the address; the gateway answers', async () => {
    const { clock, lan, iface, leds } = setup();
    iface.start();
    expect(iface.ledState()).toBe('blink');
    expect(iface.refusal()).toBe('no address yet: DHCP is acquiring one');
    await clock.runFor(1000);
    expect(leds).toEqual(['blink', 'on']);
    expect(lan.configured).toEqual({ address: '192.168.1.100', prefix: 24, gateway: '192.168.1.1' });
    expect(iface.status()).toEqual({ link: 'up', source: 'dhcp', address: '192.168.1.100', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1'], route: 'yes', leaseS: 3599 });
    expect(lan.sent.filter((x) => x.frame.kind === 'arp').map((x) => x.frame)).toEqual([{ kind: 'arp', op: 'request', senderMac: MAC, senderIp: '192.168.1.100', targetIp: '192.168.1.1' }]);
  });

  it('DNS servers from the settings replace the server\'s', async () => {
    const { clock, iface } = setup({ mode: 'dhcp', dns: ['9.9.9.9'] });
    iface.start();
    await clock.runFor(1000);
    expect(iface.status().dns).toEqual(['9.9.9.9']);
  });

  it('cable unplugged: LED off, no address, "cable unplugged"; plugged again: the old address is confirmed', async () => {
    const { clock, lan, iface, leds } = setup();
    iface.start();
    await clock.runFor(1000);
    lan.setCarrier(false);
    await clock.runFor(1000);
    expect(iface.ledState()).toBe('off');
    expect(lan.configured).toBeUndefined();
    expect(iface.status()).toEqual({ link: 'down', source: 'none', dns: [], route: 'unknown', problem: 'cable unplugged' });
    lan.setCarrier(true);
    await clock.runFor(1000);
    expect(leds).toEqual(['blink', 'on', 'off', 'blink', 'on']);
    expect(lan.dhcpSent().map((m) => m.op)).toEqual(['discover', 'request', 'request']);
    expect(iface.status().route).toBe('yes');
  });

  it('no DHCP answer: "no address: DHCP got no answer" once a round fails, the LED blinking', async () => {
    const { clock, lan, iface } = setup();
    lan.dhcp = 'silent';
    iface.start();
    await clock.runFor(130_000);
    expect(iface.refusal()).toBe('no address: DHCP got no answer');
    expect(iface.ledState()).toBe('blink');
    expect(iface.status()).toMatchObject({ link: 'up', source: 'none', route: 'unknown', problem: 'no address: DHCP got no answer' });
  });

  it('static: configured at once, no DHCP; a gateway that does not answer means no route, rechecked every 30 s', async () => {
    const { clock, lan, iface, leds } = setup({ mode: 'static', address: '192.168.5.20', prefix: 24, gateway: '192.168.5.1', dns: [] });
    iface.start();
    expect(lan.configured).toEqual({ address: '192.168.5.20', prefix: 24, gateway: '192.168.5.1' });
    await clock.runFor(3500);
    expect(iface.refusal()).toBe('no route to 10.0.0.1 via gateway 192.168.5.1: the gateway does not answer');
    expect(iface.status()).toMatchObject({ source: 'static', address: '192.168.5.20', route: 'no' });
    expect(leds).toEqual(['on']);
    lan.hosts.add('192.168.5.1');
    await clock.runFor(30_000);
    expect(iface.status().route).toBe('yes');
    expect(iface.refusal()).toBeUndefined();
    expect(lan.dhcpSent()).toEqual([]);
    const arps = lan.sent.filter((x) => x.frame.kind === 'arp').map((x) => x.at - lan.sent[0]!.at);
    expect(arps).toEqual([0, 1000, 2000, 33_000]);
  });

  it('a lease without a router: no route, said so', async () => {
    const { clock, lan, iface } = setup();
    delete lan.lease.router;
    iface.start();
    await clock.runFor(1000);
    expect(iface.refusal()).toBe('no route to 10.0.0.1: no gateway (the DHCP server gave none)');
  });
});

describe('LanDialer', () => {
  it('refuses with the reason until there is an address and a route, then dials through', async () => {
    const { clock, lan, iface } = setup();
    const net = new OpenNetwork(clock);
    const dialer = new LanDialer(() => iface, net);
    expect(await refusal(dialer, clock)).toBe('the Ethernet interface is down');
    lan.dhcp = 'silent';
    iface.start();
    expect(await refusal(dialer, clock)).toBe('no address yet: DHCP is acquiring one');
    await clock.runFor(130_000);
    expect(await refusal(dialer, clock)).toBe('no address: DHCP got no answer');
    lan.setCarrier(false);
    expect(await refusal(dialer, clock)).toBe('cable unplugged');
    expect(net.dials).toBe(0);
    lan.dhcp = 'answer';
    lan.setCarrier(true);
    await clock.runFor(200);
    // The address is there; the route check is under way: the dial waits for it, then goes through.
    const link = await clock.run(dialer.dial());
    expect(net.dials).toBe(1);
    expect(link.closed).toBe(false);
  });

  it('waits for the first route check and refuses when the gateway stays silent', async () => {
    const { clock, iface } = setup({ mode: 'static', address: '192.168.5.20', prefix: 24, gateway: '192.168.5.1', dns: [] });
    const net = new OpenNetwork(clock);
    const dialer = new LanDialer(() => iface, net);
    iface.start();
    const t0 = clock.now();
    expect(await refusal(dialer, clock)).toBe('no route to 10.0.0.1 via gateway 192.168.5.1: the gateway does not answer');
    expect(clock.now() - t0).toBe(3000);
    expect(net.dials).toBe(0);
  });

  it('closes the link it handed out when the cable is pulled', async () => {
    const { clock, lan, iface } = setup();
    const dialer = new LanDialer(() => iface, new OpenNetwork(clock));
    iface.start();
    await clock.runFor(1000);
    const link = await clock.run(dialer.dial());
    const closed: string[] = [];
    link.onClose((r) => closed.push(r));
    lan.setCarrier(false);
    await clock.runFor(10);
    expect(closed).toEqual(['cable unplugged']);
  });
});

describe('Ethernet interface, carrier bouncing', () => {
  it('a cable out and in within one instant keeps a static address configured', async () => {
    const { clock, lan, iface } = setup({ mode: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1', dns: [] });
    iface.start();
    await clock.runFor(100);
    lan.setCarrier(false);
    lan.setCarrier(true);
    await clock.runFor(100);
    expect(lan.configured).toEqual({ address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1' });
    expect(iface.status()).toMatchObject({ source: 'static', route: 'yes' });
  });

  it('a cable out and in within one instant on DHCP confirms the old lease', async () => {
    const { clock, lan, iface } = setup();
    iface.start();
    await clock.runFor(1000);
    lan.setCarrier(false);
    lan.setCarrier(true);
    await clock.runFor(1000);
    expect(lan.dhcpSent().map((m) => m.op)).toEqual(['discover', 'request', 'request']);
    expect(lan.dhcpSent().at(-1)).toMatchObject({ requested: '192.168.1.100' });
    expect(iface.status()).toMatchObject({ source: 'dhcp', address: '192.168.1.100', route: 'yes' });
  });
});
