import { readFile, realpath } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import { EXIT } from '../exit-codes.ts';

interface MeterOptions {
  brand?: string;
  model?: string;
  serial?: string;
  initialKwh?: number;
  port?: string;
  pty?: boolean;
  pace?: boolean;
  meterPort?: 'optical' | 'rs232' | 'rs485';
  bus?: string;
  trace?: string;
}

function kwh(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number of kWh ≥ 0, got "${value}"`);
  return n;
}

export function emulateCommand(program: Command): void {
  const emulate = program.command('emulate').description('serve emulated devices on a real serial port or a fresh socat pty pair, in real time');
  emulate
    .command('meter')
    .description('serve an emulated IEC 62056-21 meter (or a bus of them) until Ctrl-C; prints each frame decoded (times UTC)')
    .option('--brand <name>', 'meter brand or FLAG id (Makel, Köhler, Viko, Elektromed, Luna, Elster, EMH, Landis)')
    .option('--model <name>', 'model, where the brand has several (exact or a unique prefix, e.g. ZMD310)')
    .option('--serial <number>', "serial number, also the meter's device address (default: the profile's example serial)")
    .option('--initial-kwh <kWh>', 'opening value of the import register, kWh (default 0)', kwh)
    .addOption(new Option('--port <path>', 'serve on this serial device (USB-RS485 adapter, UART, or a pty made elsewhere)').conflicts('pty'))
    .option('--pty', "make a socat pty pair, serve on one end and print the other end's path for the reader")
    .option('--pace', 'hold bytes to their line time (default: on for --pty and for ports under /dev/pts, off for real ports)')
    .option('--no-pace', 'write at device speed (real UARTs pace themselves)')
    .addOption(new Option('--meter-port <kind>', 'meter interface emulated: optical, rs232 or rs485 (default: optical for one meter, rs485 for --bus)').choices(['optical', 'rs232', 'rs485']))
    .addOption(new Option('--bus <file>', 'YAML list of meters sharing the port, each {brand, model, serial, initialKwh}').conflicts(['brand', 'model', 'serial', 'initialKwh']))
    .option('--trace <file>', 'write the trace (JSONL, every frame both ways) there when stopped')
    .addHelpText('after', '\nExamples:\n  ht-hil emulate meter --brand Landis --model ZMD310 --pty\n  ht-hil emulate meter --bus site.yaml --port /dev/ttyUSB0 --trace bus.jsonl')
    .action(async (opts: MeterOptions, cmd: Command) => {
      if (!opts.brand && !opts.bus) cmd.error('error: give --brand NAME (one meter) or --bus FILE (several)', { exitCode: EXIT.usage });
      if (!opts.port && !opts.pty) cmd.error('error: give --port PATH (a serial device) or --pty (a fresh pty pair)', { exitCode: EXIT.usage });
      const { RealClock } = await import('../../core/clock/index.ts');
      const { PtyPair } = await import('../../lines/pty-pair.ts');
      const { parseMeterBus, resolveMeterSpecs, serveMeters, waitForStopSignal } = await import('../../emulators/meters/serve.ts');

      let meters;
      if (opts.bus) {
        let text: string;
        try {
          text = await readFile(opts.bus, 'utf8');
        } catch (err) {
          throw new InputError(opts.bus, `cannot read the bus file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
        }
        meters = parseMeterBus(text, opts.bus);
      } else {
        const spec = { brand: opts.brand!, ...(opts.model ? { model: opts.model } : {}), ...(opts.serial ? { serial: opts.serial } : {}), ...(opts.initialKwh !== undefined ? { initialKwh: opts.initialKwh } : {}) };
        try {
          meters = resolveMeterSpecs([spec], (_, field) => `--${field === 'initialKwh' ? 'initial-kwh' : field}`);
        } catch (err) {
          if (err instanceof InputError) cmd.error(`error: ${err.message}`, { exitCode: EXIT.usage });
          throw err;
        }
      }

      const clock = new RealClock();
      const out = (line: string) => process.stdout.write(line + '\n');
      const pty = opts.pty ? await PtyPair.start({ name: 'meter', clock }) : undefined;
      let served;
      try {
        const path = pty ? pty.a : opts.port!;
        const pace = opts.pace ?? (pty !== undefined || (await realpath(path).catch(() => path)).startsWith('/dev/pts/'));
        if (pty) out(`connect your reader to ${pty.b}`);
        served = await serveMeters({
          path,
          clock,
          meters,
          pace,
          line: pty ? 'pty' : path,
          onTraffic: out,
          title: `ht-hil emulate meter on ${pty ? pty.b : path}`,
          ...(opts.meterPort ? { meterPort: opts.meterPort } : {}),
        });
        for (const m of served.meters) {
          out(`serving ${m.profile.brand} ${m.profile.model} (FLAG ${m.profile.flag}) serial ${m.serial}, address "${m.engine.address}", ${m.port} interface`);
        }
        out(`on ${path} at 300 7E1${pace ? ', paced to line time' : ''}; Ctrl-C to stop`);
      } catch (err) {
        await pty?.stop();
        throw err;
      }

      const signal = await waitForStopSignal();
      await served.close();
      await pty?.stop();
      if (opts.trace) await served.trace.writeFile(opts.trace);
      const frames = served.trace.bytes().length;
      out(`stopped (${signal}): ${frames} frames${opts.trace ? `, trace written to ${opts.trace}` : ''}`);
      process.exitCode = EXIT.ok;
    });
}
