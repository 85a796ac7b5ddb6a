/** The terminal's Ethernet as a whole: settings from flash, applied at start only, LEDs, readiness. */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { Leds } from '../leds.ts';
import { memoryOutboxFs } from '../uplink/outbox-memfs.ts';
import { ScriptedLan } from './scripted-lan.ts';
import { macOf, TerminalEthernet } from './terminal-ethernet.ts';
import { UsbConfigHost } from './usb-host.ts';

const log = rootLogger().child({}, { level: 'silent' });
const USB = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;
let eth: TerminalEthernet | undefined;
afterEach(async () => {
  await eth?.stop();
  eth = undefined;
});

function setup() {
  const clock = new VirtualClock();
  const lan = new ScriptedLan(clock);
  const wire = new VirtualWire(clock, 'usb', { id: 'usb/terminal', settings: USB }, { id: 'usb/pc', settings: USB });
  const leds = new Leds(clock, ['usb', 'power', 'ip', 'internet']);
  const flash = memoryOutboxFs();
  const restarts: number[] = [];
  eth = new TerminalEthernet({
    clock,
    lan,
    usbPort: wire.a,
    identity: { model: 'HT E21', modemNo: '21000001', firmware: '1.0.0' },
    storage: { fs: flash, dir: '/flash/config' },
    leds,
    onRestart: () => restarts.push(clock.now()),
    logger: log,
  });
  const host = new UsbConfigHost({ endpoint: wire.b, clock });
  return { clock, lan, leds, flash, restarts, eth, host };
}

describe('terminal Ethernet', () => {
  it('a static address written over USB takes effect only at the next start', async () => {
    const { clock, lan, leds, eth, host } = setup();
    let ready = 0;
    eth.onReady(() => ready++);
    await clock.run(eth.start());
    await clock.runFor(1000);
    expect(ready).toBe(1);
    expect(eth.status()).toMatchObject({ source: 'dhcp', address: '192.168.1.100' });
    expect(await clock.run(host.writeNetwork({ mode: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1', dns: [] }))).toEqual({ applied: false });
    await clock.runFor(60_000);
    expect(eth.status()).toMatchObject({ source: 'dhcp', address: '192.168.1.100' });
    expect(lan.configured?.address).toBe('192.168.1.100');
    await clock.run(eth.stop());
    expect(leds.get('ip')).toBe('off');
    const dhcpBefore = lan.dhcpSent().length;
    await clock.run(eth.start());
    await clock.runFor(5000);
    expect(eth.status()).toMatchObject({ source: 'static', address: '192.168.1.50', route: 'yes' });
    expect(lan.configured).toEqual({ address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1' });
    expect(lan.dhcpSent().length).toBe(dhcpBefore);
    expect(await clock.run(host.readNetwork())).toMatchObject({ applied: true });
    expect(ready).toBe(2);
    const ip = leds.history.filter((c) => c.led === 'ip').map((c) => c.state);
    expect(ip).toEqual(['blink', 'on', 'off', 'on']);
    const usb = leds.history.filter((c) => c.led === 'usb').map((c) => c.state);
    expect(usb).toEqual(['blink', 'off']);
  });

  it('IDENTIFY names the model, modem number, firmware and the MAC made from the modem number', async () => {
    const { clock, eth, host } = setup();
    await clock.run(eth.start());
    expect(await clock.run(host.identify())).toEqual({ model: 'HT E21', modemNo: '21000001', firmware: '1.0.0', mac: '02:48:54:40:6f:41' });
    expect(macOf('21000001')).toBe('02:48:54:40:6f:41'); // 21000001 = 0x1406f41
    expect(macOf('999999999999')).toMatch(/^02:48:54:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$/);
  });

  it('RESTART over USB asks the owner to restart', async () => {
    const { clock, eth, host, restarts } = setup();
    await clock.run(eth.start());
    await clock.run(host.restart());
    await clock.runFor(1000);
    expect(restarts.length).toBe(1);
  });
});
