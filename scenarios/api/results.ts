/** The outcome of a run, as `results.json` holds it and the JUnit and HTML reports show it. */

export type Verdict = 'passed' | 'failed' | 'skipped' | 'error';

/** Where a failure points: the line, the time and the bytes. */
export interface Evidence {
  line?: string;
  /** Clock time (ms since the epoch) of the bytes or event. */
  time?: number;
  /** Hex of the bytes concerned, and the offset of the first wrong byte in them. */
  hex?: string;
  offset?: number;
  detail?: string;
}

export interface ExpectationResult {
  name: string;
  passed: boolean;
  message?: string;
  evidence?: Evidence[];
}

export interface ScenarioResult {
  name: string;
  file?: string;
  mode: 'virtual' | 'pty' | 'rig';
  verdict: Verdict;
  /** Why it was skipped, or the error that stopped it. */
  reason?: string;
  wallMs: number;
  /** Virtual (or real) time the scenario covered. */
  simulatedMs: number;
  startTime: number;
  expectations: ExpectationResult[];
  /** Trace file, relative to the report folder. */
  trace?: string;
  /** Counters worth showing (records delivered, reads, faults injected). */
  stats?: Record<string, number>;
  /** Readings over time, as the cloud holds them (for the report's plots). */
  series?: Series[];
}

/** A plotted quantity: points are [clock ms, value]. */
export interface Series {
  name: string;
  unit?: string;
  points: [number, number][];
}

export interface RunResult {
  tool: 'ht-hil';
  version: string;
  mode: ScenarioResult['mode'];
  wallMs: number;
  scenarios: ScenarioResult[];
  totals: Record<Verdict, number>;
}

export function totals(scenarios: readonly ScenarioResult[]): Record<Verdict, number> {
  const t: Record<Verdict, number> = { passed: 0, failed: 0, skipped: 0, error: 0 };
  for (const s of scenarios) t[s.verdict]++;
  return t;
}
