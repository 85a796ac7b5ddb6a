import type { Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import { EXIT } from '../exit-codes.ts';

const int = (name: string) => (v: string) => {
  const n = Number.parseInt(v, 10);
  if (!(n >= 100 && n <= 10_000)) throw new InputError(name, `'${v}' is not a size between 100 and 10000 pixels`);
  return n;
};

/** `ht-hil report merge | screenshot | render`. */
export function reportCommand(program: Command): void {
  const report = program.command('report').description('work with report folders: merge shards, add screenshots, render report.html again');
  report
    .command('merge')
    .description('join report folders (the shards of one `ht-hil run --shard i/n`, or whole runs of different scenarios) into one: results.json, junit.xml, traces/, report.html; exits 1 when a merged scenario failed')
    .argument('<dirs...>', 'report folders')
    .requiredOption('--out <dir>', 'the merged report folder')
    .action(async (dirs: string[], opts: { out: string }) => {
      const { mergeReports } = await import('../../reports/merge.ts');
      const { readRun } = await import('../../reports/folder.ts');
      const html = await mergeReports(dirs, opts.out);
      const t = (await readRun(opts.out)).totals;
      process.stdout.write(`merged ${dirs.length} folders: ${t.passed} passed, ${t.failed} failed, ${t.error} errors, ${t.skipped} skipped; report: ${html}\n`);
      process.exitCode = t.failed + t.error > 0 ? EXIT.failed : EXIT.ok;
    });
  report
    .command('screenshot')
    .description("take a picture of DIR/report.html with chromium, keep it as DIR/screenshots/NAME.png and link it from report.html")
    .argument('<dir>', 'report folder')
    .option('--name <name>', 'file name (without .png)', 'report')
    .option('--failing', 'show the first failing scenario rather than the summary')
    .option('--full-page', 'the whole page rather than one window')
    .option('--width <px>', 'window width', int('--width'), 1280)
    .option('--height <px>', 'window height', int('--height'), 1400)
    .action(async (dir: string, opts: { name: string; failing?: boolean; fullPage?: boolean; width: number; height: number }) => {
      const { captureReport } = await import('../../reports/html/screenshot.ts');
      const { addScreenshot, readRun } = await import('../../reports/folder.ts');
      const { join } = await import('node:path');
      await readRun(dir);
      const png = await captureReport(join(dir, 'report.html'), { width: opts.width, height: opts.height, focus: opts.failing ? 'first-failure' : 'top', fullPage: opts.fullPage ?? false });
      process.stdout.write(`${await addScreenshot(dir, opts.name, png)}\n`);
    });
  report
    .command('render')
    .description('render DIR/report.html again from results.json, traces/ and screenshots/')
    .argument('<dir>', 'report folder')
    .action(async (dir: string) => {
      const { renderReportFolder } = await import('../../reports/folder.ts');
      process.stdout.write(`${await renderReportFolder(dir)}\n`);
    });
}
