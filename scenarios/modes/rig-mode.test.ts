/**
 * Rig mode against a stand-in rig: a rig file whose ports are socat pty paths, with emulated
 * meters served on the far ends by `ht-hil emulate`'s code (as a physical rig has real meters on
 * its adapters). The terminal's code opens the rig's ports and reads the "physical" meters by
 * their own serials; a meter the rig lists under `emulate` is served by the site on its port;
 * a scenario needing what the rig lacks is skipped with a reason naming it.
 *
 *   optical-head  'optical'       pty pair ── served Landis ZMD310 95316177 (physical)
 *   rs485 bus     'meter-bus'     ┐
 *   (pty bus)     (physical)  ────┼── served Makel C500 80000001 (physical)
 *                 'meter-bus-emu' ┘   Luna and Elster AS1440 served by the site (emulate)
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../core/clock/index.ts';
import type { TraceRecord } from '../../core/trace/index.ts';
import { PtyBus } from '../../lines/pty-bus.ts';
import { PtyPair } from '../../lines/pty-pair.ts';
import { serveMeters, type ServedMeters } from '../../emulators/meters/serve.ts';
import { loadScenarios, runScenario, runSuite } from '../api/index.ts';
import type { RunResult } from '../api/results.ts';

const library = await loadScenarios([join(import.meta.dirname, '..', 'library', 'real-time.scenario.ts')]);
const named = (text: string) => library.find((s) => s.name.includes(text))!;

describe('rig mode on a stand-in rig of pty paths', () => {
  const clock = new RealClock();
  let dir: string;
  let optical: PtyPair;
  let bus: PtyBus;
  const served: ServedMeters[] = [];
  let rigFile: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ht-hil-rig-'));
    optical = await PtyPair.start({ name: 'optical', clock });
    bus = new PtyBus({ clock, line: 'standin-bus', settings: { baudRate: 9600, dataBits: 7, parity: 'even', stopBits: 1 } });
    const terminalDrop = await bus.attach('terminal');
    const meterDrop = await bus.attach('makel');
    const emulatorDrop = await bus.attach('emulator');
    served.push(await serveMeters({ path: optical.b, clock, pace: true, meters: [{ brand: 'Landis', model: 'ZMD310', serial: '95316177' }], line: 'optical' }));
    served.push(await serveMeters({ path: meterDrop.path, clock, pace: true, meters: [{ brand: 'Makel', serial: '80000001' }], line: 'meter-bus' }));
    rigFile = join(dir, 'stand-in.yaml');
    await writeFile(
      rigFile,
      [
        'rig: pty-stand-in',
        'ports:',
        `  - { id: optical, path: ${optical.a}, role: optical-head, meters: [{ brand: Landis, model: ZMD310, serial: '95316177' }] }`,
        `  - { id: meter-bus, path: ${terminalDrop.path}, role: rs485-meter-bus, meters: [{ brand: Makel, serial: '80000001' }] }`,
        `  - id: meter-bus-emu`,
        `    path: ${emulatorDrop.path}`,
        '    role: rs485-meter-bus',
        "    emulate: { meters: [{ brand: Luna }, { brand: Elster, model: AS1440 }] }",
        '',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    for (const s of served) await s.close();
    await bus?.close();
    await optical?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  let run: RunResult;
  const traces = new Map<string, readonly TraceRecord[]>();

  it('runs the real-time set against the rig: what the rig has passes, the rest is skipped with a reason', { timeout: 90_000 }, async () => {
    run = await runSuite(library, { mode: 'rig', rig: rigFile, onTrace: (r, _i, records) => void traces.set(r.name, records) });
    const by = new Map(run.scenarios.map((s) => [s.name, s]));
    const failed = run.scenarios.filter((s) => s.verdict === 'failed' || s.verdict === 'error').map((s) => `${s.name}: ${s.reason ?? ''} ${s.expectations.filter((e) => !e.passed).map((e) => e.message).join('; ')}`);
    expect(failed, failed.join('\n')).toEqual([]);
    expect(by.get(named('optical port').name)?.verdict).toBe('passed');
    expect(by.get(named('three meters').name)?.verdict).toBe('passed');
    expect(by.get(named('RAPIDUS').name)?.reason).toMatch(/has no rs485-modbus port for the terminal to read the Modbus device Klemsan RAPIDUS/);
    expect(by.get(named('cellular').name)?.reason).toMatch(/has no meter Makel C500 \(optical\): none on port 'optical'/);
    expect(by.get(named('wrong BCC').name)?.reason).toMatch(/^runs in virtual, pty mode only: injects a wrong BCC/);
    expect(run.totals).toEqual({ passed: 2, failed: 0, error: 0, skipped: 3 });
  });

  it('reads the physical meters by the rig’s serials and serves the rest on the rig’s emulate port', () => {
    expect(run).toBeDefined();
    const opticalRun = run.scenarios.find((s) => s.name === named('optical port').name)!;
    expect(opticalRun.stats?.['physicalDevices']).toBe(1);
    expect(opticalRun.stats?.['meters']).toBe(0);
    const opticalTrace = traces.get(opticalRun.name)!;
    const stored = opticalTrace.filter((r) => r.kind === 'event' && r.name === 'record-stored' && (r.data as { meter?: string }).meter);
    expect(stored.map((r) => (r.kind === 'event' ? (r.data as { meter?: string }).meter : ''))).toEqual(['95316177']);
    // The meter is seen only through the terminal's end: what it received is traced.
    expect(opticalTrace.some((r) => r.kind === 'rx' && r.line === 'optical' && r.to === 'optical/terminal')).toBe(true);
    const busRun = run.scenarios.find((s) => s.name === named('three meters').name)!;
    expect([busRun.stats?.['physicalDevices'], busRun.stats?.['meters']]).toEqual([1, 2]);
    const busTrace = traces.get(busRun.name)!;
    const meters = busTrace.flatMap((r) => (r.kind === 'event' && r.name === 'record-stored' ? [(r.data as { meter?: string }).meter] : [])).filter(Boolean);
    expect(meters.sort()).toEqual(['80000001', '80000002', '80000003']);
  });

  it('rig mode without a rig file is refused, naming the option', async () => {
    await expect(runScenario(named('optical port'), { mode: 'rig' })).rejects.toThrow(/--rig: rig mode needs a rig file/);
  });
});
