/**
 * Writes a run's report folder:
 *
 *   DIR/results.json           every scenario's verdict, expectations, evidence, counters, series;
 *                              when and where the run happened, its suite and shard
 *   DIR/junit.xml              for CI systems
 *   DIR/report.html            one self-contained page: summary, verdicts, evidence, timelines, plots
 *   DIR/traces/<n>.jsonl       every byte on every line, faults and uplink events, per scenario
 *   DIR/screenshots/<name>.png pictures of the report (browser tests, `ht-hil report screenshot`)
 *
 * Trace and screenshot files an earlier run left in DIR are removed before the first write.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TraceRecorder, type TraceRecord } from '../core/trace/index.ts';
import type { ScenarioResult } from '../scenarios/api/results.ts';
import { slug } from '../scenarios/api/runner.ts';
import { clearOutputs, listScreenshots } from './folder.ts';
import { digestTrace, type Digest } from './html/digest.ts';
import { renderHtmlReport } from './html/render.ts';
import { toJunit } from './junit.ts';
import type { ReportRun } from './run-info.ts';

export interface ReportWriterOptions {
  /**
   * Position of the run's i-th scenario in its whole suite (a shard runs part of it): trace
   * files are numbered by it, so shards merge without renaming. Default: i.
   */
  position?: (index: number) => number;
}

/** Trace file name of a scenario at suite position `pos`: `traces/007-<slug>.jsonl`. */
export function traceFileName(pos: number, name: string): string {
  return `traces/${String(pos + 1).padStart(3, '0')}-${slug(name)}.jsonl`;
}

/**
 * Writes one run's report folder: hand `onTrace` to the runner, then call `finish(run)` once;
 * `screenshot()` after that adds pictures. Not for concurrent runs into one folder.
 */
export class ReportWriter {
  private readonly digests: (Digest | undefined)[] = [];
  private run: ReportRun | undefined;
  private prepared: Promise<void> | undefined;

  constructor(
    readonly dir: string,
    private readonly options: ReportWriterOptions = {},
  ) {}

  private prepare(): Promise<void> {
    return (this.prepared ??= mkdir(this.dir, { recursive: true }).then(() => clearOutputs(this.dir)));
  }

  /** Keeps a scenario's trace: the JSONL file, and its digest for the HTML timeline. */
  readonly onTrace = async (result: ScenarioResult, index: number, records: readonly TraceRecord[]): Promise<void> => {
    await this.prepare();
    const name = traceFileName(this.options.position?.(index) ?? index, result.name);
    const rec = new TraceRecorder();
    for (const r of records) rec.add(r);
    await rec.writeFile(join(this.dir, name));
    result.trace = name;
    this.digests[index] = digestTrace(records, result);
  };

  /** Writes results.json, junit.xml and report.html; returns the HTML file's path. */
  async finish(run: ReportRun): Promise<string> {
    await this.prepare();
    this.run = run;
    await writeFile(join(this.dir, 'results.json'), JSON.stringify(run, null, 2) + '\n');
    await writeFile(join(this.dir, 'junit.xml'), toJunit(run));
    return this.renderHtml();
  }

  /**
   * Adds a screenshot (PNG bytes) to the folder as `screenshots/<name>.png` and renders
   * report.html again so that it links it. Call after `finish`. Returns the PNG's path.
   */
  async screenshot(name: string, png: Uint8Array): Promise<string> {
    if (!this.run) throw new Error('ReportWriter.screenshot: call finish(run) first');
    const file = join(this.dir, 'screenshots', `${slug(name)}.png`);
    await mkdir(join(this.dir, 'screenshots'), { recursive: true });
    await writeFile(file, png);
    await this.renderHtml();
    return file;
  }

  private async renderHtml(): Promise<string> {
    const html = join(this.dir, 'report.html');
    await writeFile(html, renderHtmlReport(this.run!, this.digests, { screenshots: await listScreenshots(this.dir) }));
    return html;
  }
}
