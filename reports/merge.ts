/**
 * `ht-hil report merge DIR... --out DIR`: joins report folders into one: results.json (the
 * scenarios in suite order, totals again), junit.xml, traces/, screenshots/ and report.html
 * rendered from the merged results.
 *
 * Shards (`ht-hil run --shard i/n`) merge when they are all the shards of one suite: the same n,
 * the same suite fingerprint, each index once, none missing, no scenario twice. Whole runs
 * (without --shard) merge when no scenario appears in two of them. Anything else is refused
 * with a message naming the folders.
 */
import { copyFile, mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { InputError } from '../core/errors.ts';
import { totals, type ScenarioResult } from '../scenarios/api/results.ts';
import { clearOutputs, readRun, renderReportFolder } from './folder.ts';
import { toJunit } from './junit.ts';
import type { ReportRun, ShardSummary } from './run-info.ts';
import { traceFileName } from './write.ts';

/** A report folder to merge: where it is and its results.json. */
export interface Part {
  dir: string;
  run: ReportRun;
}

function label(p: Part): string {
  return p.run.shard ? `${p.dir} (shard ${p.run.shard.index}/${p.run.shard.count})` : p.dir;
}

/**
 * Refuses folders that are not parts of one suite (InputError naming the folders); returns the
 * scenarios with their suite positions, in suite order.
 */
export function checkParts(parts: readonly Part[]): { s: ScenarioResult; pos: number; part: Part }[] {
  if (parts.length === 0) throw new InputError('report merge', 'no report folders given');
  const sharded = parts.filter((p) => p.run.shard);
  if (sharded.length && sharded.length < parts.length) {
    const whole = parts.find((p) => !p.run.shard)!;
    throw new InputError(whole.dir, `is a whole run, but ${label(sharded[0]!)} is a shard: merge the shards of one run, or whole runs`);
  }
  const modes = new Set(parts.map((p) => p.run.mode));
  if (modes.size > 1) throw new InputError('report merge', `the folders ran in different modes (${parts.map((p) => `${p.dir}: ${p.run.mode}`).join(', ')})`);
  const out: { s: ScenarioResult; pos: number; part: Part }[] = [];
  if (sharded.length) {
    const first = sharded[0]!;
    const n = first.run.shard!.count;
    const byIndex = new Map<number, Part>();
    for (const p of sharded) {
      const sh = p.run.shard!;
      if (sh.count !== n) throw new InputError(p.dir, `is shard ${sh.index}/${sh.count} but ${label(first)} is one of ${n}: shards of different n do not make one suite`);
      if (p.run.suite?.id !== first.run.suite?.id) {
        throw new InputError(p.dir, `ran suite ${p.run.suite?.id ?? '(none)'} but ${first.dir} ran suite ${first.run.suite?.id ?? '(none)'}: shards must come from the same commit with the same paths, --grep and --tag`);
      }
      const twin = byIndex.get(sh.index);
      if (twin) throw new InputError(p.dir, `shard ${sh.index}/${n} appears twice: ${twin.dir} and ${p.dir}`);
      byIndex.set(sh.index, p);
      if (sh.positions.length !== p.run.scenarios.length) throw new InputError(p.dir, `shard lists ${sh.positions.length} positions for ${p.run.scenarios.length} scenarios`);
      p.run.scenarios.forEach((s, i) => out.push({ s, pos: sh.positions[i]!, part: p }));
    }
    const missing = Array.from({ length: n }, (_, i) => i + 1).filter((i) => !byIndex.has(i));
    if (missing.length) throw new InputError('report merge', `shard${missing.length > 1 ? 's' : ''} ${missing.map((i) => `${i}/${n}`).join(', ')} missing (have ${[...byIndex.keys()].sort((a, b) => a - b).map((i) => `${i}/${n}`).join(', ')})`);
  } else {
    let offset = 0;
    for (const p of parts) {
      p.run.scenarios.forEach((s, i) => out.push({ s, pos: offset + i, part: p }));
      offset += p.run.scenarios.length;
    }
  }
  const seen = new Map<string, Part>();
  const positions = new Map<number, Part>();
  for (const { s, pos, part } of out) {
    const other = seen.get(s.name);
    if (other) throw new InputError('report merge', `scenario '${s.name}' is in both ${label(other)} and ${label(part)}`);
    seen.set(s.name, part);
    const clash = positions.get(pos);
    if (clash) throw new InputError('report merge', `suite position ${pos + 1} is claimed by both ${label(clash)} and ${label(part)}`);
    positions.set(pos, part);
  }
  const size = sharded[0]?.run.suite?.size;
  if (size !== undefined && out.length !== size) throw new InputError('report merge', `the shards hold ${out.length} scenarios but the suite has ${size}`);
  return out.sort((a, b) => a.pos - b.pos);
}

/** Merges report folders `dirs` into `out` (made, or emptied of our files); returns report.html's path. */
export async function mergeReports(dirs: readonly string[], out: string): Promise<string> {
  if (dirs.some((d) => resolve(d) === resolve(out))) throw new InputError('--out', `${out} is one of the folders to merge: give a new folder`);
  const parts: Part[] = [];
  for (const dir of dirs) parts.push({ dir, run: await readRun(dir) });
  const entries = checkParts(parts);
  await mkdir(join(out, 'traces'), { recursive: true });
  await clearOutputs(out);
  for (const f of ['results.json', 'junit.xml', 'report.html']) await rm(join(out, f), { force: true });
  const scenarios: ScenarioResult[] = [];
  for (const [i, { s, part }] of entries.entries()) {
    const merged = { ...s };
    delete merged.trace;
    if (s.trace) {
      const name = traceFileName(i, s.name);
      try {
        await copyFile(join(part.dir, s.trace), join(out, name));
        merged.trace = name;
      } catch {
        // a folder without its traces still merges; the scenario has no timeline
      }
    }
    scenarios.push(merged);
  }
  await copyScreenshots(parts, out);
  const first = parts[0]!.run;
  const shards: ShardSummary[] = parts.map((p) => ({
    index: p.run.shard?.index ?? parts.indexOf(p) + 1,
    count: p.run.shard?.count ?? parts.length,
    scenarios: p.run.scenarios.length,
    wallMs: p.run.wallMs,
    ...(p.run.startedAt !== undefined ? { startedAt: p.run.startedAt } : {}),
    ...(p.run.machine ? { machine: p.run.machine } : {}),
    from: p.dir,
  }));
  shards.sort((a, b) => a.index - b.index);
  const starts = parts.map((p) => p.run.startedAt).filter((t): t is number => t !== undefined);
  const run: ReportRun = {
    tool: 'ht-hil',
    version: first.version,
    mode: first.mode,
    wallMs: Math.max(...parts.map((p) => p.run.wallMs)),
    scenarios,
    totals: totals(scenarios),
    ...(starts.length ? { startedAt: Math.min(...starts) } : {}),
    ...(first.suite && first.shard ? { suite: first.suite } : {}),
    shards,
  };
  await writeFile(join(out, 'results.json'), JSON.stringify(run, null, 2) + '\n');
  await writeFile(join(out, 'junit.xml'), toJunit(run));
  return renderReportFolder(out);
}

async function copyScreenshots(parts: readonly Part[], out: string): Promise<void> {
  for (const p of parts) {
    let names: string[];
    try {
      names = (await readdir(join(p.dir, 'screenshots'))).filter((n) => n.endsWith('.png'));
    } catch {
      continue;
    }
    await mkdir(join(out, 'screenshots'), { recursive: true });
    const prefix = p.run.shard ? `shard-${p.run.shard.index}-` : `part-${parts.indexOf(p) + 1}-`;
    for (const n of names) await copyFile(join(p.dir, 'screenshots', n), join(out, 'screenshots', prefix + n));
  }
}
