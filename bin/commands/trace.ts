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
  trace
    .command('export')
    .description('write a trace\'s bytes as a capture file for Wireshark/tshark: pcapng with one interface per line (or classic pcap when OUT ends in .pcap); Modbus RTU and AT frames are dissected, IEC 62056-21 frames are raw data with our decoding in the comment')
    .argument('<file>', 'a trace.jsonl file')
    .requiredOption('--pcap <out>', 'capture file to write (.pcapng, or .pcap for classic pcap)')
    .option('-l, --line <id...>', 'only these lines')
    .option('--no-received', 'leave out what an end received differently from what was sent')
    .action(async (file: string, opts: { pcap: string; line?: string[]; received: boolean }) => {
      const records = await readTrace(file);
      const { traceToPcap } = await import('../../reports/pcap/trace-to-pcap.ts');
      const { writeFile } = await import('node:fs/promises');
      const format = opts.pcap.toLowerCase().endsWith('.pcap') ? 'pcap' : 'pcapng';
      const out = traceToPcap(records, { format, received: opts.received, ...(opts.line ? { lines: opts.line } : {}) });
      await writeFile(opts.pcap, out.bytes);
      process.stdout.write(`${opts.pcap}: ${format}, ${out.packets} packets on ${out.lines.length} line${out.lines.length === 1 ? '' : 's'} (${out.lines.join(', ')})\n`);
    });
}
