/**
 * The scenario library in pty mode, as `ht-hil run --mode pty` runs it on CI: every scenario that
 * declares pty must pass with all its lines through the OS (socat ptys, serialport, a pty RS-485
 * bus) on wall time; every other one is skipped with its reason.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../core/trace/index.ts';
import { findScenarioFiles, loadScenarios, runSuite } from '../api/index.ts';
import { scenariosFor } from '../api/modes.ts';
import type { RunResult } from '../api/results.ts';

const library = await loadScenarios(await findScenarioFiles([join(import.meta.dirname, '..', 'library')]));
const declared = scenariosFor(library, 'pty');

describe('scenario library in pty mode', () => {
  let run: RunResult;
  const traces = new Map<string, readonly TraceRecord[]>();

  it('runs every pty scenario of the library to a pass, and skips the others with their reason', { timeout: 240_000 }, async () => {
    run = await runSuite(library, { mode: 'pty', onTrace: (r, _i, records) => void traces.set(r.name, records) });
    const ran = run.scenarios.filter((s) => s.verdict !== 'skipped');
    const bad = ran.filter((s) => s.verdict !== 'passed').map((s) => `${s.name}: ${s.verdict} ${s.reason ?? ''} ${s.expectations.filter((e) => !e.passed).map((e) => `${e.name}: ${e.message}`).join('; ')}`);
    expect(bad, bad.join('\n')).toEqual([]);
    expect(ran.map((s) => s.name)).toEqual(declared.map((s) => s.name));
    expect(run.totals).toEqual({ passed: declared.length, failed: 0, error: 0, skipped: library.length - declared.length });
    for (const s of run.scenarios.filter((x) => x.verdict === 'skipped')) expect(s.reason).toMatch(/^runs in virtual mode only/);
    process.stdout.write(`pty suite: ${ran.map((s) => `${s.name} ${(s.wallMs / 1000).toFixed(1)} s`).join('; ')}; total ${(run.wallMs / 1000).toFixed(1)} s\n`);
  });

  it('the library declares at least the five short real-time scenarios for pty', () => {
    expect(declared.length).toBeGreaterThanOrEqual(5);
    for (const s of declared) expect(s.tags).toContain('real-time');
  });

  it('each pty run is traced on wall time, its bytes as they went through the OS', () => {
    expect(run).toBeDefined();
    for (const s of run.scenarios.filter((x) => x.verdict === 'passed')) {
      const records = traces.get(s.name) ?? [];
      const header = records[0];
      expect(header?.kind === 'header' && header.clock).toBe('real');
      const senders = new Set(records.flatMap((r) => (r.kind === 'tx' ? [r.from] : [])));
      expect([...senders].some((x) => x.endsWith('/terminal'))).toBe(true);
      expect(senders.size).toBeGreaterThan(1);
      expect(s.wallMs).toBeLessThan(30_000);
    }
  });
});
