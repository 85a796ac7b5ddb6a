import { Option, type Command } from 'commander';
import { EXIT } from '../exit-codes.ts';

interface ReplayCliOptions {
  port: string;
  line?: string;
  master?: string;
  strict?: boolean;
  tolerant?: boolean;
  echo?: boolean;
  once?: boolean;
}

export function replayCommand(program: Command): void {
  program
    .command('replay')
    .description("serve the device side of a captured exchange (a trace) to a live terminal on a port, with the captured bytes, line settings and reaction times")
    .argument('<trace>', 'a trace.jsonl (from ht-hil sniff, a scenario run, or emulate --trace)')
    .requiredOption('--port <path>', 'the serial device the terminal is wired to (an adapter, or one end of a pty pair)')
    .option('--line <name>', 'the line of the trace to replay (needed when it has several)')
    .option('--master <id>', 'trace id of the master side (default: whoever opens the first exchange)')
    .addOption(new Option('--strict', 'each request must arrive byte for byte as captured; the first difference stops the replay (default)').conflicts('tolerant'))
    .addOption(new Option('--tolerant', 'match requests by meaning (IEC message, Modbus unit/function/address, AT command) and answer as captured; runs until Ctrl-C').conflicts('strict'))
    .option('--once', 'with --tolerant: stop once every captured exchange was answered')
    .option('--echo', 'the adapter hears what it sends (2-wire RS-485): drop those bytes')
    .addHelpText('after', [
      '',
      'Exit code 1 when a strict replay stops at a difference (the message names the exchange, the offset and both bytes).',
      '',
      'Examples:',
      '  ht-hil replay field-bug-4711.jsonl --port /dev/serial/by-id/usb-FTDI_…-port0',
      '  ht-hil replay poll.jsonl --port /dev/ttyUSB0 --line rs485 --tolerant --echo',
    ].join('\n'))
    .action(async (file: string, opts: ReplayCliOptions) => {
      const { readTrace } = await import('../../core/trace/index.ts');
      const { buildReplayScript } = await import('../../hil-rig/replay/script.ts');
      const { ReplayDevice } = await import('../../hil-rig/replay/replayer.ts');
      const { openSerial } = await import('../../hil-rig/open-port.ts');
      const { RealClock, isoTime } = await import('../../core/clock/index.ts');
      const { formatSettings } = await import('../../lines/settings.ts');
      const { waitForStopSignal } = await import('../../emulators/serve-port.ts');
      const script = buildReplayScript(await readTrace(file), { file, ...(opts.line ? { line: opts.line } : {}), ...(opts.master ? { master: opts.master } : {}) });
      const first = script.exchanges.find((e) => e.request.length > 0)?.request[0] ?? script.exchanges[0]!.answer[0]!;
      const clock = new RealClock();
      const out = (l: string) => process.stdout.write(l + '\n');
      const endpoint = await openSerial(opts.port, clock, { settings: first.settings, id: `${script.line}/replay`, line: script.line });
      const mode = opts.tolerant ? 'tolerant' : 'strict';
      const replay = new ReplayDevice({ clock, endpoint, script, mode, adapterEcho: opts.echo ?? false, onEvent: (e) => out(`${isoTime(e.at).slice(11, 23)}  ${e.text}`) });
      out(`replaying ${script.exchanges.length} exchanges of line ${script.line} (${script.protocol ?? 'unknown protocol'}; device side ${script.devices.join(', ')}) on ${opts.port} at ${formatSettings(first.settings)}, ${mode}; Ctrl-C to stop`);
      const ended = await Promise.race([
        waitForStopSignal().then((s) => `stopped (${s})`),
        ...(mode === 'strict' || opts.once ? [replay.done.then(() => 'done')] : []),
      ]);
      const result = await replay.stop();
      await endpoint.close();
      out(`${ended}: ${result.answered} answers of ${result.exchanges} exchanges${result.unmatched.length ? `, ${result.unmatched.length} requests not matched` : ''}`);
      if (result.mismatch) {
        process.stderr.write(`ht-hil: replay stopped at a difference: ${result.mismatch.message}\n`);
        process.exitCode = EXIT.failed;
        return;
      }
      process.exitCode = EXIT.ok;
    });
}
