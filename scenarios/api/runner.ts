/**
 * Runs scenarios and writes the report folder:
 *
 *   DIR/results.json      every scenario's verdict, expectations, evidence and counters
 *   DIR/junit.xml         for CI systems
 *   DIR/traces/<n>.jsonl  every byte on every line, faults and uplink events, per scenario
 *
 * A scenario passes when every expectation holds after the site has run for `runFor`. An error
 * while running (a deadlock, a crash of a component) makes its verdict `error` and names it.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { RealClock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import { toJunit } from '../../reports/junit.ts';
import { totals, type ExpectationResult, type RunResult, type ScenarioResult } from '../../reports/results.ts';
import { ExpectationFailure } from './expectation.ts';
import { durationMs, type Mode, type Scenario } from './scenario.ts';
import { buildSite } from './site.ts';

export interface RunOptions {
  mode?: Mode;
  /** Report folder; nothing is written without it. */
  reportDir?: string;
  /** Called after each scenario (progress on a TTY). */
  onResult?: (r: ScenarioResult, index: number, total: number) => void;
}

const wall = new RealClock();

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'scenario';
}

/** Runs one scenario in virtual mode; never throws for what the scenario finds. */
export async function runScenario(s: Scenario, options: RunOptions = {}, index = 0): Promise<ScenarioResult> {
  const mode = options.mode ?? 'virtual';
  const began = wall.now();
  const supported = s.modes?.supported ?? ['virtual'];
  const base: ScenarioResult = { name: s.name, mode, verdict: 'passed', wallMs: 0, simulatedMs: 0, startTime: 0, expectations: [], ...(s.file ? { file: s.file } : {}) };
  if (!supported.includes(mode)) {
    return { ...base, verdict: 'skipped', reason: `runs in ${supported.join(', ')} mode only${s.modes?.reason ? `: ${s.modes.reason}` : ''}` };
  }
  if (mode !== 'virtual') return { ...base, verdict: 'skipped', reason: `${mode} mode is not available in this build` };
  const traceName = `traces/${String(index + 1).padStart(3, '0')}-${slug(s.name)}.jsonl`;
  let site;
  try {
    site = await buildSite(s.site, { title: s.name });
  } catch (err) {
    return { ...base, verdict: 'error', reason: `site could not be built: ${errorMessage(err)}`, wallMs: wall.now() - began };
  }
  const start = site.clock.now();
  const result: ScenarioResult = { ...base, startTime: start };
  try {
    for (const ev of s.timeline ?? []) {
      const at = start + durationMs(ev.at);
      site.clock.setTimer(at - start, () => {
        site.event('scenario', 'timeline', { label: ev.label });
        void Promise.resolve(ev.do(site)).catch((err: unknown) => site.fail(`timeline '${ev.label}': ${errorMessage(err)}`));
      }, `timeline: ${ev.label}`);
    }
    await site.start();
    await site.clock.runUntil(start + durationMs(s.runFor));
    await site.settle();
    if (site.failure) throw new Error(site.failure);
    for (const e of s.expect) result.expectations.push(await evaluate(e.name, () => e.check(site)));
    result.verdict = result.expectations.every((e) => e.passed) ? 'passed' : 'failed';
  } catch (err) {
    result.verdict = 'error';
    result.reason = errorMessage(err);
  } finally {
    result.simulatedMs = site.clock.now() - start;
    result.stats = site.stats();
    await site.dispose();
    if (options.reportDir) {
      await site.trace.writeFile(join(options.reportDir, traceName));
      result.trace = traceName;
    }
    result.wallMs = wall.now() - began;
  }
  return result;
}

async function evaluate(name: string, fn: () => void | Promise<void>): Promise<ExpectationResult> {
  try {
    await fn();
    return { name, passed: true };
  } catch (err) {
    if (err instanceof ExpectationFailure) return { name, passed: false, message: err.message, ...(err.evidence.length ? { evidence: err.evidence } : {}) };
    return { name, passed: false, message: `check crashed: ${errorMessage(err)}` };
  }
}

/** Runs scenarios one after the other and writes results.json and junit.xml. */
export async function runSuite(scenarios: readonly Scenario[], options: RunOptions = {}): Promise<RunResult> {
  const began = wall.now();
  const results: ScenarioResult[] = [];
  for (let i = 0; i < scenarios.length; i++) {
    const r = await runScenario(scenarios[i]!, options, i);
    results.push(r);
    options.onResult?.(r, i, scenarios.length);
  }
  const run: RunResult = { tool: 'ht-hil', version: '0.1.0', mode: options.mode ?? 'virtual', wallMs: wall.now() - began, scenarios: results, totals: totals(results) };
  if (options.reportDir) {
    await mkdir(options.reportDir, { recursive: true });
    await writeFile(join(options.reportDir, 'results.json'), JSON.stringify(run, null, 2) + '\n');
    await writeFile(join(options.reportDir, 'junit.xml'), toJunit(run));
  }
  return run;
}
