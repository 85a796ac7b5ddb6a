/**
 * `ht-hil` as a user runs it, as a child process, for the interop tests of the `emulate`
 * commands: start it, wait for a line on its stdout, stop it with a signal.
 */
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import type { Clock } from '../../core/clock/index.ts';

const root = join(import.meta.dirname, '..', '..');

/** Runs `node bin/ht-hil.js ARGS` in the project folder; logs at `warn` unless `env` says otherwise. */
export function htHil(args: string[], env: Record<string, string> = {}): ResultPromise<{ reject: false; cwd: string; all: true }> {
  return execa(process.execPath, ['bin/ht-hil.js', ...args], { cwd: root, reject: false, all: true, env: { HT_HIL_LOG: 'warn', ...env } });
}

/** Resolves with the first match of `pattern` in the child's stdout, or rejects after `ms` of `clock` time. */
export function stdoutMatch(child: ResultPromise, pattern: RegExp, ms: number, clock: Clock): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    const timer = clock.setTimer(ms, () => reject(new Error(`no ${String(pattern)} on stdout within ${ms} ms; got: ${text}`)), 'stdout');
    child.stdout!.on('data', (d: Buffer) => {
      text += d.toString();
      const m = pattern.exec(text);
      if (m) {
        timer.cancel();
        resolve(m);
      }
    });
  });
}
