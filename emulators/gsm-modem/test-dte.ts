/**
 * A small terminal side for this folder's tests, built from the AT codec's `DteDecoder`: sends a
 * command line, answers a `> ` prompt with data, collects the answer up to its final result, and
 * records every URC and pushed data block with its time. Plus an echoing cloud stand-in and the
 * usual wiring (virtual clock, 115200 8N1 wire, modem). Not part of the folder's public API.
 */
import { ascii, concatBytes } from '../../core/bytes.ts';
import { VirtualClock, type Clock, type Timer } from '../../core/clock/index.ts';
import { TimeoutError } from '../../core/errors.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { ByteLink, LinkAcceptor } from '../../lines/net/link.ts';
import type { PathModel } from '../../lines/net/memory-link.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { CTRL_Z, DteDecoder, type Dialect, type DteEvent, type FinalResult } from '../../protocols/at/index.ts';
import { createModem, type CreateModemOptions } from './create-modem.ts';
import type { GsmModem } from './modem.ts';
import { cellularDialers } from './network.ts';

/** The answer to one command line. */
export interface Answer {
  lines: string[];
  final: FinalResult;
  finalText: string;
  /** Data blocks read as part of the answer (`+QIRD`, `+CIPRXGET: 2`). */
  data: Uint8Array[];
  /** Lines that still belong to the command after its final result (`STATE:`), as they arrive. */
  trailing: string[];
  prompted: boolean;
}

interface Pending {
  answer: Answer;
  data?: Uint8Array | undefined;
  ctrlZ: boolean;
  resolve: (a: Answer) => void;
  reject: (e: Error) => void;
  timer: Timer;
}

/** A test terminal on one end of the wire. */
export class TestDte {
  readonly decoder: DteDecoder;
  readonly urcs: { at: number; text: string; id?: string | undefined }[] = [];
  /** Data not read by a command (pushed by the module). */
  readonly pushed: Uint8Array[] = [];
  private pending: Pending | undefined;
  private last: Answer | undefined;
  echo = true;

  constructor(
    private readonly clock: Clock,
    private readonly endpoint: Endpoint,
    dialect: Dialect,
  ) {
    this.decoder = new DteDecoder({ dialect, connectEntersData: false, recvUrcCarriesData: true });
    endpoint.onData((c) => {
      for (const e of this.decoder.push(c.bytes)) this.event(e);
    });
  }

  /** Sends a command line and resolves with its answer. `data` answers a prompt (with Ctrl-Z unless `ctrlZ: false`). */
  command(line: string, o: { data?: Uint8Array | string; ctrlZ?: boolean; timeoutMs?: number } = {}): Promise<Answer> {
    if (this.pending) throw new Error(`command ${line} while ${this.decoder.inProgress} is open`);
    return new Promise((resolve, reject) => {
      const answer: Answer = { lines: [], final: { kind: 'ok' }, finalText: '', data: [], trailing: [], prompted: false };
      this.pending = {
        answer,
        data: typeof o.data === 'string' ? ascii(o.data) : o.data,
        ctrlZ: o.ctrlZ ?? o.data !== undefined,
        resolve,
        reject,
        timer: this.clock.setTimer(o.timeoutMs ?? 5_000, () => {
          this.pending = undefined;
          this.decoder.endCommand();
          reject(new TimeoutError(`no final result for ${line}`));
        }),
      };
      this.decoder.beginCommand(line);
      void this.endpoint.write(ascii(`${line}\r`));
    });
  }

  /** Waits for a URC matching `re` that arrives within `withinMs` (or has arrived since index `from`). */
  async waitUrc(re: RegExp, withinMs = 10_000, from = 0): Promise<string> {
    const deadline = this.clock.now() + withinMs;
    for (;;) {
      const hit = this.urcs.slice(from).find((u) => re.test(u.text));
      if (hit) return hit.text;
      if (this.clock.now() >= deadline) throw new TimeoutError(`no URC like ${re} within ${withinMs} ms; got ${JSON.stringify(this.urcs.slice(from).map((u) => u.text))}`);
      await this.clock.sleep(Math.min(10, deadline - this.clock.now()));
    }
  }

  /** URC texts so far. */
  urcTexts(): string[] {
    return this.urcs.map((u) => u.text);
  }

  /** All pushed data joined. */
  pushedBytes(): Uint8Array {
    return concatBytes(this.pushed);
  }

  private event(e: DteEvent): void {
    const p = this.pending;
    switch (e.type) {
      case 'echo':
        return;
      case 'prompt':
        if (!p) return;
        p.answer.prompted = true;
        if (p.data) {
          if (this.echo) this.decoder.echoData(p.data);
          void this.endpoint.write(p.ctrlZ ? concatBytes([p.data, Uint8Array.of(CTRL_Z)]) : p.data);
        }
        return;
      case 'final':
        if (!p) return;
        p.answer.final = e.result;
        p.answer.finalText = e.text;
        p.timer.cancel();
        this.pending = undefined;
        this.last = p.answer;
        p.resolve(p.answer);
        return;
      case 'response':
        if (e.afterFinal) this.last?.trailing.push(e.text);
        else p?.answer.lines.push(e.text);
        return;
      case 'urc':
        this.urcs.push({ at: this.clock.now(), text: e.text, id: e.id });
        return;
      case 'data':
        if (p && (e.source === 'qird' || e.source === 'ciprxget' || e.source === 'ciprxget-hex')) p.answer.data.push(e.bytes);
        else this.pushed.push(e.bytes);
        return;
    }
  }
}

/** An in-memory cloud stand-in that echoes what it receives (unless `echo` is false) and records it. */
export class EchoServer implements LinkAcceptor {
  readonly links: ByteLink[] = [];
  readonly received: Uint8Array[] = [];
  echo = true;

  accept(link: ByteLink): void {
    this.links.push(link);
    link.onData((b) => {
      this.received.push(b);
      if (this.echo) void link.write(b).catch(() => {});
    });
  }

  receivedText(): string {
    return new TextDecoder().decode(concatBytes(this.received));
  }
}

/** A wired test bench: clock, 115200 8N1 wire, modem on `b`, test terminal on `a`, echo cloud. */
export function bench(o: Partial<Omit<CreateModemOptions, 'endpoint' | 'clock' | 'dialer'>> & { profile: string; paths?: Partial<Record<'gsm' | 'lte', PathModel>> }) {
  const clock = new VirtualClock();
  const settings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;
  const wire = new VirtualWire(clock, 'gsm', { settings, id: 'gsm/terminal' }, { settings, id: 'gsm/modem' });
  const cloud = new EchoServer();
  const { paths, ...rest } = o;
  const modem: GsmModem = createModem({ ...rest, endpoint: wire.b, clock, dialer: cellularDialers(clock, cloud, 'cloud', paths) });
  const dialect: Dialect = modem.profile.socketDialect === 'simcom-cip' ? 'simcom' : 'quectel';
  const dte = new TestDte(clock, wire.a, dialect);
  return { clock, wire, modem, dte, cloud };
}

/** URCs the terminal saw that the profile does not declare (by prefix or whole text; a SIMCom `<n>, ` link prefix is ignored). */
export function undeclaredUrcs(dte: TestDte, modem: GsmModem): string[] {
  const declared = modem.profile.urcs;
  return dte.urcTexts().filter((u) => {
    const text = u.replace(/^\d+, ?/, '');
    return !declared.some((d) => text === d || text.startsWith(d));
  });
}
