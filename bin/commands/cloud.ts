import type { Command } from 'commander';
import { RealClock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';

export interface CloudServeOptions {
  http: number;
  uplink: number;
  smtp: number;
  host: string;
  db: string;
  modem: string[];
  user?: string;
  adminToken?: string;
}

export interface ServedCloud {
  /** What to print: addresses, the admin token, each modem's authorization code. */
  lines: string[];
  httpPort: number;
  uplinkPort: number;
  smtpPort: number;
  stop(): Promise<void>;
}

/** `NO:SECRET[:MODEL]`, as a factory provisions a terminal. */
function parseModem(text: string): { modemNo: string; secret: string; model?: string } {
  const [modemNo, secret, model, ...rest] = text.split(':');
  if (!modemNo || !secret || rest.length) throw new InputError('--modem', `'${text}' is not NO:SECRET[:MODEL] (e.g. 21000001:factory-key-0001:HT E21)`);
  return { modemNo, secret, ...(model ? { model } : {}) };
}

function parseUser(text: string): { email: string; password: string } {
  const at = text.indexOf(':');
  if (at <= 0) throw new InputError('--user', `'${text}' is not EMAIL:PASSWORD`);
  return { email: text.slice(0, at), password: text.slice(at + 1) };
}

/**
 * Serves the fake cloud on real ports with a real clock: the HTTP API and web pages, the uplink
 * listener a real HT terminal (or `ht-hil emulate modem`) connects to, and the SMTP capture.
 * Provisions the given modems; with `user`, opens an account and adds the modems to it.
 */
export async function serveCloud(o: CloudServeOptions): Promise<ServedCloud> {
  const modems = o.modem.map(parseModem);
  const user = o.user ? parseUser(o.user) : undefined;
  const { FakeCloud } = await import('../../fake-cloud/index.ts');
  const cloud = new FakeCloud({ clock: new RealClock(), db: o.db, ...(o.adminToken ? { adminToken: o.adminToken } : {}) });
  const lines: string[] = [];
  try {
    const provisioned = modems.map((m) => cloud.provisionModem(m));
    if (user) {
      const owner = await cloud.accounts.openAccount(user);
      for (const p of provisioned) await cloud.service.as(owner.id).addModem({ modemNo: p.modemNo, code: p.authCode });
      lines.push(`account ${user.email} holds ${provisioned.length} modem(s)`);
    } else for (const p of provisioned) lines.push(`modem ${p.modemNo}: authorization code ${p.authCode}`);
    const ports = await cloud.start({ http: { port: o.http, host: o.host }, tcp: { port: o.uplink, host: o.host }, smtp: { port: o.smtp } });
    lines.unshift(
      `web pages and API: http://${o.host}:${ports.httpPort}/  (admin token: ${cloud.adminToken})`,
      `uplink: ${o.host}:${ports.uplinkPort}   SMTP capture: ${o.host}:${ports.smtpPort}   store: ${o.db}`,
    );
    return { lines, httpPort: ports.httpPort!, uplinkPort: ports.uplinkPort!, smtpPort: ports.smtpPort!, stop: () => cloud.stop() };
  } catch (err) {
    await cloud.stop();
    throw err;
  }
}

/** `ht-hil cloud serve`. */
export function cloudCommand(program: Command): void {
  const port = (name: string) => (v: string) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InputError(name, `'${v}' is not a TCP port (0..65535; 0: any free port)`);
    return n;
  };
  program
    .command('cloud')
    .description('the fake cloud on real ports, in real time')
    .command('serve')
    .description('serve the web pages and HTTP API, the uplink listener for real terminals and the SMTP capture, until Ctrl-C')
    .option('--http <port>', 'web pages and API port', port('--http'), 8080)
    .option('--uplink <port>', 'uplink port terminals connect to', port('--uplink'), 7001)
    .option('--smtp <port>', 'SMTP capture port', port('--smtp'), 2525)
    .option('--host <address>', 'address to listen on', '127.0.0.1')
    .option('--db <file>', 'SQLite store (a file keeps everything across runs)', 'ht-hil-cloud.sqlite')
    .option('--modem <no:secret[:model]...>', 'provision a terminal (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--user <email:password>', 'open an account and add the provisioned modems to it')
    .option('--admin-token <token>', 'the support API token (default: random, printed)')
    .addHelpText('after', '\nExample:\n  ht-hil cloud serve --modem 21000001:factory-key-0001:"HT E21" --user qa@lab.example:qa-password')
    .action(async (opts: CloudServeOptions) => {
      const served = await serveCloud(opts);
      for (const l of served.lines) process.stdout.write(`${l}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await served.stop();
    });
}
