/**
 * The AT engine of one module run: reads command lines and prompt data from the terminal
 * (`DceReader`), echoes, runs each command of a line in turn after its latency, and writes
 * information text, final results and URCs framed per `ATV`/`ATQ`/`AT+CMEE`/S3/S4.
 *
 * ```
 *  DTE ── AT+CSQ;+CREG?<CR> ──►  echo  ─ latency(+CSQ) ─ +CSQ: 21,0 ─ latency(+CREG) ─ +CREG: 0,1 ─ OK
 *                                       URCs that fall due meanwhile are held ───────────────────► after OK
 *  DTE ── AT+CIPSEND=5<CR> ──►   echo  ─ latency ─ "> " ── 5 bytes ──► (echo of data) ─ SEND OK
 * ```
 *
 * Rules: a line that does not parse, or names an unknown command, is answered ERROR; the commands
 * of a line run in order and the first result other than OK ends the line (V.250 §5.2.1); a
 * command answered with a prompt ends the line; URCs are held while a line or a prompt is open
 * and sent after its final result. `A/` repeats the previous line.
 */
import { ascii } from '../../core/bytes.ts';
import type { Clock } from '../../core/clock/index.ts';
import {
  DceReader,
  commandName,
  frameDataBlock,
  frameEcho,
  frameInformation,
  framePrompt,
  frameResult,
  frameUrc,
  parseCommandLine,
  type AtCommand,
  type DceEvent,
  type FinalResult,
} from '../../protocols/at/index.ts';
import type { CommandAnswer, CommandContext, DataEnding, LineAnswer, ModemBehavior, PromptAnswer } from './answer.ts';
import type { CommandLog } from './command-log.ts';
import type { Session } from './session.ts';

/** What the engine needs from its modem. */
export interface EngineHost {
  readonly clock: Clock;
  readonly log: CommandLog;
  /** Behaviors, newest first. */
  behaviors(): readonly ModemBehavior[];
  /** The module's own handler for a command, or undefined (answered ERROR). */
  handler(cmd: AtCommand): ((cmd: AtCommand, ctx: CommandContext) => CommandAnswer | Promise<CommandAnswer>) | undefined;
  /** Latency of one command (ms), slow-answer faults included. */
  latency(cmd: AtCommand | undefined, factor: number): number;
  /** The slow-answer factor for one command line (takes one count of the fault). */
  lineFactor(): number;
  /** Echo the bytes typed after a prompt. */
  readonly echoData: boolean;
  /** Bytes to the terminal; dropped when the module is off or hung. */
  write(bytes: Uint8Array): void;
  /** True while the module hangs: input is dropped. */
  hung(): boolean;
  context(): CommandContext;
}

/** Reads and answers command lines for one module run. */
export class AtEngine {
  private readonly reader: DceReader;
  private pumping = false;
  private open = false;
  private held: Uint8Array[] = [];
  private pending: PromptAnswer | undefined;
  private lastLine: string | undefined;

  constructor(
    private readonly host: EngineHost,
    private readonly session: Session,
    maxDataLength: number,
  ) {
    this.reader = new DceReader({ maxDataLength });
  }

  /** Bytes from the terminal. */
  feed(bytes: Uint8Array): void {
    if (!this.session.alive) return;
    this.reader.feed(bytes);
    void this.pump();
  }

  /** Applies `ATS3`/`ATS5` to the reader. */
  applyS(s3: number, s5: number): void {
    this.reader.setS3(s3);
    this.reader.setS5(s5);
  }

  /** An unsolicited result code: sent now when idle, else after the open line's final result. */
  urc(text: string): void {
    this.urcBytes(frameUrc(text, this.framing()));
  }

  /** Raw unsolicited bytes (pushed socket data), held like URCs. */
  urcBytes(bytes: Uint8Array): void {
    if (!this.session.alive) return;
    if (this.open) this.held.push(bytes);
    else this.host.write(bytes);
  }

  /** True while a command line or a prompt is open. */
  get busy(): boolean {
    return this.open;
  }

  private framing() {
    const s = this.session.settings;
    return { verbose: s.verbose, s3: s.s3, s4: s.s4, cmee: s.cmee, quiet: s.quiet };
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      for (let e = this.reader.next(); e; e = this.reader.next()) {
        if (!this.session.alive) return;
        if (this.host.hung()) continue;
        await this.handle(e);
      }
    } finally {
      this.pumping = false;
    }
  }

  private async handle(e: DceEvent): Promise<void> {
    if (e.type === 'data' || e.type === 'cancelled') {
      const p = this.pending;
      this.pending = undefined;
      if (!p) return;
      const ended: DataEnding = e.type === 'cancelled' ? 'cancelled' : e.ended;
      if (this.session.settings.echo && this.host.echoData && e.bytes.length > 0) this.host.write(e.bytes);
      await this.finish(await p.onData(e.bytes, ended));
      return;
    }
    if (!this.session.ready) return;
    const text = e.type === 'repeat' ? this.lastLine : e.text;
    if (text === undefined) return;
    if (e.type === 'line') this.lastLine = e.text;
    const parsed = this.parse(text);
    this.host.log.push({ at: this.host.clock.now(), line: text, commands: parsed });
    if (this.session.settings.echo && e.type === 'line') this.host.write(frameEcho(text, this.framing()));
    this.open = true;
    if (!parsed || (e.type === 'line' && e.overflow)) {
      await this.host.clock.sleep(this.host.latency(undefined, 1));
      return this.finish({ result: { kind: 'error' } });
    }
    const factor = this.host.lineFactor();
    if (parsed.length === 0) {
      await this.host.clock.sleep(this.host.latency(undefined, factor));
      return this.finish({});
    }
    const infos: string[] = [];
    const afters: (() => void)[] = [];
    for (const cmd of parsed) {
      await this.host.clock.sleep(this.host.latency(cmd, factor));
      if (!this.session.alive) return;
      if (this.host.hung()) return this.release();
      const answer = await this.run(cmd);
      if (!this.session.alive) return;
      if ('silent' in answer) return this.finish(answer);
      if ('prompt' in answer) {
        this.flushInfo(infos);
        this.host.write(framePrompt(this.framing()));
        this.pending = answer;
        this.reader.expectData(answer.prompt);
        return;
      }
      if (answer.lines) infos.push(...answer.lines);
      const result = answer.result ?? { kind: 'ok' };
      if (answer.after) afters.push(answer.after);
      if (result.kind === 'ok' && cmd !== parsed[parsed.length - 1] && !answer.trailing) {
        if (answer.block) {
          this.flushInfo(infos);
          this.host.write(frameDataBlock(answer.block.header, answer.block.data, this.framing()));
        }
        continue;
      }
      const after = afters.length === 0 ? undefined : () => afters.forEach((f) => f());
      return this.finish({ lines: infos, result, ...(answer.block ? { block: answer.block } : {}), ...(answer.trailing ? { trailing: answer.trailing } : {}), ...(after ? { after } : {}) });
    }
  }

  private parse(text: string): AtCommand[] | undefined {
    try {
      const p = parseCommandLine(text);
      return p.kind === 'commands' ? p.commands : undefined;
    } catch {
      return undefined;
    }
  }

  private async run(cmd: AtCommand): Promise<CommandAnswer> {
    const ctx = this.host.context();
    for (const b of this.host.behaviors()) {
      const a = await b.onCommand(cmd, ctx);
      if (a) return a;
    }
    const h = this.host.handler(cmd);
    if (!h) return { result: { kind: 'error' } };
    return h(cmd, ctx);
  }

  private flushInfo(infos: string[]): void {
    if (infos.length > 0) this.host.write(frameInformation(infos, this.framing()));
    infos.length = 0;
  }

  /** Writes an answer's lines, final result and trailing lines, runs its `after`, then releases held URCs. */
  private async finish(answer: CommandAnswer): Promise<void> {
    if (!this.session.alive) return;
    if ('silent' in answer) {
      this.release();
      answer.after?.();
      return;
    }
    if ('prompt' in answer) {
      // A prompt answering data: open another prompt.
      this.host.write(framePrompt(this.framing()));
      this.pending = answer;
      this.reader.expectData(answer.prompt);
      return;
    }
    const a: LineAnswer = answer;
    const f = this.framing();
    if (a.lines && a.lines.length > 0) this.host.write(frameInformation(a.lines, f));
    if (a.block) this.host.write(frameDataBlock(a.block.header, a.block.data, f));
    const result: FinalResult = a.result ?? { kind: 'ok' };
    this.host.write(frameResult(result, f));
    if (a.trailing && a.trailing.length > 0) this.host.write(frameInformation(a.trailing, f));
    this.release();
    a.after?.();
  }

  private release(): void {
    this.open = false;
    const held = this.held;
    this.held = [];
    for (const b of held) this.host.write(b);
  }

  /** A command's name as the handler tables key it. */
  static key(cmd: AtCommand): string {
    return cmd.syntax === 's-parameter' ? 'S' : commandName(cmd);
  }
}

/** `text` as one framed line (for handlers building raw output). */
export function rawLine(text: string, s3 = 13, s4 = 10): Uint8Array {
  return ascii(`${String.fromCharCode(s3, s4)}${text}${String.fromCharCode(s3, s4)}`);
}
