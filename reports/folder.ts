/**
 * A report folder on disk, read back: its results.json, its traces digested again, its
 * screenshots; and report.html rendered again from them (after a merge, or when a screenshot
 * is added from the command line).
 *
 *   DIR/results.json          ReportRun
 *   DIR/junit.xml
 *   DIR/report.html
 *   DIR/traces/NNN-<slug>.jsonl
 *   DIR/screenshots/<name>.png
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError } from '../core/errors.ts';
import { readTrace } from '../core/trace/index.ts';
import { slug } from '../scenarios/api/runner.ts';
import { digestTrace, type Digest } from './html/digest.ts';
import { renderHtmlReport } from './html/render.ts';
import type { ReportRun } from './run-info.ts';

/** Trace files a report writes: `traces/001-name.jsonl`. */
export const TRACE_FILE = /^\d{3,}-[a-z0-9-]*\.jsonl$/;
const SCREENSHOT_FILE = /^[a-z0-9][a-z0-9._-]*\.png$/i;

/** Reads and checks DIR/results.json; an error names the file and what is wrong. */
export async function readRun(dir: string): Promise<ReportRun> {
  const file = join(dir, 'results.json');
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    throw new InputError(file, 'no results.json here: is this a report folder (ht-hil run --report DIR)?');
  }
  let run: unknown;
  try {
    run = JSON.parse(text);
  } catch (err) {
    throw new InputError(file, `not JSON (${(err as Error).message})`);
  }
  const r = run as Partial<ReportRun>;
  if (typeof run !== 'object' || run === null || r.tool !== 'ht-hil') throw new InputError(file, "tool: expected 'ht-hil'");
  if (!Array.isArray(r.scenarios)) throw new InputError(file, 'scenarios: expected a list');
  r.scenarios.forEach((s, i) => {
    if (typeof s?.name !== 'string' || !['passed', 'failed', 'skipped', 'error'].includes(s.verdict) || !Array.isArray(s.expectations)) {
      throw new InputError(file, `scenarios.${i}: expected name, verdict and expectations`);
    }
  });
  return run as ReportRun;
}

/** Screenshot files of DIR, as report.html links them (`screenshots/x.png`), sorted. */
export async function listScreenshots(dir: string): Promise<string[]> {
  try {
    return (await readdir(join(dir, 'screenshots'))).filter((f) => SCREENSHOT_FILE.test(f)).sort().map((f) => `screenshots/${f}`);
  } catch {
    return [];
  }
}

/** Each scenario's digest, from its trace file (undefined when it has none or it is gone). */
export async function digestsFromTraces(dir: string, run: ReportRun): Promise<(Digest | undefined)[]> {
  const out: (Digest | undefined)[] = [];
  for (const s of run.scenarios) {
    if (!s.trace) {
      out.push(undefined);
      continue;
    }
    try {
      out.push(digestTrace(await readTrace(join(dir, s.trace)), s));
    } catch {
      out.push(undefined);
    }
  }
  return out;
}

/** Renders DIR/report.html again from results.json, traces/ and screenshots/; returns its path. */
export async function renderReportFolder(dir: string): Promise<string> {
  const run = await readRun(dir);
  const html = join(dir, 'report.html');
  await writeFile(html, renderHtmlReport(run, await digestsFromTraces(dir, run), { screenshots: await listScreenshots(dir) }));
  return html;
}

/** Removes what an earlier run left in DIR's traces/ and screenshots/ (only files of ours). */
export async function clearOutputs(dir: string): Promise<void> {
  for (const [sub, pattern] of [['traces', TRACE_FILE], ['screenshots', SCREENSHOT_FILE]] as const) {
    let names: string[];
    try {
      names = await readdir(join(dir, sub));
    } catch {
      continue;
    }
    for (const n of names) if (pattern.test(n)) await rm(join(dir, sub, n), { force: true });
  }
}

/**
 * Adds a screenshot (PNG bytes) to report folder DIR as `screenshots/<name>.png` and renders
 * report.html again so that it links it; returns the PNG's path. `name` is made file-safe.
 */
export async function addScreenshot(dir: string, name: string, png: Uint8Array): Promise<string> {
  await readRun(dir);
  const file = join(dir, 'screenshots', `${slug(name)}.png`);
  await mkdir(join(dir, 'screenshots'), { recursive: true });
  await writeFile(file, png);
  await renderReportFolder(dir);
  return file;
}
