import { mkdtemp, rm, access } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa, type ResultPromise } from 'execa';
import { RealClock, type Clock, type Timer } from '../core/clock/index.ts';
import { EnvironmentError, HtHilError } from '../core/errors.ts';

/**
 * Two linked pseudo-terminals made by socat: whatever is written to one device comes out of the
 * other. Outside programs (a vendor tool, mbpoll, a real terminal's test harness) open a path
 * and talk to an emulator or to the terminal through the OS.
 *
 * Note: a pty has no baud rate: bytes pass at memory speed whatever the termios settings say.
 * `SerialPortEndpoint` with `pace: true` restores line timing on the sending side.
 */
export class PtyPair {
  private constructor(
    readonly a: string,
    readonly b: string,
    private readonly dir: string,
    private readonly child: ResultPromise,
  ) {}

  /**
   * Starts socat and resolves once both device links exist. Throws an EnvironmentError naming
   * the Debian package when socat is missing.
   */
  static async start(options: { name?: string; timeoutMs?: number; clock?: Clock; /** The socat program (default: `socat` on the PATH). */ socat?: string } = {}): Promise<PtyPair> {
    const clock = options.clock ?? new RealClock();
    const dir = await mkdtemp(join(tmpdir(), 'ht-hil-pty-'));
    const name = options.name ?? 'line';
    const a = join(dir, `${name}-a`);
    const b = join(dir, `${name}-b`);
    const child = execa(options.socat ?? 'socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], {
      reject: false,
      stdin: 'ignore',
      stdout: 'ignore',
      stderr: 'pipe',
      cleanup: true,
    });
    let stderr = '';
    const ready = new Promise<void>((resolve, reject) => {
      child.stderr?.on('data', (d: Buffer) => {
        stderr += d.toString();
        if (stderr.includes('starting data transfer loop')) resolve();
      });
      void child.then((r) => {
        const notFound = (r as { code?: string }).code === 'ENOENT' || /ENOENT/.test(String(r.message ?? ''));
        if (notFound) {
          reject(new EnvironmentError("socat is not installed; install the Debian package 'socat' (apt-get install -y socat)"));
        } else reject(new HtHilError('E_PTY', `socat exited (code ${String(r.exitCode)}) before the pty pair was ready: ${stderr.trim()}`));
      });
    });
    const timeoutMs = options.timeoutMs ?? 5000;
    let deadline: Timer | undefined;
    const timer = new Promise<never>((_, reject) => {
      deadline = clock.setTimer(timeoutMs, () => reject(new HtHilError('E_PTY', `socat did not make a pty pair within ${timeoutMs} ms: ${stderr.trim()}`)), 'socat ready');
    });
    try {
      await Promise.race([ready, timer]);
      await access(a);
      await access(b);
    } catch (err) {
      child.kill();
      await rm(dir, { recursive: true, force: true });
      throw err;
    } finally {
      deadline?.cancel(); // a pending timer would keep the process alive
    }
    return new PtyPair(a, b, dir, child);
  }

  /** Stops socat and removes the links. Idempotent. */
  async stop(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      await this.child.catch(() => {});
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
