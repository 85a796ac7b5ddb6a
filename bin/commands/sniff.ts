import { InvalidArgumentError, Option, type Command } from 'commander';
import type { LineSettings } from '../../lines/settings.ts';
import { EXIT } from '../exit-codes.ts';

interface SniffCliOptions {
  port?: string[];
  between?: string[];
  settings?: string;
  baud?: number;
  protocol: 'iec' | 'modbus' | 'at' | 'auto';
  line: string;
  out?: string;
  duration?: number;
  gap?: number;
  echoMaster?: boolean;
  echoDevice?: boolean;
  follow: boolean;
}

function positive(what: string, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isFinite(n) || n <= 0 || n > max) throw new InvalidArgumentError(`expected ${what} (0 < n ≤ ${max}), got "${value}"`);
    return n;
  };
}

const DEFAULTS: Record<SniffCliOptions['protocol'], string> = { iec: '300 7E1', modbus: '9600 8N1', at: '115200 8N1', auto: '9600 8N1' };

export function sniffCommand(program: Command): void {
  program
    .command('sniff')
    .description('record a serial line into a trace and print each message decoded (IEC 62056-21, Modbus RTU, AT) until Ctrl-C or --duration')
    .option('--port <path...>', 'listen-only adapter(s): one hearing both directions, or two: first the master\'s transmissions, then the device\'s')
    .option('--between <path...>', 'relay: two ports, first towards the terminal (master), second towards the device; bytes are forwarded both ways and recorded')
    .option('--settings <settings>', "line settings, e.g. '9600 8N1' (default by protocol: iec 300 7E1, modbus 9600 8N1, at 115200 8N1)")
    .option('--baud <rate>', 'baud rate with the protocol\'s default framing', positive('a baud rate', 115200))
    .addOption(new Option('--protocol <name>', 'what the line carries').choices(['iec', 'modbus', 'at', 'auto']).default('auto'))
    .option('--line <name>', 'line id in the trace', 'sniff')
    .option('--out <trace>', 'write the trace (JSONL) there when stopped')
    .option('--duration <s>', 'stop after this many seconds', positive('seconds', 7 * 86_400))
    .option('--gap <ms>', 'silence that ends a message (default: t3.5 for Modbus, a few character times otherwise)', positive('milliseconds', 10_000))
    .option('--echo-master', 'with --between: the master-side adapter hears its own sending (2-wire RS-485)')
    .option('--echo-device', 'with --between: the device-side adapter hears its own sending')
    .option('--no-follow', 'do not follow the IEC 62056-21 baud switch')
    .addHelpText('after', [
      '',
      'Examples:',
      '  ht-hil sniff --port /dev/serial/by-id/usb-FTDI_…-port0 --protocol iec --out bus.jsonl',
      '  ht-hil sniff --between /dev/ttyUSB0 /dev/ttyUSB1 --protocol modbus --settings "19200 8E1" --duration 60 --out poll.jsonl',
    ].join('\n'))
    .action(async (opts: SniffCliOptions, cmd: Command) => {
      const ports = opts.port ?? [];
      const between = opts.between ?? [];
      if ((ports.length === 0) === (between.length === 0)) cmd.error('error: give --port PATH [--port PATH2] (listen-only) or --between A B (relay)', { exitCode: EXIT.usage });
      if (ports.length > 2) cmd.error('error: at most two --port adapters (one per direction)', { exitCode: EXIT.usage });
      if (between.length > 0 && between.length !== 2) cmd.error('error: --between takes two paths: the terminal side, then the device side', { exitCode: EXIT.usage });
      const { parseSettings, formatSettings } = await import('../../lines/settings.ts');
      const { InputError } = await import('../../core/errors.ts');
      let settings: LineSettings;
      try {
        settings = parseSettings(opts.settings ?? DEFAULTS[opts.protocol], '--settings');
      } catch (err) {
        if (err instanceof InputError) cmd.error(`error: ${err.message}`, { exitCode: EXIT.usage });
        throw err;
      }
      if (opts.baud) settings = { ...settings, baudRate: opts.baud };
      const { RealClock } = await import('../../core/clock/index.ts');
      const { openSerial } = await import('../../hil-rig/open-port.ts');
      const { Sniffer, formatSniffLine } = await import('../../hil-rig/sniff/sniffer.ts');
      const { waitForStopSignal } = await import('../../emulators/serve-port.ts');
      const clock = new RealClock();
      const out = (l: string) => process.stdout.write(l + '\n');
      const paths = ports.length ? ports : between;
      const names = ports.length === 2 ? ['master', 'device'] : between.length ? ['master', 'device'] : ['bus'];
      const eps = [];
      try {
        for (const [i, path] of paths.entries()) eps.push(await openSerial(path, clock, { settings, id: `${opts.line}/${names[i]}`, line: opts.line, pace: false }));
      } catch (err) {
        for (const ep of eps) await ep.close();
        throw err;
      }
      const sniffer = new Sniffer({
        clock,
        line: opts.line,
        protocol: opts.protocol,
        ...(ports.length ? { listen: eps } : { between: { master: eps[0]!, device: eps[1]!, masterEcho: opts.echoMaster ?? false, deviceEcho: opts.echoDevice ?? false } }),
        followIecBaud: opts.follow,
        ...(opts.gap ? { gapMs: opts.gap } : {}),
        title: `ht-hil sniff ${between.length ? `--between ${between.join(' ')}` : paths.map((p) => `--port ${p}`).join(' ')}`,
        onFrame: (f) => out(formatSniffLine(f)),
        onNote: (text) => out(`** ${text}`),
      });
      out(`sniffing ${between.length ? `between ${between[0]} (terminal) and ${between[1]} (device)` : paths.join(' and ')} at ${formatSettings(settings)}, protocol ${opts.protocol}; ${opts.duration ? `for ${opts.duration} s` : 'Ctrl-C to stop'}`);
      const stopTimer = new AbortController();
      const why = await Promise.race([
        waitForStopSignal(),
        ...(opts.duration ? [clock.sleep(opts.duration * 1000, stopTimer.signal).then(() => `${opts.duration} s`, () => 'cancelled')] : []),
      ]);
      stopTimer.abort();
      await sniffer.stop();
      for (const ep of eps) await ep.close();
      if (opts.out) await sniffer.trace().writeFile(opts.out);
      out(`stopped (${why}): ${sniffer.frames.length} messages${opts.out ? `, trace written to ${opts.out}` : ''}`);
      process.exitCode = EXIT.ok;
    });
}
