/**
 * `ht-hil emulate modbus` as a user runs it: a child process serving emulated Modbus devices on
 * a fresh pty pair, read by `modbus-serial` over the other end, stopped with Ctrl-C (SIGINT).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../core/clock/index.ts';
import { parseTrace } from '../../core/trace/index.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import { EXIT } from '../../bin/exit-codes.ts';
import { htHil, stdoutMatch } from './cli-child.ts';
import { closeClient, connectModbusSerial } from './modbus-independent.ts';

const clock = new RealClock();
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ht-hil-emulate-modbus-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Frame lines of the child's stdout, without time, settings and byte count. */
function frames(stdout: string): string[] {
  return stdout.split('\n').filter((l) => / → /.test(l)).map((l) => l.replace(/^\S+\s+\S+ \S+\s+/, '').replace(/ \(\d+ bytes.*\)$/, ''));
}

describe('ht-hil emulate modbus', () => {
  it('serves an SDM630 on a fresh pty; modbus-serial reads it; Ctrl-C stops it cleanly', { timeout: 30_000 }, async () => {
    const trace = join(dir, 'cli.jsonl');
    const child = htHil(['emulate', 'modbus', '--model', 'Eastron SDM630', '--address', '7', '--pty', '--trace', trace]);
    const path = (await stdoutMatch(child, /connect your master to (\S+)\n[^]*Ctrl-C to stop\n/, 20_000, clock))[1]!;
    const client = await connectModbusSerial(path, MODBUS_DEFAULT, 7);
    let volts: number[];
    let exception: unknown;
    try {
      const r = await client.readInputRegisters(0, 6);
      volts = [0, 4, 8].map((o) => r.buffer.readFloatBE(o));
      exception = await client.readInputRegisters(0x4000, 2).then(() => undefined, (e: unknown) => e);
    } finally {
      await closeClient(client);
    }
    for (const v of volts) expect(v).toBeGreaterThan(200);
    expect((exception as { modbusCode?: number }).modbusCode).toBe(2);

    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode, result.all).toBe(EXIT.ok);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('serving Eastron SDM630 (energy-analyzer) at address 7, serial 10000007');
    expect(lines).toContainEqual(expect.stringMatching(/^measuring one site load: a working site: 8 kW .* power factor 0\.82 inductive/));
    expect(lines).toContainEqual(expect.stringMatching(/^on \S+modbus-a at 9600 8N1, paced to line time; Ctrl-C to stop$/));
    expect(frames(result.stdout)).toEqual([
      'master          → slave 7 read input 30001+6 (6 regs) = voltage.l1, voltage.l2, voltage.l3',
      expect.stringMatching(/^SDM630 #7 +→ slave 7 → 6 regs: (0x[0-9a-f]{4} ){5}0x[0-9a-f]{4} = voltage\.l1 2\d\d(\.\d+)? V, voltage\.l2 2\d\d(\.\d+)? V, voltage\.l3 2\d\d(\.\d+)? V$/),
      'master          → slave 7 read input 316385+2 (2 regs) = nothing mapped',
      'SDM630 #7       → slave 7 exception 02 illegal data address for fn 04',
    ]);
    expect(lines).toContain(`stopped (SIGINT): 4 frames, trace written to ${trace}`);
    const records = parseTrace(await readFile(trace, 'utf8'), trace);
    expect(records.map((r) => (r.kind === 'tx' ? r.from : r.kind))).toEqual(['header', 'pty/master', 'pty/modbus-7', 'pty/master', 'pty/modbus-7']);
    expect(existsSync(dirname(path))).toBe(false); // socat stopped, links removed
  });

  it('serves a bus file: each device answers its own address', { timeout: 30_000 }, async () => {
    const bus = join(dir, 'bus.yaml');
    await writeFile(bus, "- { model: Eastron SDM630, address: 2 }\n- { model: grup-arge/screenless-compensation-relay, serial: '2024010347' }\n");
    const child = htHil(['emulate', 'modbus', '--bus', bus, '--pty']);
    const path = (await stdoutMatch(child, /connect your master to (\S+)\n[^]*Ctrl-C to stop\n/, 20_000, clock))[1]!;
    const client = await connectModbusSerial(path, MODBUS_DEFAULT, 147);
    try {
      const serial = (await client.readHoldingRegisters(0, 2)).buffer.readUInt32BE(0);
      expect(serial).toBe(24010347); // the serial register holds its last nine digits
      client.setID(2);
      expect((await client.readHoldingRegisters(0x14, 2)).buffer.readFloatBE(0)).toBe(2); // its address register
    } finally {
      await closeClient(client);
    }
    child.kill('SIGTERM');
    const result = await child;
    expect(result.exitCode, result.all).toBe(EXIT.ok);
    expect(result.stdout).toContain('serving Grup Arge Screenless compensation relay (compensation-relay) at address 147, serial 2024010347');
    expect(frames(result.stdout).filter((f) => f.startsWith('master'))).toEqual([
      'master          → slave 147 read holding 40001+2 (2 regs) = device.serial',
      'master          → slave 2 read holding 40021+2 (2 regs) = device.address',
    ]);
    expect(result.stdout).toMatch(/^stopped \(SIGTERM\): 4 frames$/m);
    expect(result.stdout).toContain('= device.serial 24010347 (9 bytes)');
  });

  it('exits 4 for a bad bus file, naming the file and field', async () => {
    const bus = join(dir, 'bad.yaml');
    await writeFile(bus, '- { model: Eastron SDM630, address: 2 }\n- { model: Klemsan RAPIDUS, address: 2 }\n');
    const r = await htHil(['emulate', 'modbus', '--bus', bus, '--pty']);
    expect(r.exitCode).toBe(EXIT.input);
    expect(r.stderr).toContain(`${bus}: [1].address: address 2 is already used by device [0]`);
  });

  it('exits 2 for a usage error', async () => {
    const r = await htHil(['emulate', 'modbus', '--pty']);
    expect(r.exitCode).toBe(EXIT.usage);
    expect(r.stderr).toContain('give --model NAME (one device) or --bus FILE (several)');
    const bad = await htHil(['emulate', 'modbus', '--model', 'Grup Arge screenless compensation relay', '--address', '12', '--pty']);
    expect(bad.exitCode).toBe(EXIT.usage);
    expect(bad.stderr).toContain('--address: Grup Arge Screenless compensation relay answers on its serial');
  });
});
