/**
 * Runs scenarios. A scenario passes when every expectation holds after the site has run for
 * `runFor`; an error while running (a deadlock, a crash of a component) makes its verdict
 * `error` and names it. Each scenario's trace is handed to `onTrace` (the report writer keeps it
 * as `traces/<n>.jsonl` and draws it in report.html).
 *
 * Modes (`modes.ts`): a scenario that does not support the run's mode is `skipped` with its
 * reason; in rig mode so is one whose site needs what the rig lacks.
 */
import { RealClock } from '../../core/clock/index.ts';
import { errorMessage, InputError } from '../../core/errors.ts';
import type { TraceRecord } from '../../core/trace/index.ts';
import { energySeries } from './cloud-view.ts';
import { enrichEvidence } from './evidence.ts';
import { totals, type ExpectationResult, type RunResult, type ScenarioResult } from './results.ts';
import { ExpectationFailure } from './expectation.ts';
import { durationMs, type Mode, type Scenario } from './scenario.ts';
import { buildSite, type Site } from './site.ts';
import { loadRigFile, type Rig } from '../../hil-rig/rig-file.ts';
import { checkClockScale, modeSkipReason, rigPlanFor } from './modes.ts';
import type { RigPlan } from './rig-plan.ts';

export interface RunOptions {
  /** virtual (default), pty or rig. */
  mode?: Mode;
  /** Rig mode: the rig, or the path of its rig file. */
  rig?: Rig | string;
  /** Pty and rig modes: the clock runs this many times faster than the wall (see `run-clock.ts`). */
  clockScale?: number;
  /** Receives each scenario's trace before its verdict is final; may set `result.trace`. */
  onTrace?: (result: ScenarioResult, index: number, records: readonly TraceRecord[]) => void | Promise<void>;
  /** Called after each scenario (progress on a TTY). */
  onResult?: (r: ScenarioResult, index: number, total: number) => void;
  /**
   * Called once a scenario's expectations are checked, while its site (and cloud) still run:
   * e.g. screenshots of the cloud's pages. A failure here does not change the verdict.
   */
  beforeDispose?: (site: Site, scenario: Scenario, index: number) => Promise<void>;
}

const wall = new RealClock();

export function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80) || 'scenario';
}

/** Checks the options and loads the rig file; throws an `InputError` naming the option. */
async function prepare(options: RunOptions): Promise<{ mode: Mode; rig?: Rig }> {
  const mode = options.mode ?? 'virtual';
  checkClockScale(options.clockScale, mode);
  if (mode !== 'rig') {
    if (options.rig !== undefined) throw new InputError('--rig', `a rig file is for --mode rig, not ${mode}`);
    return { mode };
  }
  if (options.rig === undefined) throw new InputError('--rig', 'rig mode needs a rig file (--rig FILE)');
  return { mode, rig: typeof options.rig === 'string' ? await loadRigFile(options.rig) : options.rig };
}

/**
 * Runs one scenario in the options' mode; never throws for what the scenario finds. Throws an
 * `InputError` for bad options (a clock scale in virtual mode, rig mode without a rig file).
 */
export async function runScenario(s: Scenario, options: RunOptions = {}, index = 0): Promise<ScenarioResult> {
  const { mode, rig } = await prepare(options);
  const began = wall.now();
  const base: ScenarioResult = { name: s.name, mode, verdict: 'passed', wallMs: 0, simulatedMs: 0, startTime: 0, expectations: [], ...(s.file ? { file: s.file } : {}) };
  const unsupported = modeSkipReason(s, mode);
  if (unsupported) return { ...base, verdict: 'skipped', reason: unsupported };
  let rigPlan: RigPlan | undefined;
  if (rig) {
    let bound;
    try {
      bound = rigPlanFor(s, rig);
    } catch (err) {
      return { ...base, verdict: 'error', reason: `site could not be built: ${errorMessage(err)}`, wallMs: wall.now() - began };
    }
    if ('lacking' in bound) return { ...base, verdict: 'skipped', reason: bound.lacking };
    rigPlan = bound.plan;
  }
  let site;
  try {
    site = await buildSite(s.site, { title: s.name, mode, ...(options.clockScale !== undefined ? { clockScale: options.clockScale } : {}), ...(rigPlan ? { rigPlan } : {}) });
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
    await site.runUntil(start + durationMs(s.runFor));
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
    try {
      const series = energySeries(site);
      if (series.length) result.series = series;
    } catch {
      // a site whose cloud could not be read has no plots
    }
    if (options.beforeDispose && result.verdict !== 'error') {
      try {
        await options.beforeDispose(site, s, index);
      } catch (err) {
        process.stderr.write(`ht-hil: after "${s.name}": ${errorMessage(err)}\n`);
      }
    }
    await site.dispose();
    enrichEvidence(result, site.trace.records);
    result.wallMs = wall.now() - began;
    await options.onTrace?.(result, index, site.trace.records);
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

/** Runs scenarios one after the other (the rig file is read once). */
export async function runSuite(scenarios: readonly Scenario[], options: RunOptions = {}): Promise<RunResult> {
  const { rig } = await prepare(options);
  if (rig) options = { ...options, rig };
  const began = wall.now();
  const results: ScenarioResult[] = [];
  for (let i = 0; i < scenarios.length; i++) {
    const r = await runScenario(scenarios[i]!, options, i);
    results.push(r);
    options.onResult?.(r, i, scenarios.length);
  }
  return { tool: 'ht-hil', version: '0.1.0', mode: options.mode ?? 'virtual', wallMs: wall.now() - began, scenarios: results, totals: totals(results) };
}
