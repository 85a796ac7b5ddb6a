/**
 * `ht-hil emulate meter` as a user runs it: a child process serving a meter on a fresh pty pair,
 * read by the terminal's own mode C reader over the other end, stopped with Ctrl-C (SIGINT).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../core/clock/index.ts';
import { parseTrace } from '../../core/trace/index.ts';
import { SerialPortEndpoint } from '../../lines/serialport-endpoint.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { readModeC } from '../../terminal/meter-reader/mode-c.ts';
import { EXIT } from '../../bin/exit-codes.ts';
import { htHil, stdoutMatch } from './cli-child.ts';

const clock = new RealClock();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ht-hil-emulate-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('ht-hil emulate meter', () => {
  it('serves a Landis ZMD310 on a fresh pty; the terminal reads it; Ctrl-C stops it cleanly', async () => {
    const trace = join(dir, 'cli.jsonl');
    const child = htHil(['emulate', 'meter', '--brand', 'Landis', '--model', 'ZMD310', '--pty', '--initial-kwh', '4821.35', '--trace', trace]);
    const ready = stdoutMatch(child, /connect your reader to (\S+)\n[^]*Ctrl-C to stop\n/, 20_000, clock);
    const path = (await ready)[1]!;
    const port = await SerialPortEndpoint.open({ path, settings: IEC_OPENING, clock, pace: true });
    let out;
    try {
      out = await readModeC(port, clock, { address: '' });
    } finally {
      await port.close();
    }
    if (!out.ok) throw new Error(`${out.reason}: ${out.detail}`);
    expect(out.identification).toMatchObject({ flag: 'LGZ', baud: 9600 });
    const kwh = Number(out.sets.find((s) => s.address === '1.8.0')?.values[0]?.value);
    expect(kwh).toBeGreaterThanOrEqual(4821.35);
    expect(kwh).toBeLessThan(4821.5);

    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.all).toBe(EXIT.ok);
    const lines = result.stdout.split('\n');
    const frames = lines.filter((l) => / → /.test(l)).map((l) => l.replace(/^.* → /, '').replace(/ \(\d+ bytes.*\)$/, ''));
    expect(frames).toEqual([
      'request (no address)',
      expect.stringMatching(/^identification LGZ, 9600 baud \(mode E\), ident "ZMD3104407\.B32"/),
      'option select: normal protocol, 9600 baud, data readout',
      'readout, 38 lines, 38 data sets',
    ]);
    expect(lines).toContain(`stopped (SIGINT): 4 frames, trace written to ${trace}`);
    const records = parseTrace(await readFile(trace, 'utf8'), trace);
    expect(records.map((r) => r.kind)).toEqual(['header', 'tx', 'tx', 'tx', 'tx']);
    expect(existsSync(dirname(path))).toBe(false); // socat stopped, links removed
  });

  it('exits 4 for a bad bus file, naming the file and field', async () => {
    const bus = join(dir, 'bus.yaml');
    await writeFile(bus, "- { brand: Landis, model: ZMD310, serial: '95316176' }\n- { brand: Makel, serial: 'x-1' }\n");
    const r = await htHil(['emulate', 'meter', '--bus', bus, '--pty']);
    expect(r.exitCode).toBe(EXIT.input);
    expect(r.stderr).toContain(`${bus}: [1].serial: expected 1 to 32 letters or digits, got "x-1"`);
  });

  it('exits 3 when socat is missing, naming the Debian package', async () => {
    const r = await htHil(['emulate', 'meter', '--brand', 'Makel', '--pty'], { PATH: dir }); // an empty folder: no socat
    expect(r.exitCode).toBe(EXIT.environment);
    expect(r.stderr).toMatch(/socat is not installed.*apt-get install -y socat/);
  });

  it('exits 2 for a usage error', async () => {
    const r = await htHil(['emulate', 'meter', '--brand', 'Makel']);
    expect(r.exitCode).toBe(EXIT.usage);
    expect(r.stderr).toContain('give --port PATH (a serial device) or --pty');
  });
});
