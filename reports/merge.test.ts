import { mkdtemp, readdir, readFile, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import type { TraceRecord } from '../core/trace/index.ts';
import { totals, type ScenarioResult } from '../scenarios/api/results.ts';
import { addScreenshot, readRun } from './folder.ts';
import { mergeReports } from './merge.ts';
import type { ReportRun } from './run-info.ts';
import { shardPositions, suiteFingerprint } from './shard.ts';
import { ReportWriter } from './write.ts';

const start = Date.UTC(2026, 0, 5);
const SUITE = ['alpha reads', 'bravo faults', 'charlie week', 'delta modbus', 'echo cellular'];
const HOURS = [0.5, 0.5, 168, 2, 24];
let root: string;

function trace(name: string): TraceRecord[] {
  return [
    { kind: 'header', version: 1, clock: 'virtual', start, title: name },
    { kind: 'tx', t: start + 1000, end: start + 1005, line: 'optical', from: 'optical/terminal', hex: '2f3f210d0a', settings: '300 7E1' },
  ];
}

/** Writes the report folder of shard `index`/`count` of SUITE (or of the listed scenarios, unsharded). */
async function writeFolder(dir: string, shard?: { index: number; count: number }, names = SUITE, suite = SUITE): Promise<ReportRun> {
  const positions = shard ? shardPositions(suite, HOURS.map((h) => h * 3_600_000), shard) : names.map((_, i) => i);
  const picked = shard ? positions.map((p) => suite[p]!) : names;
  const writer = new ReportWriter(dir, { position: (i) => positions[i]! });
  const scenarios: ScenarioResult[] = [];
  for (const [i, name] of picked.entries()) {
    const s: ScenarioResult = { name, mode: 'virtual', verdict: name.startsWith('bravo') ? 'failed' : 'passed', wallMs: 10, simulatedMs: 60_000, startTime: start, expectations: [{ name: 'holds', passed: !name.startsWith('bravo') }] };
    await writer.onTrace(s, i, trace(name));
    scenarios.push(s);
  }
  const run: ReportRun = {
    tool: 'ht-hil',
    version: '0.1.0',
    mode: 'virtual',
    wallMs: 1000 * (shard?.index ?? 1),
    scenarios,
    totals: totals(scenarios),
    startedAt: start + (shard?.index ?? 0),
    suite: { id: suiteFingerprint(suite), size: suite.length },
    ...(shard ? { shard: { ...shard, positions } } : {}),
  };
  await writer.finish(run);
  return run;
}

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ht-hil-merge-'));
});

describe('report merge', () => {
  it('joins the shards of one suite into the report an unsharded run would give', async () => {
    const dirs = [3, 1, 2].map((i) => join(root, `shard-${i}`));
    for (const [k, i] of [3, 1, 2].entries()) await writeFolder(dirs[k]!, { index: i, count: 3 });
    await addScreenshot(dirs[1]!, 'summary', Uint8Array.of(0x89, 0x50, 0x4e, 0x47));
    const whole = join(root, 'whole');
    await writeFolder(whole);
    const out = join(root, 'merged');
    const html = await mergeReports(dirs, out);
    const merged = await readRun(out);
    const plain = await readRun(whole);
    expect(merged.scenarios.map((s) => s.name)).toEqual(SUITE);
    expect(merged.scenarios.map((s) => s.trace)).toEqual(plain.scenarios.map((s) => s.trace));
    expect(merged.totals).toEqual({ passed: 4, failed: 1, skipped: 0, error: 0 });
    expect(merged.wallMs).toBe(3000);
    expect(merged.startedAt).toBe(start + 1);
    expect(merged.suite).toEqual(plain.suite);
    expect(merged.shards!.map((s) => [s.index, s.count, s.scenarios])).toEqual([[1, 3, 1], [2, 3, 2], [3, 3, 2]]);
    expect((await readdir(join(out, 'traces'))).sort()).toEqual((await readdir(join(whole, 'traces'))).sort());
    expect(await readFile(join(out, plain.scenarios[2]!.trace!), 'utf8')).toBe(await readFile(join(whole, plain.scenarios[2]!.trace!), 'utf8'));
    expect(await readdir(join(out, 'screenshots'))).toEqual(['shard-1-summary.png']);
    const junit = await readFile(join(out, 'junit.xml'), 'utf8');
    expect(junit).toContain('tests="5" failures="1" errors="0" skipped="0"');
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<a href="screenshots/shard-1-summary.png">');
    expect(page).toContain('<tr><td>3/3</td><td>2</td><td>3.0 s</td>');
    expect(page.match(/<script type="application\/json" id="d\d">/g)).toHaveLength(5);
  });

  it('refuses shards of different n, a shard twice, a missing shard, a different suite', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const c = join(root, 'c');
    await writeFolder(a, { index: 1, count: 2 });
    await writeFolder(b, { index: 2, count: 3 });
    await expect(mergeReports([a, b], join(root, 'm1'))).rejects.toThrow(`${b}: is shard 2/3 but ${a} (shard 1/2) is one of 2: shards of different n do not make one suite`);
    await expect(mergeReports([a, a], join(root, 'm2'))).rejects.toThrow(`shard 1/2 appears twice: ${a} and ${a}`);
    await expect(mergeReports([a], join(root, 'm3'))).rejects.toThrow('report merge: shard 2/2 missing (have 1/2)');
    await writeFolder(c, { index: 2, count: 2 }, SUITE, [...SUITE, 'foxtrot new']);
    await expect(mergeReports([a, c], join(root, 'm4'))).rejects.toThrow(/ran suite [0-9a-f]{16} but .* ran suite [0-9a-f]{16}: shards must come from the same commit/);
  });

  it('refuses the same scenario in two runs, a mix of shards and whole runs, and an output that is an input', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    const s = join(root, 's');
    await writeFolder(a, undefined, ['alpha reads', 'bravo faults']);
    await writeFolder(b, undefined, ['charlie week', 'bravo faults']);
    await writeFolder(s, { index: 1, count: 2 });
    await expect(mergeReports([a, b], join(root, 'm'))).rejects.toThrow(`scenario 'bravo faults' is in both ${a} and ${b}`);
    await expect(mergeReports([a, s], join(root, 'm'))).rejects.toThrow(`${a}: is a whole run, but ${s} (shard 1/2) is a shard`);
    await expect(mergeReports([a, b], a)).rejects.toThrow('is one of the folders to merge');
    await expect(mergeReports([join(root, 'nothing')], join(root, 'm'))).rejects.toThrow('no results.json here');
  });

  it('joins whole runs of different scenarios in the order given', async () => {
    const a = join(root, 'a');
    const b = join(root, 'b');
    await writeFolder(a, undefined, ['delta modbus']);
    await writeFolder(b, undefined, ['alpha reads', 'bravo faults']);
    await mergeReports([a, b], join(root, 'm'));
    const m = await readRun(join(root, 'm'));
    expect(m.scenarios.map((x) => [x.name, x.trace])).toEqual([
      ['delta modbus', 'traces/001-delta-modbus.jsonl'],
      ['alpha reads', 'traces/002-alpha-reads.jsonl'],
      ['bravo faults', 'traces/003-bravo-faults.jsonl'],
    ]);
    expect(m.suite).toBeUndefined();
  });

  it('refuses a results.json that is not a report', async () => {
    const d = join(root, 'bad');
    await mkdir(d);
    await writeFile(join(d, 'results.json'), '{"tool":"ht-hil","scenarios":[{"name":"x"}]}');
    await expect(readRun(d)).rejects.toThrow('results.json: scenarios.0: expected name, verdict and expectations');
    await writeFile(join(d, 'results.json'), '{oops');
    await expect(readRun(d)).rejects.toThrow(/results.json: not JSON/);
  });
});
