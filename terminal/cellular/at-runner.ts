/**
 * The AT command runner of the terminal: one command line at a time on the module's serial
 * endpoint (115200 8N1), each with a time-out from its class, URCs handed to listeners whenever
 * they come (never taken for an answer), the `> ` prompt answered with the command's data, and
 * every exchange logged.
 *
 * ```
 *  command("AT+CIPSEND=5", {data})      DCE
 *  ── "AT+CIPSEND=5\r" ──────────────►
 *  ◄─────────────────────────── "> "      prompt: the data is written (no Ctrl-Z with a length)
 *  ── "hello" ──────────────────────►
 *  ◄──────────────────── "\r\nSEND OK\r\n" final: the promise resolves
 * ```
 */
import { ascii, concatBytes, toPrintable } from '../../core/bytes.ts';
import type { Clock, Timer } from '../../core/clock/index.ts';
import { HtHilError, TimeoutError } from '../../core/errors.ts';
import type { Logger } from '../../core/log.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { CTRL_Z, DteDecoder, isSuccess, type DteEvent, type FinalResult } from '../../protocols/at/index.ts';
import { timeoutFor } from './timeouts.ts';

/** The answer to one command line. */
export interface AtReply {
  /** Information lines, in order. */
  lines: string[];
  final: FinalResult;
  finalText: string;
  /** Data blocks read as part of the answer (`+CIPRXGET: 2`, `+QIRD`). */
  data: Uint8Array[];
}

/** A command ended with ERROR, +CME ERROR or another failure result. `code` is the CME/CMS code when given. */
export class AtCommandError extends HtHilError {
  constructor(
    readonly command: string,
    readonly reply: AtReply,
  ) {
    super('E_AT', `${command}: ${reply.finalText}`);
  }
  /** The +CME/+CMS error code, when the module gave one. */
  get cmeCode(): number | undefined {
    const f = this.reply.final;
    return f.kind === 'cme-error' || f.kind === 'cms-error' ? f.code : undefined;
  }
}

/** A command got no final result within its time-out. */
export class AtTimeoutError extends TimeoutError {
  constructor(readonly command: string, ms: number) {
    super(`${command}: no answer within ${ms} ms`);
  }
}

/** One line of the exchange log. */
export interface AtExchange {
  at: number;
  dir: 'tx' | 'rx';
  kind: 'command' | 'data' | 'echo' | 'response' | 'final' | 'urc' | 'prompt' | 'timeout';
  text: string;
}

/** Options of one command. */
export interface CommandOptions {
  /** Time-out (ms); default from the command's class (`timeoutFor`). */
  timeoutMs?: number;
  /** Bytes to write at the `> ` prompt. */
  data?: Uint8Array;
  /** Append Ctrl-Z after `data` (commands without a length). Default false. */
  ctrlZ?: boolean;
  /** Resolve (not reject) on a failure result. Default false. */
  allowError?: boolean;
}

interface Pending {
  line: string;
  reply: AtReply;
  o: CommandOptions;
  timer: Timer;
  resolve: (r: AtReply) => void;
  reject: (e: Error) => void;
}

/** Options of the runner. */
export interface AtRunnerOptions {
  endpoint: Endpoint;
  clock: Clock;
  logger?: Logger;
  /** Entries kept in `exchanges` (default 2000). */
  keep?: number;
}

/** Runs AT commands one at a time. See the module comment. */
export class AtRunner {
  private readonly decoder = new DteDecoder({ connectEntersData: false, recvUrcCarriesData: true });
  private queue: Promise<unknown> = Promise.resolve();
  private pending: Pending | undefined;
  private readonly urcListeners = new Set<(text: string, id?: string) => void>();
  private readonly dataListeners = new Set<(bytes: Uint8Array) => void>();
  private readonly unsubscribe: () => void;
  private echo = true;
  /** The exchange log, newest last. */
  readonly exchanges: AtExchange[] = [];
  /** Commands in a row that got no answer at all (reset by any answer). */
  silentCount = 0;

  constructor(private readonly o: AtRunnerOptions) {
    this.unsubscribe = o.endpoint.onData((c) => {
      for (const e of this.decoder.push(c.bytes)) this.event(e);
    });
  }

  /** Stops listening to the endpoint; a pending command is left to time out. */
  dispose(): void {
    this.unsubscribe();
  }

  /** Calls `listener` with every URC line; returns the unsubscribe function. */
  onUrc(listener: (text: string, id?: string) => void): () => void {
    this.urcListeners.add(listener);
    return () => this.urcListeners.delete(listener);
  }

  /** Calls `listener` with data the module pushes outside a command (`+IPD`, `+QIURC: "recv",id,n`). */
  onData(listener: (bytes: Uint8Array) => void): () => void {
    this.dataListeners.add(listener);
    return () => this.dataListeners.delete(listener);
  }

  /** The module restarted: it echoes again until `ATE0`. */
  moduleRestarted(): void {
    this.echo = true;
  }

  /**
   * Sends `line` (without its CR) after the commands queued before it, and resolves with the
   * answer on a success result. Rejects with `AtCommandError` on ERROR / +CME ERROR / SEND FAIL
   * (unless `allowError`), with `AtTimeoutError` when no final result comes in time.
   */
  command(line: string, o: CommandOptions = {}): Promise<AtReply> {
    const run = this.queue.then(() => this.run(line, o));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for a URC matching `match` within `timeoutMs`; resolves with its text, or undefined at the time-out. */
  waitUrc(match: (text: string) => boolean, timeoutMs: number): Promise<string | undefined> {
    return new Promise((resolve) => {
      const off = this.onUrc((t) => {
        if (!match(t)) return;
        off();
        timer.cancel();
        resolve(t);
      });
      const timer = this.o.clock.setTimer(timeoutMs, () => {
        off();
        resolve(undefined);
      }, 'cellular: wait for URC');
    });
  }

  private run(line: string, o: CommandOptions): Promise<AtReply> {
    const ms = o.timeoutMs ?? timeoutFor(line);
    return new Promise<AtReply>((resolve, reject) => {
      const reply: AtReply = { lines: [], final: { kind: 'ok' }, finalText: '', data: [] };
      const timer = this.o.clock.setTimer(ms, () => {
        if (this.pending?.timer !== timer) return;
        this.pending = undefined;
        this.decoder.endCommand();
        this.silentCount++;
        this.log('tx', 'timeout', `${line} (${ms} ms)`);
        reject(new AtTimeoutError(line, ms));
      }, `cellular: ${line}`);
      this.pending = { line, reply, o, timer, resolve, reject };
      this.decoder.beginCommand(line);
      this.log('tx', 'command', line);
      this.o.endpoint.write(ascii(`${line}\r`)).catch((err: unknown) => {
        if (this.pending?.timer !== timer) return;
        timer.cancel();
        this.pending = undefined;
        this.decoder.endCommand();
        reject(err instanceof Error ? err : new HtHilError('E_AT', String(err)));
      });
    });
  }

  private event(e: DteEvent): void {
    const p = this.pending;
    switch (e.type) {
      case 'echo':
        this.log('rx', 'echo', e.text);
        return;
      case 'prompt':
        this.log('rx', 'prompt', '> ');
        if (!p?.o.data) return;
        if (this.echo) this.decoder.echoData(p.o.data);
        this.log('tx', 'data', toPrintable(p.o.data));
        void this.o.endpoint.write(p.o.ctrlZ ? concatBytes([p.o.data, Uint8Array.of(CTRL_Z)]) : p.o.data).catch(() => undefined);
        return;
      case 'response':
        this.log('rx', 'response', e.text);
        if (p && !e.afterFinal) p.reply.lines.push(e.text);
        return;
      case 'data':
        if (p && (e.source === 'ciprxget' || e.source === 'qird' || e.source === 'ciprxget-hex' || e.source === 'expected')) {
          p.reply.data.push(e.bytes);
          return;
        }
        for (const l of [...this.dataListeners]) l(e.bytes);
        return;
      case 'final': {
        this.log('rx', 'final', e.text);
        if (!p) return;
        this.silentCount = 0;
        p.timer.cancel();
        this.pending = undefined;
        p.reply.final = e.result;
        p.reply.finalText = e.text;
        if (/^ATE[01]?$/i.test(p.line) && e.result.kind === 'ok') this.echo = p.line.toUpperCase() === 'ATE1';
        if (isSuccess(e.result) || p.o.allowError) p.resolve(p.reply);
        else p.reject(new AtCommandError(p.line, p.reply));
        return;
      }
      case 'urc':
        this.log('rx', 'urc', e.text);
        this.silentCount = 0;
        for (const l of [...this.urcListeners]) l(e.text, e.id);
        return;
    }
  }

  private log(dir: AtExchange['dir'], kind: AtExchange['kind'], text: string): void {
    this.exchanges.push({ at: this.o.clock.now(), dir, kind, text });
    if (this.exchanges.length > (this.o.keep ?? 2000)) this.exchanges.shift();
    this.o.logger?.debug({ dir, kind, text }, 'at');
  }
}
