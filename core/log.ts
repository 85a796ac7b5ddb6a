import { pino, type Logger, type LevelWithSilent } from 'pino';
import pretty from 'pino-pretty';
import type { Clock } from './clock/index.ts';

/**
 * Structured logs, one child logger per component (`component: 'terminal'`, `bus: 'rs485'`).
 * On a TTY they are pretty-printed; otherwise JSON lines on stderr. The level comes from
 * `HT_HIL_LOG` (trace … fatal, silent); default `info`, `warn` under vitest.
 *
 * While a run has set its clock with `setLogClock`, every line carries the clock's time as `vt`
 * (ms since the epoch), so the logs of a virtual run line up with its trace.
 */
let root: Logger | undefined;
let logClock: Clock | undefined;

function defaultLevel(): LevelWithSilent {
  const env = process.env['HT_HIL_LOG'];
  if (env) return env as LevelWithSilent;
  return process.env['VITEST'] ? 'warn' : 'info';
}

export function rootLogger(): Logger {
  if (!root) {
    const options = { level: defaultLevel(), mixin: () => (logClock ? { vt: logClock.now() } : {}) };
    root = process.stderr.isTTY
      ? pino(options, pretty({ colorize: true, destination: 2, sync: true, ignore: 'pid,hostname' }))
      : pino(options, pino.destination({ dest: 2, sync: true }));
  }
  return root;
}

/** Sets the log level of every logger made from now on (the CLI's `--log-level`). */
export function setLogLevel(level: LevelWithSilent): void {
  rootLogger().level = level;
}

/** Stamps log lines with this clock's time until cleared with `undefined`. */
export function setLogClock(clock: Clock | undefined): void {
  logClock = clock;
}

export function createLogger(component: string, bindings: Record<string, unknown> = {}): Logger {
  return rootLogger().child({ component, ...bindings });
}

export type { Logger };
