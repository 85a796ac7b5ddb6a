/**
 * `ht-hil config`: the configuration program of the Ethernet terminals (E21/E22) over their USB
 * port, speaking `protocols/usb-config` on a serial device (the terminal's USB CDC port, or a
 * pty joined to an emulated terminal).
 *
 *   ht-hil config read  --port PATH [--json]
 *   ht-hil config write --port PATH --dhcp | --static ADDR/PREFIX --gateway IP [--dns IP,...] [--restart] [--json]
 *
 * `read` shows the identity, the stored settings and the interface now; `write` checks the
 * settings with the terminal's own rules before sending them (an error names the option and the
 * character), sends them, reads them back, and restarts the terminal with `--restart` (IP
 * settings take effect only after a restart).
 */
import { InvalidArgumentError, Option, type Command } from 'commander';
import type { NetworkSettings, NetworkStatus, TerminalIdentity } from '../../protocols/usb-config/index.ts';
import { EXIT } from '../exit-codes.ts';

interface PortOptions {
  port: string;
  baud: number;
  timeout: number;
  json?: boolean;
}

interface WriteOptions extends PortOptions {
  dhcp?: boolean;
  static?: string;
  gateway?: string;
  dns?: string;
  restart?: boolean;
}

/** Where `config` writes its output (stdout by default; tests pass their own). */
export interface ConfigOutput {
  out(line: string): void;
}

const stdout: ConfigOutput = { out: (line) => process.stdout.write(line + '\n') };

const OPTION_OF: Record<string, string> = { mode: '--dhcp/--static', address: '--static', gateway: '--gateway', dns: '--dns' };

function whole(name: string, min: number, max: number): (v: string) => number {
  return (v) => {
    const n = Number(v);
    if (!/^\d+$/.test(v.trim()) || n < min || n > max) throw new InvalidArgumentError(`${name}: expected a whole number ${min}..${max}, got "${v}"`);
    return n;
  };
}

function portOptions(cmd: Command): Command {
  return cmd
    .requiredOption('--port <path>', "the terminal's USB serial device (e.g. /dev/ttyACM0) or a pty")
    .option('--baud <rate>', 'line speed (a USB CDC port ignores it)', whole('--baud', 300, 115200), 115200)
    .option('--timeout <ms>', 'time allowed for each answer', whole('--timeout', 100, 60_000), 3000)
    .option('--json', 'print JSON instead of a table');
}

/** Registers `config read` and `config write`. */
export function configCommand(program: Command, io: ConfigOutput = stdout): void {
  const config = program.command('config').description("read and write an Ethernet terminal's network settings over its USB port");
  portOptions(config.command('read').description('show identity, stored network settings and the interface now')).action(async (opts: PortOptions) => {
    await withTerminal(opts, async (host) => {
      const identity = await host.identify();
      const { settings, applied } = await host.readNetwork();
      const status = await host.status();
      if (opts.json) io.out(JSON.stringify({ identity, settings, applied, status }, null, 2));
      else for (const l of table(identity, settings, status)) io.out(l);
    });
  });
  portOptions(
    config
      .command('write')
      .description('send network settings to the terminal (they take effect after a restart)')
      .addOption(new Option('--dhcp', 'get the address from a DHCP server (the factory setting)').conflicts(['static', 'gateway']))
      .option('--static <addr/prefix>', 'a fixed address, e.g. 192.168.1.50/24')
      .option('--gateway <ip>', 'the router to the centre (with --static)')
      .option('--dns <ip,...>', 'up to 3 DNS servers, comma separated')
      .option('--restart', 'restart the terminal afterwards so that the settings take effect'),
  ).action(async (opts: WriteOptions, cmd: Command) => {
    const settings = await settingsFromOptions(opts, cmd);
    await withTerminal(opts, async (host) => {
      const identity = await host.identify();
      await host.writeNetwork(settings);
      const back = await host.readNetwork();
      const restarting = opts.restart ? await host.restart() : undefined;
      if (opts.json) {
        io.out(JSON.stringify({ identity, settings: back.settings, applied: back.applied, restarting: restarting !== undefined }, null, 2));
        return;
      }
      const status = await host.status();
      for (const l of table(identity, back.settings, status)) io.out(l);
      io.out(restarting ? `stored; the terminal restarts in ${restarting.inMs} ms and then uses them` : back.applied ? 'stored; already in use' : 'stored; restart the terminal (--restart) to use them');
    });
  });
}

/** The settings the options ask for, checked with the codec's rules; a bad one is a usage error naming the option. */
async function settingsFromOptions(opts: WriteOptions, cmd: Command): Promise<NetworkSettings> {
  const { parseNetworkSettings, UsbConfigError } = await import('../../protocols/usb-config/index.ts');
  if (!opts.dhcp && opts.static === undefined) cmd.error('error: give --dhcp, or --static ADDR/PREFIX with --gateway IP', { exitCode: EXIT.usage });
  const fields = [{ key: 'mode', value: opts.dhcp ? 'dhcp' : 'static', offset: 0 }];
  if (opts.static !== undefined) fields.push({ key: 'address', value: opts.static, offset: 0 });
  if (opts.gateway !== undefined) fields.push({ key: 'gateway', value: opts.gateway, offset: 0 });
  if (opts.dns !== undefined) fields.push({ key: 'dns', value: opts.dns, offset: 0 });
  try {
    return parseNetworkSettings(fields, 0);
  } catch (err) {
    if (!(err instanceof UsbConfigError) || err.field === undefined) throw err;
    const option = OPTION_OF[err.field] ?? err.field;
    const problem = err.problem.startsWith('missing') ? `missing; --static needs ${option}` : `${err.problem}${opts[optionKey(err.field)] !== undefined ? ` (at character ${(err.offset ?? 0) + 1})` : ''}`;
    return cmd.error(`error: ${option}: ${problem}`, { exitCode: EXIT.usage });
  }
}

function optionKey(field: string): keyof WriteOptions {
  return field === 'address' ? 'static' : (field as keyof WriteOptions);
}

/** Opens the port, runs `work` with a host on it, closes the port. */
async function withTerminal(opts: PortOptions, work: (host: import('../../terminal/network/usb-host.ts').UsbConfigHost) => Promise<void>): Promise<void> {
  const { RealClock } = await import('../../core/clock/index.ts');
  const { SerialPortEndpoint } = await import('../../lines/serialport-endpoint.ts');
  const { UsbConfigHost } = await import('../../terminal/network/usb-host.ts');
  const clock = new RealClock();
  const port = await SerialPortEndpoint.open({ path: opts.port, settings: { baudRate: opts.baud, dataBits: 8, parity: 'none', stopBits: 1 }, clock, line: 'usb' });
  const host = new UsbConfigHost({ endpoint: port, clock, timeoutMs: opts.timeout });
  try {
    await work(host);
    process.exitCode = EXIT.ok;
  } finally {
    host.dispose();
    await port.close();
  }
}

/** Identity, then the settings stored (next start) beside the interface in use now. */
export function table(identity: TerminalIdentity, stored: NetworkSettings, status: NetworkStatus): string[] {
  const cidr = (a?: string, p?: number) => (a === undefined ? '-' : `${a}/${p ?? 32}`);
  const rows: [string, string, string][] = [
    ['mode', stored.mode, status.source === 'none' ? '-' : status.source],
    ['address', stored.mode === 'static' ? cidr(stored.address, stored.prefix) : '(from DHCP)', cidr(status.address, status.prefix)],
    ['gateway', stored.mode === 'static' ? stored.gateway : '(from DHCP)', status.gateway ?? '-'],
    ['dns', stored.dns.length ? stored.dns.join(', ') : stored.mode === 'dhcp' ? '(from DHCP)' : '-', status.dns.length ? status.dns.join(', ') : '-'],
    ['link', '', status.link],
    ['route', '', status.route === 'yes' ? 'yes (the gateway answers)' : status.route],
    ['lease', '', status.leaseS === undefined ? '-' : `${status.leaseS} s`],
    ['problem', '', status.problem ?? '-'],
  ];
  const w1 = Math.max(...rows.map((r) => r[0].length), 8);
  const w2 = Math.max(...rows.map((r) => r[1].length), 'stored (next start)'.length);
  const line = (a: string, b: string, c: string) => `${a.padEnd(w1)}  ${b.padEnd(w2)}  ${c}`.trimEnd();
  return [
    `terminal  ${identity.model}, modem ${identity.modemNo}, firmware ${identity.firmware}, MAC ${identity.mac}`,
    '',
    line('', 'stored (next start)', 'in use now'),
    ...rows.map((r) => line(...r)),
    ...(status.applied ? [] : ['', 'the stored settings differ from those in use: they apply after a restart']),
  ];
}
