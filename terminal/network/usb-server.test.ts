/** The USB configuration port: the terminal's server and the program's host over a virtual USB line. */
import { afterEach, describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import type { RxChunk } from '../../lines/endpoint.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { crc16, DEFAULT_NETWORK_SETTINGS, type NetworkSettings } from '../../protocols/usb-config/index.ts';
import { memoryOutboxFs } from '../uplink/outbox-memfs.ts';
import type { LedState } from '../leds.ts';
import type { InterfaceStatus } from './ethernet.ts';
import { memoryNetworkSettings, networkSettingsFile } from './settings-file.ts';
import { DEFAULT_NETWORK_TIMING } from './timing.ts';
import { UsbConfigHost, UsbRefusedError } from './usb-host.ts';
import { UsbConfigServer } from './usb-server.ts';

const log = rootLogger().child({}, { level: 'silent' });
const USB = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;
const identity = { model: 'HT E21', modemNo: '21000001', firmware: '1.2.0', mac: '02:48:54:40:6f:41' };
const dhcpStatus: InterfaceStatus = { link: 'up', source: 'dhcp', address: '192.168.1.100', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1'], route: 'yes', leaseS: 3500 };
const fixed: NetworkSettings = { mode: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1'] };

let server: UsbConfigServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

function setup(o: { store?: ReturnType<typeof memoryNetworkSettings>; restart?: () => void } = {}) {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'usb', { id: 'usb/terminal', settings: USB }, { id: 'usb/pc', settings: USB });
  const store = o.store ?? memoryNetworkSettings();
  const led: { at: number; state: LedState }[] = [];
  server = new UsbConfigServer({
    clock,
    endpoint: wire.a,
    identity,
    store,
    stored: store.settings,
    applied: store.settings,
    status: () => dhcpStatus,
    ...(o.restart ? { restart: o.restart } : {}),
    led: (state) => led.push({ at: clock.now(), state }),
    timing: DEFAULT_NETWORK_TIMING,
    log,
  });
  server.start();
  const host = new UsbConfigHost({ endpoint: wire.b, clock });
  return { clock, wire, store, led, server, host };
}

describe('USB configuration port', () => {
  it('answers IDENTIFY, READ-NET and STATUS', async () => {
    const { clock, host } = setup();
    expect(await clock.run(host.identify())).toEqual(identity);
    expect(await clock.run(host.readNetwork())).toEqual({ settings: DEFAULT_NETWORK_SETTINGS, applied: true });
    expect(await clock.run(host.status())).toEqual({ ...dhcpStatus, applied: true });
  });

  it('WRITE-NET stores the settings for the next start; the USB LED blinks from the request for at least 1 s', async () => {
    const { clock, host, store, led } = setup();
    const t0 = clock.now();
    expect(await clock.run(host.writeNetwork(fixed))).toEqual({ applied: false });
    expect(store.settings).toEqual(fixed);
    expect(await clock.run(host.readNetwork())).toEqual({ settings: fixed, applied: false });
    // The interface still runs on what it started with.
    expect(await clock.run(host.status())).toEqual({ ...dhcpStatus, applied: false });
    await clock.runFor(2000);
    expect(led.map((l) => l.state)).toEqual(['blink', 'off']);
    const requestArrived = led[0]!.at - t0;
    expect(requestArrived).toBeGreaterThan(0);
    expect(led[1]!.at - led[0]!.at).toBe(1000);
    // Writing back what is in use makes it applied again.
    expect(await clock.run(host.writeNetwork(DEFAULT_NETWORK_SETTINGS))).toEqual({ applied: true });
  });

  it('a bad value is refused naming the field and offset, and nothing is stored', async () => {
    const { clock, wire, store, led } = setup();
    const got: string[] = [];
    wire.b.onData((c: RxChunk) => got.push(fromAscii(c.bytes)));
    const line = '>9 WRITE-NET mode=static address=192.168.1.50/24 gateway=10.0.0.1';
    await clock.run(wire.b.write(ascii(`${line}*${crcHex(line)}\r\n`)));
    await clock.runFor(100);
    expect(got.join('')).toMatch(/^<9 ERR WRITE-NET code=invalid-field field=gateway offset=57 text="10\.0\.0\.1 is outside the subnet 192\.168\.1\.0\/24 of address 192\.168\.1\.50\/24"\*[0-9A-F]{4}\r\n$/);
    expect(store.settings).toEqual(DEFAULT_NETWORK_SETTINGS);
    expect(led).toEqual([]);
  });

  it('the host sees a refusal as an error that names it', async () => {
    const { clock, host, store } = setup();
    store.failNextSave = 'flash worn out';
    await expect(clock.run(host.writeNetwork(fixed))).rejects.toThrow(new UsbRefusedError({ seq: 1, ok: false, command: 'write-net', code: 'storage', text: 'flash write failed: flash worn out' }).message);
    expect(store.settings).toEqual(DEFAULT_NETWORK_SETTINGS);
  });

  it('a garbled line gets ERR with seq 0; the port keeps answering', async () => {
    const { clock, wire, host } = setup();
    const got: string[] = [];
    wire.b.onData((c: RxChunk) => got.push(fromAscii(c.bytes)));
    await clock.run(wire.b.write(ascii('>1 IDENTIFY*0000\r\nhello\r\n')));
    await clock.runFor(100);
    const lines = got.join('').split('\r\n').filter(Boolean);
    expect(lines[0]).toMatch(/^<0 ERR - code=checksum offset=12 text="CRC mismatch at offset 12: got 0x0000, computed 0x0972"\*/);
    expect(lines[1]).toMatch(/^<0 ERR - code=syntax offset=0 text="expected '\*' and the 4 hex digits of the CRC-16 at offset 0 \(the end of the line\)"\*/);
    expect(await clock.run(host.identify())).toEqual(identity);
  });

  it('RESTART answers first, then restarts', async () => {
    let restartedAt: number | undefined;
    const { clock, host } = setup({ restart: () => (restartedAt = clock.now()) });
    expect(await clock.run(host.restart())).toEqual({ inMs: 500 });
    const answered = clock.now();
    expect(restartedAt).toBeUndefined();
    await clock.runFor(1000);
    expect(restartedAt! - answered).toBeGreaterThan(400);
    expect(restartedAt! - answered).toBeLessThanOrEqual(500);
  });

  it('RESTART without a way to restart is refused', async () => {
    const { clock, host } = setup();
    await expect(clock.run(host.restart())).rejects.toThrow(/terminal refused RESTART \(busy\): this terminal has no way to restart itself here/);
  });

  it('the host gives up after its timeout when nothing answers', async () => {
    const { clock, host, server } = setup();
    await server.stop();
    await expect(clock.run(host.identify())).rejects.toThrow(/no answer to IDENTIFY \(seq 1\) within 3000 ms on usb\/pc/);
  });
});

describe('network settings in flash', () => {
  it('are kept in network.json and read back; a bad file means DHCP with the problem named', async () => {
    const clock = new VirtualClock();
    const fs = memoryOutboxFs();
    const file = networkSettingsFile({ fs, dir: '/flash/config', clock });
    expect(await file.load()).toEqual({ settings: DEFAULT_NETWORK_SETTINGS });
    await file.save(fixed);
    expect(await networkSettingsFile({ fs, dir: '/flash/config', clock }).load()).toEqual({ settings: fixed });
    expect(await fs.list('/flash/config')).toEqual(['network.json']);
    const f = await fs.open('/flash/config/network.json', 'update');
    await f.truncate(0);
    await f.close();
    const g = await fs.open('/flash/config/network.json', 'append');
    await g.write(ascii('{"version":1,"settings":{"mode":"static","address":"192.168.1.50","prefix":24,"gateway":"10.0.0.1"}}'));
    await g.close();
    const r = await file.load();
    expect(r.settings).toEqual(DEFAULT_NETWORK_SETTINGS);
    expect(r.problem).toBe("/flash/config/network.json: usb-config: field 'gateway' at offset 0: 10.0.0.1 is outside the subnet 192.168.1.0/24 of address 192.168.1.50/24; using DHCP");
  });
});

function crcHex(body: string): string {
  return crc16(ascii(body)).toString(16).toUpperCase().padStart(4, '0');
}
