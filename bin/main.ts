import { Command, CommanderError } from 'commander';
import { EnvironmentError, HtHilError, InputError } from '../core/errors.ts';
import { rootLogger, setLogLevel } from '../core/log.ts';
import { EXIT, EXIT_CODES_HELP } from './exit-codes.ts';
import { traceCommand } from './commands/trace.ts';
import { demoCommand } from './commands/demo.ts';
import { runCommand } from './commands/run.ts';
import { emulateCommand } from './commands/emulate.ts';
import { configCommand } from './commands/config.ts';
import { reportCommand } from './commands/report.ts';
import { cloudCommand } from './commands/cloud.ts';
import { rigCommand } from './commands/rig.ts';
import { sniffCommand } from './commands/sniff.ts';
import { replayCommand } from './commands/replay.ts';
import { profileCommand } from './commands/profile.ts';

/** Builds the command tree; exported for tests of the help texts. */
export function buildProgram(): Command {
  const program = new Command('ht-hil')
    .description('Hardware-in-the-loop test and emulation harness for HT meter-reading terminals')
    .option('--log-level <level>', 'trace, debug, info, warn, error, fatal or silent (default: info; env HT_HIL_LOG)')
    .addHelpText('after', '\n' + EXIT_CODES_HELP)
    .showHelpAfterError()
    .exitOverride();
  program.hook('preAction', (cmd) => {
    const level = cmd.opts<{ logLevel?: string }>().logLevel;
    if (level) setLogLevel(level as Parameters<typeof setLogLevel>[0]);
  });
  runCommand(program);
  demoCommand(program);
  traceCommand(program);
  emulateCommand(program);
  configCommand(program);
  reportCommand(program);
  cloudCommand(program);
  rigCommand(program);
  sniffCommand(program);
  replayCommand(program);
  profileCommand(program);
  for (const c of program.commands) inheritExitOverride(c);
  return program;
}

function inheritExitOverride(c: Command): void {
  c.exitOverride().showHelpAfterError();
  for (const sub of c.commands) inheritExitOverride(sub);
}

/** Runs the command line; returns the exit code (see exit-codes.ts). */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT.ok;
  } catch (err) {
    return exitCodeFor(err);
  }
}

function exitCodeFor(err: unknown): number {
  if (err instanceof CommanderError) {
    return err.code === 'commander.helpDisplayed' || err.code === 'commander.version' || err.exitCode === 0 ? EXIT.ok : EXIT.usage;
  }
  const log = rootLogger();
  if (err instanceof InputError) {
    process.stderr.write(`ht-hil: ${err.message}\n`);
    return EXIT.input;
  }
  if (err instanceof EnvironmentError) {
    process.stderr.write(`ht-hil: ${err.message}\n`);
    return EXIT.environment;
  }
  if (err instanceof HtHilError) {
    process.stderr.write(`ht-hil: ${err.message}\n`);
    return EXIT.failed;
  }
  log.fatal({ err }, 'internal error');
  return EXIT.internal;
}
