/**
 * `ht-hil rig probe` against a rig file whose ports are socat pty paths standing in for USB–RS485
 * adapters: a second rig file keeps a meter and a Modbus analyzer emulated on the far ends of the
 * pairs (`serveRigEmulators`, what `ht-hil rig serve` runs); the probe finds them, reports the
 * declared devices that are missing, and exits 1.
 *
 *   probe ── pty meter-bus ── emulated Landis ZMD310 (RS-485)       + a Makel that is not there
 *   probe ── pty modbus    ── emulated Eastron SDM630 @1            + an analyzer @2 that is not there
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../core/clock/index.ts';
import { PtyPair } from '../../lines/pty-pair.ts';
import { parseRigFile } from '../../hil-rig/rig-file.ts';
import { serveRigEmulators } from '../../hil-rig/serve-rig.ts';
import type { ProbeReport } from '../../hil-rig/probe/probe.ts';
import { EXIT } from '../../bin/exit-codes.ts';
import { htHil } from '../interop/cli-child.ts';

const clock = new RealClock();
let dir: string;
const pairs: PtyPair[] = [];
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ht-hil-rig-probe-'));
  for (const name of ['meter-bus', 'modbus']) pairs.push(await PtyPair.start({ name, clock }));
});
afterAll(async () => {
  for (const c of closers) await c();
  for (const p of pairs) await p.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('ht-hil rig probe over pty pairs', () => {
  it('finds the served devices, names the missing ones, and exits 1', async () => {
    const [meterBus, modbus] = pairs as [PtyPair, PtyPair];
    const far = parseRigFile([
      'rig: far-ends',
      'ports:',
      `  - { id: meter-bus, path: ${meterBus.a}, role: rs485-meter-bus, emulate: { meters: [{ brand: Landis, model: ZMD310, serial: '95316176' }] } }`,
      `  - { id: modbus, path: ${modbus.a}, role: rs485-modbus, emulate: { modbus: [{ model: Eastron SDM630, address: 1 }] } }`,
      '',
    ].join('\n'), 'far.yaml');
    const served = await serveRigEmulators(far, { clock });
    closers.push(() => served.close());
    expect(served.ports.map((p) => p.what)).toEqual(['1 meter (Landis+Gyr ZMD310 95316176)', '1 Modbus device (Eastron SDM630 @1)']);
    const rig = join(dir, 'rig.yaml');
    await writeFile(rig, [
      'rig: pty-bench',
      'ports:',
      '  - id: meter-bus',
      `    path: ${meterBus.b}`,
      '    role: rs485-meter-bus',
      '    meters:',
      "      - { brand: Landis, model: ZMD310, serial: '95316176' }",
      "      - { brand: Makel, serial: '80099921', name: absent makel }",
      '  - id: modbus',
      `    path: ${modbus.b}`,
      '    role: rs485-modbus',
      '    modbus:',
      '      - { model: Eastron SDM630, address: 1 }',
      '      - { model: Eastron SDM630, address: 2, name: absent analyzer }',
      '',
    ].join('\n'));

    const r = await htHil(['rig', 'probe', '--rig', rig, '--json']);
    expect(r.exitCode, r.all).toBe(EXIT.failed);
    const report = JSON.parse(r.stdout) as ProbeReport;
    const row = (device: string) => report.rows.find((x) => x.device === device);
    expect(row('Landis+Gyr ZMD310 95316176')).toMatchObject({ port: 'meter-bus', answered: true, identification: expect.stringMatching(/^\/LGZ5\\2ZMD3104407\.B32$/) });
    expect(row('Landis+Gyr ZMD310 95316176')!.reactionMs).toBeGreaterThanOrEqual(150);
    expect(row('absent makel')).toMatchObject({ answered: false, problem: 'missing: no answer within 2000 ms' });
    expect(row('Eastron SDM630 @1')).toMatchObject({ port: 'modbus', answered: true, identification: expect.stringMatching(/ = /) });
    expect(row('absent analyzer')).toMatchObject({ answered: false, problem: expect.stringMatching(/^missing: no answer/) });
    expect(report).toMatchObject({ missing: 2, unopened: 0, ok: false });
    const trace = served.trace();
    expect(trace.records[0]).toMatchObject({ kind: 'header', title: 'ht-hil rig serve far-ends' });
    expect(new Set(trace.bytes().map((r) => r.line))).toEqual(new Set(['meter-bus', 'modbus']));
  });

  it('exits 4 naming line and column for a bad rig file', async () => {
    const rig = join(dir, 'bad.yaml');
    await writeFile(rig, 'rig: b\nports:\n  - id: x\n    path: dev/ttyUSB0\n    role: rs485-meter-bus\n');
    const r = await htHil(['rig', 'probe', '--rig', rig]);
    expect(r.exitCode).toBe(EXIT.input);
    expect(r.stderr).toContain(`${rig}:4:11: ports[0].path: expected an absolute device path`);
  });
});
