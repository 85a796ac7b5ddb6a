import type { Command } from 'commander';
import { prettyTrace, readTrace } from '../../core/trace/index.ts';

export function traceCommand(program: Command): void {
  const trace = program.command('trace').description('read and print traces (trace.jsonl)');
  trace
    .command('show')
    .description('print a trace: time, line, direction, settings, hex and printable ASCII with named control characters')
    .argument('<file>', 'a trace.jsonl file')
    .option('-l, --line <id...>', 'only these lines')
    .option('--absolute', 'absolute ISO times instead of seconds from the start')
    .option('--width <bytes>', 'bytes per hex row', (v) => Number.parseInt(v, 10), 32)
    .action(async (file: string, opts: { line?: string[]; absolute?: boolean; width: number }) => {
      const records = await readTrace(file);
      const { describeTraceRecord } = await import('../../protocols/describe-trace.ts');
      for (const line of prettyTrace(records, { lines: opts.line, absolute: opts.absolute, width: opts.width, describe: describeTraceRecord })) {
        process.stdout.write(line + '\n');
      }
    });
}
