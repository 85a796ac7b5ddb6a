import type { Command } from 'commander';
import { EXIT } from '../exit-codes.ts';

export function demoCommand(program: Command): void {
  program
    .command('demo')
    .description('read one emulated meter over a virtual optical line and write its trace and a summary')
    .option('--report <dir>', 'folder for trace.jsonl and summary.txt', 'reports/demo')
    .option('--brand <name>', 'meter brand or FLAG id (Makel, Köhler, Viko, Elektromed, Luna, Elster, EMH, Landis)')
    .option('--model <name>', 'model, where the brand has several')
    .action(async (opts: { report: string; brand?: string; model?: string }) => {
      const { runDemo } = await import('../../scenarios/demo.ts');
      const result = await runDemo({ reportDir: opts.report, ...(opts.brand ? { brand: opts.brand } : {}), ...(opts.model ? { model: opts.model } : {}) });
      process.stdout.write(result.summary.join('\n') + '\n');
      process.exitCode = result.ok ? EXIT.ok : EXIT.failed;
    });
}
