import type { Command } from 'commander';
import { RealClock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { EXIT } from '../exit-codes.ts';

interface RunOpts {
  report: string;
  mode: string;
  grep?: string;
  tag?: string;
  shard?: string;
  rig?: string;
  clockScale?: string;
  screenshots?: boolean;
}

/** `ht-hil run [paths] [--report DIR] [--grep] [--tag] [--shard i/n]`. */
export function runCommand(program: Command): void {
  program
    .command('run')
    .description('run scenarios (*.scenario.ts files, or folders of them) and write the report folder')
    .argument('[paths...]', 'scenario files or folders', ['scenarios/library'])
    .option('--report <dir>', 'report folder: report.html, results.json, junit.xml, traces/', 'reports/latest')
    .option('--mode <mode>', 'virtual (in process, virtual time), pty (every line through socat ptys, wall time) or rig (the ports of --rig FILE)', 'virtual')
    .option('--rig <file>', 'rig file (YAML) for --mode rig: ports, physical devices, emulated roles')
    .option('--clock-scale <n>', 'pty and rig modes: run the clock n times faster than the wall (OS timing is not scaled)')
    .option('--grep <text>', 'only scenarios whose name contains this text')
    .option('--tag <tag>', 'only scenarios with this tag')
    .option('--no-screenshots', 'do not take screenshots of the cloud dashboard of scenarios tagged `dashboard` (taken with chromium when it is installed)')
    .option('--shard <i/n>', 'run shard i of n (CI matrix): scenarios sorted by declared duration and dealt to n shards; join the folders with `ht-hil report merge`')
    .action(async (paths: string[], opts: RunOpts) => {
      if (!['virtual', 'pty', 'rig'].includes(opts.mode)) throw new InputError('--mode', `'${opts.mode}' is not virtual, pty or rig`);
      const { findScenarioFiles, loadScenarios, runSuite, durationMs } = await import('../../scenarios/api/index.ts');
      const { ReportWriter } = await import('../../reports/write.ts');
      const { machineInfo } = await import('../../reports/run-info.ts');
      const { parseShard, shardPositions, suiteFingerprint } = await import('../../reports/shard.ts');
      const shard = opts.shard === undefined ? undefined : parseShard(opts.shard);
      let suite = await loadScenarios(await findScenarioFiles(paths));
      if (opts.grep) suite = suite.filter((s) => s.name.toLowerCase().includes(opts.grep!.toLowerCase()));
      if (opts.tag) suite = suite.filter((s) => s.tags?.includes(opts.tag!));
      if (suite.length === 0) throw new InputError(paths.join(' '), 'no scenarios found');
      const names = suite.map((s) => s.name);
      const weight = (d: string | number) => {
        try {
          return durationMs(d);
        } catch {
          return 0;
        }
      };
      const positions = shard ? shardPositions(names, suite.map((s) => weight(s.runFor)), shard) : names.map((_, i) => i);
      const scenarios = positions.map((p) => suite[p]!);
      if (shard) process.stdout.write(`shard ${shard.index}/${shard.count}: ${scenarios.length} of ${suite.length} scenarios\n`);
      const tty = process.stdout.isTTY;
      const writer = new ReportWriter(opts.report, { position: (i) => positions[i]! });
      const startedAt = new RealClock().now();
      const { dashboardShots } = await import('../../reports/dashboard-shots.ts');
      const { mkdtemp, readFile, rm } = await import('node:fs/promises');
      const { tmpdir } = await import('node:os');
      const shotDir = opts.screenshots === false ? undefined : await mkdtemp(`${tmpdir()}/ht-hil-shots-`);
      const shots = shotDir ? dashboardShots(shotDir) : undefined;
      if (shots?.unavailable) process.stdout.write(`no dashboard screenshots: ${shots.unavailable}\n`);
      const run = await runSuite(scenarios, {
        ...(shots && !shots.unavailable ? { beforeDispose: (site, scenario) => shots.beforeDispose(site, scenario) } : {}),
        mode: opts.mode as 'virtual' | 'pty' | 'rig', ...(opts.rig ? { rig: opts.rig } : {}), ...(opts.clockScale ? { clockScale: Number(opts.clockScale) } : {}),
        onTrace: writer.onTrace,
        onResult: (r, i, n) => {
          const mark = { passed: 'ok  ', failed: 'FAIL', skipped: 'skip', error: 'ERR ' }[r.verdict];
          const line = `[${i + 1}/${n}] ${mark} ${r.name} (${(r.simulatedMs / 3_600_000).toFixed(1)} h simulated in ${(r.wallMs / 1000).toFixed(2)} s)`;
          process.stdout.write((tty ? '\r\x1b[K' : '') + line + '\n');
          for (const e of r.expectations.filter((x) => !x.passed)) process.stdout.write(`       ✗ ${e.name}: ${e.message}\n`);
          if (r.reason && r.verdict !== 'passed') process.stdout.write(`       ${r.reason}\n`);
        },
      });
      await writer.finish({
        ...run,
        startedAt,
        machine: machineInfo(),
        suite: { id: suiteFingerprint(names), size: names.length },
        ...(shard ? { shard: { ...shard, positions } } : {}),
      });
      if (shots) {
        await shots.close();
        for (const shot of shots.taken) await writer.screenshot(shot.name, await readFile(shot.file));
        await rm(shotDir!, { recursive: true, force: true });
      }
      const t = run.totals;
      process.stdout.write(`\n${t.passed} passed, ${t.failed} failed, ${t.error} errors, ${t.skipped} skipped in ${(run.wallMs / 1000).toFixed(1)} s; report: ${opts.report}/\n`);
      process.exitCode = t.failed + t.error > 0 ? EXIT.failed : EXIT.ok;
    });
}
