import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { totals, type ScenarioResult } from '../scenarios/api/results.ts';
import { renderReportFolder } from './folder.ts';
import { ReportWriter, traceFileName } from './write.ts';

const start = Date.UTC(2026, 0, 5);

describe('ReportWriter', () => {
  it('writes the folder, numbers traces by suite position, clears what an earlier run left, and links screenshots', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ht-hil-report-'));
    await mkdir(join(dir, 'traces'));
    await mkdir(join(dir, 'screenshots'));
    await writeFile(join(dir, 'traces', '039-old-run.jsonl'), '{}\n');
    await writeFile(join(dir, 'traces', 'notes.txt'), 'mine');
    await writeFile(join(dir, 'screenshots', 'old.png'), 'x');
    const writer = new ReportWriter(dir, { position: (i) => [4, 9][i]! });
    await expect(writer.screenshot('early', new Uint8Array())).rejects.toThrow('call finish(run) first');
    const scenarios: ScenarioResult[] = ['Reads <A>', 'Reads B'].map((name) => ({ name, mode: 'virtual', verdict: 'passed', wallMs: 1, simulatedMs: 1000, startTime: start, expectations: [] }));
    for (const [i, s] of scenarios.entries()) await writer.onTrace(s, i, [{ kind: 'header', version: 1, clock: 'virtual', start }, { kind: 'event', t: start + 5, source: 'cloud', name: 'record-stored', data: { seq: 1 } }]);
    const html = await writer.finish({ tool: 'ht-hil', version: '0.1.0', mode: 'virtual', wallMs: 10, scenarios, totals: totals(scenarios) });
    expect(scenarios.map((s) => s.trace)).toEqual(['traces/005-reads-a.jsonl', 'traces/010-reads-b.jsonl']);
    expect(traceFileName(0, 'x y')).toBe('traces/001-x-y.jsonl');
    expect((await readdir(join(dir, 'traces'))).sort()).toEqual(['005-reads-a.jsonl', '010-reads-b.jsonl', 'notes.txt']);
    expect(await readdir(join(dir, 'screenshots'))).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'results.json'), 'utf8')).scenarios[1].trace).toBe('traces/010-reads-b.jsonl');
    expect(await readFile(join(dir, 'junit.xml'), 'utf8')).toContain('tests="2"');
    const png = await writer.screenshot('Failing scenario!', Uint8Array.of(1, 2, 3));
    expect(png).toBe(join(dir, 'screenshots', 'failing-scenario.png'));
    const page = await readFile(html, 'utf8');
    expect(page).toContain('<a href="screenshots/failing-scenario.png">');
    const again = await readFile(await renderReportFolder(dir), 'utf8');
    expect(again).toBe(page);
  });
});
