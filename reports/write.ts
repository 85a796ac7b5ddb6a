/**
 * Writes a run's report folder:
 *
 *   DIR/results.json      every scenario's verdict, expectations, evidence, counters, series
 *   DIR/junit.xml         for CI systems
 *   DIR/report.html       one self-contained page: verdicts, evidence, timelines, plots
 *   DIR/traces/<n>.jsonl  every byte on every line, faults and uplink events, per scenario
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TraceRecorder, type TraceRecord } from '../core/trace/index.ts';
import type { RunResult, ScenarioResult } from '../scenarios/api/results.ts';
import { slug } from '../scenarios/api/runner.ts';
import { digestTrace, type Digest } from './html/digest.ts';
import { renderHtmlReport } from './html/render.ts';
import { toJunit } from './junit.ts';

export class ReportWriter {
  private readonly digests: (Digest | undefined)[] = [];

  constructor(readonly dir: string) {}

  /** Keeps a scenario's trace: the JSONL file, and its digest for the HTML timeline. */
  readonly onTrace = async (result: ScenarioResult, index: number, records: readonly TraceRecord[]): Promise<void> => {
    const name = `traces/${String(index + 1).padStart(3, '0')}-${slug(result.name)}.jsonl`;
    const rec = new TraceRecorder();
    for (const r of records) rec.add(r);
    await rec.writeFile(join(this.dir, name));
    result.trace = name;
    this.digests[index] = digestTrace(records, result);
  };

  /** Writes results.json, junit.xml and report.html; returns the HTML file's path. */
  async finish(run: RunResult): Promise<string> {
    await mkdir(this.dir, { recursive: true });
    await writeFile(join(this.dir, 'results.json'), JSON.stringify(run, null, 2) + '\n');
    await writeFile(join(this.dir, 'junit.xml'), toJunit(run));
    const html = join(this.dir, 'report.html');
    await writeFile(html, renderHtmlReport(run, this.digests));
    return html;
  }
}
