/**
 * The configuration program's side of the USB port: sends one request at a time and waits for
 * the answer with the same seq (an ERR with seq 0 answers the request in hand: the terminal
 * could not read its seq). `ht-hil config` and the tests use it over any `Endpoint`.
 */
import type { Clock } from '../../core/clock/index.ts';
import { HtHilError, TimeoutError } from '../../core/errors.ts';
import { SerialQueue } from '../../core/serial-queue.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import {
  decodeAnswer,
  encodeRequest,
  LineFramer,
  UsbConfigError,
  VERBS,
  type NetworkSettings,
  type NetworkStatus,
  type TerminalIdentity,
  type UsbAnswer,
  type UsbErrorAnswer,
  type UsbRequest,
} from '../../protocols/usb-config/index.ts';

/** The terminal answered ERR; the message names the command, field, offset and reason. */
export class UsbRefusedError extends HtHilError {
  constructor(readonly answer: UsbErrorAnswer) {
    const where = answer.field !== undefined ? `field '${answer.field}'${answer.offset !== undefined ? ` at offset ${answer.offset}` : ''}: ` : '';
    super('E_REFUSED', `terminal refused ${answer.command ? VERBS[answer.command] : 'the request'} (${answer.code}): ${where}${answer.text}`);
  }
}

type Body = UsbRequest extends infer R ? (R extends UsbRequest ? Omit<R, 'seq'> : never) : never;

export interface UsbConfigHostOptions {
  endpoint: Endpoint;
  clock: Clock;
  /** Time allowed for an answer (default 3000 ms). */
  timeoutMs?: number;
}

export class UsbConfigHost {
  private seq = 0;
  private readonly framer = new LineFramer();
  private readonly queue = new SerialQueue();
  private waiting: { seq: number; resolve: (a: UsbAnswer) => void } | undefined;
  private readonly off: () => void;
  /** Lines from the terminal that did not decode (shown by the CLI with `--verbose`). */
  readonly garbled: UsbConfigError[] = [];

  constructor(private readonly o: UsbConfigHostOptions) {
    this.off = o.endpoint.onData((chunk) => {
      for (const ev of this.framer.push(chunk.bytes)) {
        if (ev.kind === 'error') {
          this.garbled.push(ev.error);
          continue;
        }
        let a: UsbAnswer;
        try {
          a = decodeAnswer(ev.bytes, ev.offset);
        } catch (err) {
          if (err instanceof UsbConfigError) {
            this.garbled.push(err);
            continue;
          }
          throw err;
        }
        const w = this.waiting;
        if (w && (a.seq === w.seq || (a.seq === 0 && !a.ok))) {
          this.waiting = undefined;
          w.resolve(a);
        }
      }
    });
  }

  /** Sends a request and resolves with its answer (OK or ERR); rejects with a `TimeoutError`. */
  request(body: Body): Promise<UsbAnswer> {
    return this.queue.run(async () => {
      this.seq = (this.seq % 65535) + 1;
      const req = { ...body, seq: this.seq } as UsbRequest;
      const ms = this.o.timeoutMs ?? 3000;
      const answer = new Promise<UsbAnswer | undefined>((resolve) => {
        const timer = this.o.clock.setTimer(ms, () => {
          this.waiting = undefined;
          resolve(undefined);
        }, `USB host: answer to ${VERBS[req.command]}`);
        this.waiting = {
          seq: req.seq,
          resolve: (a) => {
            timer.cancel();
            resolve(a);
          },
        };
      });
      await this.o.endpoint.write(encodeRequest(req));
      const a = await answer;
      if (!a) throw new TimeoutError(`no answer to ${VERBS[req.command]} (seq ${req.seq}) within ${ms} ms on ${this.o.endpoint.id}${this.garbled.length ? `; last unreadable line: ${this.garbled.at(-1)!.detail}` : ''}`);
      return a;
    });
  }

  async identify(): Promise<TerminalIdentity> {
    const a = ok(await this.request({ command: 'identify' }), 'identify');
    return a.identity;
  }

  async readNetwork(): Promise<{ settings: NetworkSettings; applied: boolean }> {
    const a = ok(await this.request({ command: 'read-net' }), 'read-net');
    return { settings: a.settings, applied: a.applied };
  }

  async writeNetwork(settings: NetworkSettings): Promise<{ applied: boolean }> {
    const a = ok(await this.request({ command: 'write-net', settings }), 'write-net');
    return { applied: a.applied };
  }

  async status(): Promise<NetworkStatus> {
    return ok(await this.request({ command: 'status' }), 'status').status;
  }

  async restart(): Promise<{ inMs: number }> {
    return { inMs: ok(await this.request({ command: 'restart' }), 'restart').inMs };
  }

  /** Stops listening (the endpoint stays open: its owner closes it). */
  dispose(): void {
    this.off();
  }
}

function ok<C extends UsbAnswer['command'] & string>(a: UsbAnswer, command: C): Extract<UsbAnswer, { ok: true; command: C }> {
  if (!a.ok) throw new UsbRefusedError(a);
  if (a.command !== command) throw new HtHilError('E_PROTOCOL', `answer to ${VERBS[command]} names ${VERBS[a.command]}`);
  return a as Extract<UsbAnswer, { ok: true; command: C }>;
}
