/**
 * `ht-hil emulate modem` as a user runs it: a child process serving the emulated module on a
 * fresh pty pair, talked to by Debian's `chat` (package `ppp`, the modem dialogue tool of pppd)
 * over the other end, stopped with Ctrl-C (SIGINT). `chat` fails (exit 3) when an expected
 * answer does not come within its timeout, and (exit 4) when the module answers ERROR.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../core/clock/index.ts';
import { parseTrace } from '../../core/trace/index.ts';
import { EXIT } from '../../bin/exit-codes.ts';
import { htHil, stdoutMatch } from './cli-child.ts';

const clock = new RealClock();
const haveChat = existsSync('/usr/sbin/chat');
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ht-hil-emulate-modem-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Runs a chat script (expect/send pairs, one pair a line) against the pty at `path`; chat's log is on stderr. */
async function runChat(path: string, script: string): Promise<{ exitCode: number | undefined; log: string }> {
  const file = join(dir, `chat-${Math.random().toString(36).slice(2)}.txt`);
  await writeFile(file, script);
  const r = await execa('sh', ['-c', 'exec /usr/sbin/chat -v -s -f "$1" <"$2" >"$2"', 'sh', file, path], { reject: false, timeout: 15_000 });
  return { exitCode: r.exitCode, log: r.stderr };
}

/** The DTE and module lines of the child's stdout, without time and settings and byte count. */
function frames(stdout: string): string[] {
  return stdout.split('\n').filter((l) => / → /.test(l)).map((l) => l.replace(/^\S+\s+\S+ \S+\s+/, '').replace(/ \(\d+ bytes.*\)$/, ''));
}

describe.skipIf(!haveChat)('ht-hil emulate modem, talked to by chat (ppp)', () => {
  it('SIM800C with a PIN-locked SIM: chat gets OK, the identity, the signal and +CPIN: SIM PIN; Ctrl-C stops it', { timeout: 20_000 }, async () => {
    const trace = join(dir, 'modem.jsonl');
    const child = htHil(['emulate', 'modem', '--module', 'SIM800C', '--sim', 'pin', '--signal', '-85', '--pty', '--trace', trace]);
    const path = (await stdoutMatch(child, /connect your terminal to (\S+)\n/, 10_000, clock))[1]!;
    await stdoutMatch(child, /modem +→ \+CPIN: SIM PIN/, 10_000, clock); // started: RDY, +CFUN: 1, +CPIN
    const chat = await runChat(path, [
      'ABORT ERROR',
      'TIMEOUT 5',
      "'' AT",
      'OK ATI',
      "'SIM800 R14.18' \\c",
      'OK AT+CSQ',
      "'+CSQ: 14,0' \\c", // −85 dBm → (−85 + 113) / 2 = 14
      'OK AT+CPIN?',
      "'+CPIN: SIM PIN' \\c",
      "OK \\c",
      '',
    ].join('\n'));
    expect(chat.exitCode, chat.log).toBe(0);

    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.all).toBe(EXIT.ok);
    expect(result.stdout).toContain('serving SIMCom SIM800C, IMEI ');
    expect(result.stdout).toContain('its TCP sockets reach 127.0.0.1:7001');
    expect(result.stdout).toMatch(/^on \S+modem-a at 115200 8N1, paced to line time; Ctrl-C to stop$/m);
    const f = frames(result.stdout);
    expect(f.slice(0, 3)).toEqual(['modem           → RDY', 'modem           → +CFUN: 1', 'modem           → +CPIN: SIM PIN']);
    expect(f.slice(3)).toEqual([
      'DTE             → AT',
      'modem           → AT',
      'modem           → OK',
      'DTE             → ATI',
      'modem           → ATI',
      'modem           → SIM800 R14.18',
      'modem           → OK',
      'DTE             → AT+CSQ',
      'modem           → AT+CSQ',
      'modem           → +CSQ: 14,0',
      'modem           → OK',
      'DTE             → AT+CPIN?',
      'modem           → AT+CPIN?',
      'modem           → +CPIN: SIM PIN',
      'modem           → OK',
    ]);
    const records = parseTrace(await readFile(trace, 'utf8'), trace);
    expect(records.filter((r) => r.kind === 'tx').length).toBe(f.length);
    expect(existsSync(dirname(path))).toBe(false); // socat stopped, links removed
  });

  it('SIM800C with a ready SIM answers +CPIN: READY; a PIN command on a ready SIM is an ERROR chat aborts on', { timeout: 20_000 }, async () => {
    const child = htHil(['emulate', 'modem', '--module', 'SIM800C', '--pty']);
    const path = (await stdoutMatch(child, /connect your terminal to (\S+)\n/, 10_000, clock))[1]!;
    await stdoutMatch(child, /modem +→ SMS Ready/, 10_000, clock); // started, SIM read
    const ok = await runChat(path, ['ABORT ERROR', 'TIMEOUT 5', "'' AT+CPIN?", "'+CPIN: READY' \\c", 'OK \\c', ''].join('\n'));
    expect(ok.exitCode, ok.log).toBe(0);
    const refused = await runChat(path, ['ABORT ERROR', 'TIMEOUT 5', "'' AT+CPIN=1234", 'OK \\c', ''].join('\n'));
    expect(refused.exitCode, refused.log).toBe(4); // chat: the ABORT string (ERROR) came
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode, result.all).toBe(EXIT.ok);
    expect(frames(result.stdout).slice(-7)).toEqual([
      'DTE             → AT+CPIN?',
      'modem           → AT+CPIN?',
      'modem           → +CPIN: READY',
      'modem           → OK',
      'DTE             → AT+CPIN=1234',
      'modem           → AT+CPIN=1234',
      'modem           → ERROR',
    ]);
  });

  it('exits 2 for a usage error', async () => {
    const r = await htHil(['emulate', 'modem', '--pty']);
    expect(r.exitCode).toBe(EXIT.usage);
    expect(r.stderr).toContain('give --module NAME');
    const bad = await htHil(['emulate', 'modem', '--module', 'SIM900', '--pty']);
    expect(bad.exitCode).toBe(EXIT.usage);
    expect(bad.stderr).toContain('no module profile is named "SIM900"');
  });
});
