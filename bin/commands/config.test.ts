/**
 * `ht-hil config` against the terminal's USB port server over a socat pty pair: the command
 * opens one end as a serial port, the terminal's server answers on the other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Command, CommanderError } from 'commander';
import { RealClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { PtyPair } from '../../lines/pty-pair.ts';
import { SerialPortEndpoint } from '../../lines/serialport-endpoint.ts';
import type { NetworkSettings } from '../../protocols/usb-config/index.ts';
import { memoryNetworkSettings } from '../../terminal/network/settings-file.ts';
import { DEFAULT_NETWORK_TIMING } from '../../terminal/network/timing.ts';
import { UsbConfigServer } from '../../terminal/network/usb-server.ts';
import { EXIT } from '../exit-codes.ts';
import { configCommand } from './config.ts';

const clock = new RealClock();
const log = rootLogger().child({}, { level: 'silent' });
const USB = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;
let pty: PtyPair;
let terminalEnd: SerialPortEndpoint;
let server: UsbConfigServer;
const store = memoryNetworkSettings();
const restarts: number[] = [];
const leds: string[] = [];

beforeAll(async () => {
  pty = await PtyPair.start({ name: 'usb', clock });
  terminalEnd = await SerialPortEndpoint.open({ path: pty.a, settings: USB, clock, id: 'usb/terminal', line: 'usb' });
  const applied: NetworkSettings = { mode: 'dhcp', dns: [] };
  server = new UsbConfigServer({
    clock,
    endpoint: terminalEnd,
    identity: { model: 'HT E22', modemNo: '22000042', firmware: '1.4.2', mac: '02:48:54:4f:af:2a' },
    store,
    stored: applied,
    applied,
    status: () => ({ link: 'up', source: 'dhcp', address: '192.168.1.100', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1'], route: 'yes', leaseS: 3540 }),
    restart: () => restarts.push(clock.now()),
    led: (s) => leds.push(s),
    timing: { ...DEFAULT_NETWORK_TIMING, usbBlinkMinMs: 0, restartDelayMs: 50 },
    log,
  });
  server.start();
});

afterAll(async () => {
  await server?.stop();
  await terminalEnd?.close();
  await pty?.stop();
});

/** Runs `ht-hil config ARGS` in process; returns what it printed and the error it ended with. */
async function run(args: string[]): Promise<{ out: string[]; error: unknown }> {
  const out: string[] = [];
  const program = new Command('ht-hil').exitOverride().configureOutput({ writeErr: (s) => out.push(s.trimEnd()), writeOut: (s) => out.push(s.trimEnd()) });
  configCommand(program, { out: (l) => out.push(l) });
  for (const c of program.commands) for (const sub of [c, ...c.commands]) sub.exitOverride().configureOutput({ writeErr: (s) => out.push(s.trimEnd()), writeOut: (s) => out.push(s.trimEnd()) });
  try {
    await program.parseAsync(['config', ...args], { from: 'user' });
    return { out, error: undefined };
  } catch (error) {
    return { out, error };
  }
}

describe('ht-hil config over a pty pair', () => {
  it('read prints identity, stored settings and the interface now as a table', async () => {
    const r = await run(['read', '--port', pty.b]);
    expect(r.error).toBeUndefined();
    expect(r.out).toEqual([
      'terminal  HT E22, modem 22000042, firmware 1.4.2, MAC 02:48:54:4f:af:2a',
      '',
      '          stored (next start)  in use now',
      'mode      dhcp                 dhcp',
      'address   (from DHCP)          192.168.1.100/24',
      'gateway   (from DHCP)          192.168.1.1',
      'dns       (from DHCP)          192.168.1.1',
      'link                           up',
      'route                          yes (the gateway answers)',
      'lease                          3540 s',
      'problem                        -',
    ]);
  });

  it('write --static stores the settings, reads them back, and restarts with --restart', async () => {
    const r = await run(['write', '--port', pty.b, '--static', '192.168.1.50/24', '--gateway', '192.168.1.1', '--dns', '192.168.1.1,9.9.9.9', '--restart', '--json']);
    expect(r.error).toBeUndefined();
    expect(JSON.parse(r.out.join('\n'))).toEqual({
      identity: { model: 'HT E22', modemNo: '22000042', firmware: '1.4.2', mac: '02:48:54:4f:af:2a' },
      settings: { mode: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1', '9.9.9.9'] },
      applied: false,
      restarting: true,
    });
    expect(store.settings).toEqual({ mode: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1', '9.9.9.9'] });
    await clock.sleep(200);
    expect(restarts.length).toBe(1);
    expect(leds).toEqual(['blink', 'off']);
  });

  it('read --json shows the stored static settings and that they are not applied yet', async () => {
    const r = await run(['read', '--port', pty.b, '--json']);
    const j = JSON.parse(r.out.join('\n')) as { settings: unknown; applied: boolean; status: { source: string } };
    expect(j.settings).toEqual({ mode: 'static', address: '192.168.1.50', prefix: 24, gateway: '192.168.1.1', dns: ['192.168.1.1', '9.9.9.9'] });
    expect(j.applied).toBe(false);
    expect(j.status.source).toBe('dhcp');
  });

  it('write --dhcp goes back to the factory setting', async () => {
    const r = await run(['write', '--port', pty.b, '--dhcp']);
    expect(r.error).toBeUndefined();
    expect(r.out.at(-1)).toBe('stored; already in use');
    expect(store.settings).toEqual({ mode: 'dhcp', dns: [] });
  });

  it('a bad value is a usage error naming the option and character; nothing is sent', async () => {
    const before = server.log.length;
    const bad = await run(['write', '--port', pty.b, '--static', '192.168.1.50/24', '--gateway', '192.168.1.300']);
    expect(bad.error).toBeInstanceOf(CommanderError);
    expect((bad.error as CommanderError).exitCode).toBe(EXIT.usage);
    expect((bad.error as CommanderError).message).toBe("error: --gateway: 300 is above 255 (part 4 of '192.168.1.300') (at character 11)");
    const missing = await run(['write', '--port', pty.b, '--static', '192.168.1.50/24']);
    expect((missing.error as CommanderError).message).toBe('error: --gateway: missing; --static needs --gateway');
    const both = await run(['write', '--port', pty.b, '--dhcp', '--static', '192.168.1.50/24']);
    expect((both.error as CommanderError).message).toMatch(/option '--dhcp' cannot be used with option '--static/);
    const none = await run(['write', '--port', pty.b]);
    expect((none.error as CommanderError).message).toBe('error: give --dhcp, or --static ADDR/PREFIX with --gateway IP');
    expect(server.log.length).toBe(before);
  });

  it('a port with nothing answering times out with a message naming the command', async () => {
    await server.stop();
    const r = await run(['read', '--port', pty.b, '--timeout', '300']);
    expect(String(r.error)).toMatch(/no answer to IDENTIFY \(seq 1\) within 300 ms/);
    server.start();
  });
});
