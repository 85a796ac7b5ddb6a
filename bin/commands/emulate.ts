import { readFile, realpath } from 'node:fs/promises';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { InputError } from '../../core/errors.ts';
import type { Clock } from '../../core/clock/index.ts';
import type { TraceRecorder } from '../../core/trace/index.ts';
import type { LineSettings } from '../../lines/settings.ts';
import { EXIT } from '../exit-codes.ts';

/** Options every `emulate` subcommand has: where to serve, pacing, trace. */
interface LineOptions {
  port?: string;
  pty?: boolean;
  pace?: boolean;
  trace?: string;
}

interface MeterOptions extends LineOptions {
  brand?: string;
  model?: string;
  serial?: string;
  initialKwh?: number;
  meterPort?: 'optical' | 'rs232' | 'rs485';
  bus?: string;
}

interface ModbusOptions extends LineOptions {
  model?: string;
  address?: number;
  serial?: string;
  bus?: string;
  baud?: number;
  parity?: 'none' | 'even' | 'odd';
}

interface ModemOptions extends LineOptions {
  module?: string;
  sim?: 'ready' | 'pin' | 'puk' | 'absent';
  signal?: number;
  cloud?: string;
}

function dbm(value: string): number {
  const n = Number(value);
  if (!/^-?\d+(\.\d+)?$/.test(value.trim()) || n < -120 || n > -30) throw new InvalidArgumentError(`expected a signal level -120..-30 dBm, got "${value}"`);
  return n;
}

function kwh(value: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || n < 0) throw new InvalidArgumentError(`expected a number of kWh ≥ 0, got "${value}"`);
  return n;
}

function modbusAddress(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 1 || n > 247) throw new InvalidArgumentError(`expected a Modbus address 1..247, got "${value}"`);
  return n;
}

function baudRate(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n < 300 || n > 115200) throw new InvalidArgumentError(`expected a baud rate 300..115200, got "${value}"`);
  return n;
}

/** Adds the options of the line an emulator is served on. */
function lineOptions(cmd: Command, who: string): Command {
  return cmd
    .addOption(new Option('--port <path>', 'serve on this serial device (USB-RS485 adapter, UART, or a pty made elsewhere)').conflicts('pty'))
    .option('--pty', `make a socat pty pair, serve on one end and print the other end's path for the ${who}`)
    .option('--pace', 'hold bytes to their line time (default: on for --pty and for ports under /dev/pts, off for real ports)')
    .option('--no-pace', 'write at device speed (real UARTs pace themselves)')
    .option('--trace <file>', 'write the trace (JSONL, every frame both ways) there when stopped');
}

async function readBusFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (err) {
    throw new InputError(file, `cannot read the bus file (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
}

/** Runs `resolve`, turning its `InputError` (a bad option value) into a usage error. */
function fromOptions<T>(cmd: Command, resolve: () => T): T {
  try {
    return resolve();
  } catch (err) {
    if (err instanceof InputError) cmd.error(`error: ${err.message}`, { exitCode: EXIT.usage });
    throw err;
  }
}

/** What `serveUntilStopped` needs of a served emulator. */
interface ServedSet {
  readonly trace: TraceRecorder;
  readonly endpoint: { readonly settings: LineSettings };
  close(): Promise<void>;
}

/** Where to serve, as `serveUntilStopped` hands it to `start`. */
interface LineChoice {
  path: string;
  clock: Clock;
  pace: boolean;
  /** Line id in traces: `pty` or the port path. */
  line: string;
  title: string;
  onTraffic: (line: string) => void;
}

/**
 * The life of an `emulate` command: makes the pty pair (or takes the port), starts the
 * emulator, prints the path for the other side and the banner, serves until SIGINT/SIGTERM,
 * then closes everything, writes the trace and exits 0.
 */
async function serveUntilStopped<S extends ServedSet>(
  opts: LineOptions,
  what: { name: string; who: string },
  start: (line: LineChoice) => Promise<S>,
  banner: (served: S) => string[],
): Promise<void> {
  const { RealClock } = await import('../../core/clock/index.ts');
  const { PtyPair } = await import('../../lines/pty-pair.ts');
  const { formatSettings } = await import('../../lines/settings.ts');
  const { waitForStopSignal } = await import('../../emulators/serve-port.ts');
  const clock = new RealClock();
  const out = (line: string) => process.stdout.write(line + '\n');
  const pty = opts.pty ? await PtyPair.start({ name: what.name, clock }) : undefined;
  let served: S;
  try {
    const path = pty ? pty.a : opts.port!;
    const pace = opts.pace ?? (pty !== undefined || (await realpath(path).catch(() => path)).startsWith('/dev/pts/'));
    if (pty) out(`connect your ${what.who} to ${pty.b}`);
    served = await start({ path, clock, pace, line: pty ? 'pty' : path, title: `ht-hil emulate ${what.name} on ${pty ? pty.b : path}`, onTraffic: out });
    for (const l of banner(served)) out(l);
    out(`on ${path} at ${formatSettings(served.endpoint.settings)}${pace ? ', paced to line time' : ''}; Ctrl-C to stop`);
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
}

function needLine(opts: LineOptions, cmd: Command): void {
  if (!opts.port && !opts.pty) cmd.error('error: give --port PATH (a serial device) or --pty (a fresh pty pair)', { exitCode: EXIT.usage });
}

export function emulateCommand(program: Command): void {
  const emulate = program.command('emulate').description('serve emulated devices on a real serial port or a fresh socat pty pair, in real time');
  lineOptions(
    emulate
      .command('meter')
      .description('serve an emulated IEC 62056-21 meter (or a bus of them) until Ctrl-C; prints each frame decoded (times UTC)')
      .option('--brand <name>', 'meter brand or FLAG id (Makel, Köhler, Viko, Elektromed, Luna, Elster, EMH, Landis)')
      .option('--model <name>', 'model, where the brand has several (exact or a unique prefix, e.g. ZMD310)')
      .option('--serial <number>', "serial number, also the meter's device address (default: the profile's example serial)")
      .option('--initial-kwh <kWh>', 'opening value of the import register, kWh (default 0)', kwh),
    'reader',
  )
    .addOption(new Option('--meter-port <kind>', 'meter interface emulated: optical, rs232 or rs485 (default: optical for one meter, rs485 for --bus)').choices(['optical', 'rs232', 'rs485']))
    .addOption(new Option('--bus <file>', 'YAML list of meters sharing the port, each {brand, model, serial, initialKwh}').conflicts(['brand', 'model', 'serial', 'initialKwh']))
    .addHelpText('after', '\nExamples:\n  ht-hil emulate meter --brand Landis --model ZMD310 --pty\n  ht-hil emulate meter --bus site.yaml --port /dev/ttyUSB0 --trace bus.jsonl')
    .action(async (opts: MeterOptions, cmd: Command) => {
      if (!opts.brand && !opts.bus) cmd.error('error: give --brand NAME (one meter) or --bus FILE (several)', { exitCode: EXIT.usage });
      needLine(opts, cmd);
      const { parseMeterBus, resolveMeterSpecs, serveMeters } = await import('../../emulators/meters/serve.ts');
      let meters;
      if (opts.bus) meters = parseMeterBus(await readBusFile(opts.bus), opts.bus);
      else {
        const spec = { brand: opts.brand!, ...(opts.model ? { model: opts.model } : {}), ...(opts.serial ? { serial: opts.serial } : {}), ...(opts.initialKwh !== undefined ? { initialKwh: opts.initialKwh } : {}) };
        meters = fromOptions(cmd, () => resolveMeterSpecs([spec], (_, field) => `--${field === 'initialKwh' ? 'initial-kwh' : field}`));
      }
      await serveUntilStopped(
        opts,
        { name: 'meter', who: 'reader' },
        (line) => serveMeters({ ...line, meters, ...(opts.meterPort ? { meterPort: opts.meterPort } : {}) }),
        (served) => served.meters.map((m) => `serving ${m.profile.brand} ${m.profile.model} (FLAG ${m.profile.flag}) serial ${m.serial}, address "${m.engine.address}", ${m.port} interface`),
      );
    });

  lineOptions(
    emulate
      .command('modbus')
      .description('serve an emulated Modbus RTU device (or a bus of them) until Ctrl-C; prints each frame decoded (times UTC)')
      .option('--model <name>', 'device model as the profiles name it (Eastron SDM630, Entes MPR-45S, Klemsan RAPIDUS, Klemsan REMO-Q, Grup Arge screenless compensation relay)')
      .option('--address <n>', "Modbus address 1..247 (default: the profile's; Grup Arge screenless devices: serial's last two digits + 100)", modbusAddress)
      .option('--serial <digits>', 'serial number (default: 10000000 + address)'),
    'master',
  )
    .addOption(new Option('--bus <file>', 'YAML list of devices sharing the line, each {model, address, serial}').conflicts(['model', 'address', 'serial']))
    .option('--baud <rate>', "line baud rate (default: the first device's factory setting)", baudRate)
    .addOption(new Option('--parity <parity>', "line parity (default: the first device's factory setting)").choices(['none', 'even', 'odd']))
    .addHelpText('after', '\nExamples:\n  ht-hil emulate modbus --model "Eastron SDM630" --address 1 --pty\n  ht-hil emulate modbus --bus site.yaml --port /dev/ttyUSB0 --baud 19200 --parity even --trace bus.jsonl')
    .action(async (opts: ModbusOptions, cmd: Command) => {
      if (!opts.model && !opts.bus) cmd.error('error: give --model NAME (one device) or --bus FILE (several)', { exitCode: EXIT.usage });
      needLine(opts, cmd);
      const { DEFAULT_MODBUS_LOAD_TEXT, parseModbusBus, resolveModbusSpecs, serveModbusDevices } = await import('../../emulators/modbus/serve.ts');
      const { lineSettingsOf } = await import('../../emulators/modbus/device.ts');
      let devices;
      if (opts.bus) devices = parseModbusBus(await readBusFile(opts.bus), opts.bus);
      else {
        const spec = { model: opts.model!, ...(opts.address !== undefined ? { address: opts.address } : {}), ...(opts.serial !== undefined ? { serial: opts.serial } : {}) };
        devices = fromOptions(cmd, () => resolveModbusSpecs([spec], (_, field) => `--${field}`));
      }
      const settings = { ...lineSettingsOf(devices[0]!.profile), ...(opts.baud ? { baudRate: opts.baud } : {}), ...(opts.parity ? { parity: opts.parity } : {}) };
      await serveUntilStopped(
        opts,
        { name: 'modbus', who: 'master' },
        (line) => serveModbusDevices({ ...line, devices, settings }),
        (served) => [
          ...served.devices.map((d) => `serving ${d.profile.vendor} ${d.profile.model} (${d.profile.class}) at address ${d.address}, serial ${d.serial}`),
          `measuring one site load: ${DEFAULT_MODBUS_LOAD_TEXT}`,
        ],
      );
    });
  lineOptions(
    emulate
      .command('modem')
      .description('serve an emulated cellular module (AT commands, 115200 8N1) until Ctrl-C; prints each AT line both ways (times UTC); its TCP sockets reach the cloud address')
      .option('--module <name>', 'module profile: SIM800C (SIMCom, 2G) or EC25-E (Quectel, 4G)')
      .addOption(new Option('--sim <state>', 'SIM card state (default ready; pin asks for PIN 1234, puk for PUK 12345678)').choices(['ready', 'pin', 'puk', 'absent']))
      .option('--signal <dBm>', 'constant signal at the site on every technology, dBm (default -75 on 2G, -79 on 4G)', dbm)
      .option('--cloud <host:port>', 'where the module\'s TCP sockets go (default 127.0.0.1:7001)'),
    'terminal',
  )
    .addHelpText('after', '\nExamples:\n  ht-hil emulate modem --module SIM800C --pty\n  ht-hil emulate modem --module EC25-E --sim pin --signal -95 --cloud 10.0.0.5:7001 --port /dev/ttyUSB1 --trace modem.jsonl')
    .action(async (opts: ModemOptions, cmd: Command) => {
      if (!opts.module) cmd.error('error: give --module NAME (SIM800C or EC25-E)', { exitCode: EXIT.usage });
      needLine(opts, cmd);
      const { checkModuleName, DEFAULT_CLOUD, parseCloudAddress, serveModem } = await import('../../emulators/gsm-modem/serve.ts');
      const cloud = fromOptions(cmd, () => parseCloudAddress(opts.cloud ?? DEFAULT_CLOUD));
      const module = fromOptions(cmd, () => checkModuleName(opts.module!));
      await serveUntilStopped(
        opts,
        { name: 'modem', who: 'terminal' },
        (line) => serveModem({ ...line, module, cloud, ...(opts.sim ? { sim: { state: opts.sim } } : {}), ...(opts.signal !== undefined ? { signalDbm: opts.signal } : {}) }),
        (served) => [
          `serving ${served.modem.profile.vendor} ${served.modem.profile.model}, IMEI ${served.modem.imei}, SIM ${opts.sim ?? 'ready'}${opts.signal !== undefined ? `, signal ${opts.signal} dBm` : ''}`,
          `its TCP sockets reach ${cloud.host}:${cloud.port}`,
        ],
      );
    });
}
