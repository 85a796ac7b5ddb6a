/**
 * What a report folder's `results.json` holds besides the scenarios' outcomes: when and where
 * the run happened, which suite it ran, and, for a shard or a merge of shards, which part.
 */
import { cpus, hostname, platform, release, totalmem, arch } from 'node:os';
import type { RunResult } from '../scenarios/api/results.ts';

/** The machine a run happened on, as the report's summary shows it. */
export interface MachineInfo {
  host: string;
  os: string;
  cpu: string;
  cores: number;
  memoryGb: number;
  node: string;
}

/** The suite a run was cut from: a fingerprint of its scenario names, and how many there are. */
export interface SuiteInfo {
  id: string;
  size: number;
}

/** One shard of a suite: `index` of `count` (1-based), and the suite positions it ran. */
export interface ShardPart {
  index: number;
  count: number;
  positions: number[];
}

/** A shard as a merged report lists it. */
export interface ShardSummary {
  index: number;
  count: number;
  scenarios: number;
  wallMs: number;
  startedAt?: number;
  machine?: MachineInfo;
  /** The report folder it was read from. */
  from: string;
}

/** `results.json`: a run's results with where, when and which part of which suite. */
export interface ReportRun extends RunResult {
  /** Wall-clock time (ms since the epoch) the run began. */
  startedAt?: number;
  machine?: MachineInfo;
  suite?: SuiteInfo;
  /** Set when the run was one shard of the suite. */
  shard?: ShardPart;
  /** Set on a merged report: the shards it was made of. */
  shards?: ShardSummary[];
}

/** This machine, for the report's summary. */
export function machineInfo(): MachineInfo {
  const list = cpus();
  return {
    host: hostname(),
    os: `${platform()} ${release()} ${arch()}`,
    cpu: list[0]?.model.trim() ?? 'unknown',
    cores: list.length,
    memoryGb: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
  };
}

/** Total virtual (or real) time the run's scenarios covered. */
export function simulatedTotal(run: RunResult): number {
  return run.scenarios.reduce((sum, s) => sum + s.simulatedMs, 0);
}
