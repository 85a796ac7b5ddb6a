/**
 * Streaming decoder for the DTE side (the terminal): bytes from the modem in, in any chunking,
 * events out. Lines end at CR, LF or CR LF; empty lines (the framing of `<CR><LF>OK<CR><LF>`)
 * are dropped. Each line is classified by `LineClassifier` against the command in progress.
 *
 * Besides lines it recognises, at the start of a line:
 * - the data prompt `> ` (27.005 §3.5.1) while a command waits for its final result;
 * - `+IPD,<len>:` (SIMCom) whose bytes follow on the same line;
 * and it switches to raw data when a line announces a byte count (`+QIRD: 5`, `+CIPRXGET: 2,…`,
 * `+QIURC: "recv",0,5`, `+RECEIVE,0,5:`), when told (`expectData`), and after `CONNECT`
 * (transparent mode, until `leaveTransparent`).
 *
 * Pull API: `feed` bytes, then `next()` until undefined; between two events the caller may tell
 * the decoder what it just did (`beginCommand`, `expectData`, `echoData`). `push` does both.
 * Events for the same bytes are the same whatever the chunking (transparent data aside, which
 * comes as it arrives). At most `maxLineLength` bytes of an unfinished line are held.
 */
import { fromAscii } from '../../core/bytes.ts';
import { LineClassifier, type ClassifierOptions } from './classify.ts';
import type { FinalResult } from './result-codes.ts';
import { findUrc, type DataSource } from './urc.ts';

/** What the decoder reports. `start`/`end` are absolute stream offsets (end exclusive, after the line end). */
export type DteEvent =
  | { type: 'echo'; text: string; start: number; end: number }
  | { type: 'response'; text: string; command?: string; afterFinal?: true; overlong?: true; start: number; end: number }
  | { type: 'final'; text: string; result: FinalResult; start: number; end: number }
  | { type: 'urc'; text: string; id?: string; body?: string; overlong?: true; start: number; end: number }
  | { type: 'prompt'; start: number; end: number }
  | { type: 'data'; bytes: Uint8Array; source: DataSource; complete: boolean; start: number; end: number };

/** Options of the DTE decoder. */
export interface DteDecoderOptions extends ClassifierOptions {
  /** Longest line held while waiting for its end; longer lines are cut (`overlong`). Default 4096. */
  maxLineLength?: number;
  /** Enter transparent data mode after `CONNECT[ <text>]`. Default true. */
  connectEntersData?: boolean;
  /** Largest byte count a line may announce; a larger one is not believed (the line is reported, no data read). Default 65535. */
  maxDataLength?: number;
}

type Mode = { kind: 'lines' } | { kind: 'data'; length: number; source: DataSource } | { kind: 'transparent' };

const CR = 0x0d;
const LF = 0x0a;
const IPD = /^\+IPD,(\d{1,5}):$/;

/** Decodes what a modem sends to the terminal. See the module comment for the rules. */
export class DteDecoder {
  private buf = new Uint8Array(0);
  private pos = 0;
  private base = 0;
  private skipLf = false;
  private mode: Mode = { kind: 'lines' };
  private echo: Uint8Array | undefined;
  private pendingUrc: Extract<DteEvent, { type: 'urc' }> | undefined;
  private readonly classifier: LineClassifier;
  private readonly maxLine: number;
  private readonly maxData: number;

  constructor(private readonly options: DteDecoderOptions = {}) {
    this.classifier = new LineClassifier(options);
    this.maxLine = Math.max(16, options.maxLineLength ?? 4096);
    this.maxData = options.maxDataLength ?? 65535;
  }

  /** A command line was written (as sent, without its terminator): its echo and answers are expected. */
  beginCommand(line: string): void {
    this.classifier.begin(line);
  }

  /** Forgets the command in progress (after a time-out). */
  endCommand(): void {
    this.classifier.end();
  }

  /** The command line in progress, or undefined. */
  get inProgress(): string | undefined {
    return this.classifier.inProgress;
  }

  /** `ATV0`/`ATV1` was sent: result codes are digits or words from now on. */
  setNumeric(numeric: boolean): void {
    this.classifier.setNumeric(numeric);
  }

  /** The next `n` bytes are raw data (a count the caller knows from elsewhere). */
  expectData(n: number, source: DataSource = 'expected'): void {
    if (n > 0) this.mode = { kind: 'data', length: n, source };
  }

  /** Bytes just written after a prompt, which a modem with echo on sends back; matched and reported as `echo`. */
  echoData(bytes: Uint8Array): void {
    this.echo = bytes.length > 0 ? bytes : undefined;
  }

  /** Every byte is data from now on (online data mode) until `leaveTransparent`. */
  enterTransparent(): void {
    this.mode = { kind: 'transparent' };
  }

  /**
   * Back to command mode (after `+++` and its guard time, or DCD dropped). With `awaitResult`
   * (default) the `OK` that follows `+++` is read as the final result of a pseudo command `+++`.
   */
  leaveTransparent(awaitResult = true): void {
    this.mode = { kind: 'lines' };
    if (awaitResult) this.classifier.begin('+++');
  }

  /** `lines`, `data` (a byte count is being read) or `transparent`. */
  get state(): Mode['kind'] {
    return this.mode.kind;
  }

  /** Bytes received but not yet reported. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  /** Absolute offset of the first byte not yet reported. */
  get offset(): number {
    return this.base + this.pos;
  }

  /** Adds received bytes. */
  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.pos === this.buf.length) {
      this.base += this.pos;
      this.buf = chunk.slice();
      this.pos = 0;
      return;
    }
    const rest = this.buf.subarray(this.pos);
    const next = new Uint8Array(rest.length + chunk.length);
    next.set(rest, 0);
    next.set(chunk, rest.length);
    this.base += this.pos;
    this.buf = next;
    this.pos = 0;
  }

  /** Feeds a chunk and returns every event it completes. */
  push(chunk: Uint8Array): DteEvent[] {
    this.feed(chunk);
    const out: DteEvent[] = [];
    for (let e = this.next(); e; e = this.next()) out.push(e);
    return out;
  }

  /** The next complete event, or undefined when more bytes are needed. */
  next(): DteEvent | undefined {
    for (;;) {
      const avail = this.buf.length - this.pos;
      if (this.skipLf && avail > 0) {
        this.skipLf = false;
        if (this.buf[this.pos] === LF) {
          this.pos++;
          continue;
        }
      }
      if (this.mode.kind === 'data') {
        if (this.skipLf || avail < this.mode.length) return undefined;
        return this.takeData(this.mode.length, this.mode.source, true);
      }
      if (this.mode.kind === 'transparent') return avail > 0 && !this.skipLf ? this.takeData(avail, 'transparent', true, false) : undefined;
      if (avail === 0) return undefined;
      if (this.echo) {
        const verdict = this.matchEcho();
        if (verdict === 'wait') return undefined;
        if (verdict) return verdict;
        continue;
      }
      if (!this.pendingUrc && this.classifier.awaitingFinal && this.buf[this.pos] === 0x3e) {
        if (avail < 2) return undefined;
        if (this.buf[this.pos + 1] === 0x20) {
          const start = this.offset;
          this.pos += 2;
          return { type: 'prompt', start, end: start + 2 };
        }
      }
      if (!this.pendingUrc && this.buf[this.pos] === 0x2b) {
        const ipd = this.inlineHeader();
        if (ipd === 'wait') return undefined;
        if (ipd) return ipd;
      }
      let t = this.pos;
      while (t < this.buf.length && this.buf[t] !== CR && this.buf[t] !== LF) t++;
      let overlong = false;
      if (t - this.pos > this.maxLine) {
        t = this.pos + this.maxLine;
        overlong = true;
      } else if (t === this.buf.length) return undefined;
      const text = fromAscii(this.buf.subarray(this.pos, t));
      const start = this.offset;
      this.pos = overlong ? t : t + 1;
      this.skipLf = !overlong && this.buf[t] === CR;
      const end = this.offset;
      if (this.pendingUrc) {
        const urc = { ...this.pendingUrc, body: text, end };
        this.pendingUrc = undefined;
        return urc;
      }
      if (text === '') continue;
      const e = this.lineEvent(text, start, end, overlong);
      if (e) return e;
    }
  }

  /** Ends the stream: whatever is held is reported as it is (a partial line, partial data, a URC without its body). */
  flush(): DteEvent[] {
    const out: DteEvent[] = [];
    for (let e = this.next(); e; e = this.next()) out.push(e);
    const avail = this.buf.length - this.pos;
    const start = this.offset;
    if (avail > 0 && this.mode.kind !== 'lines') {
      out.push(this.takeData(avail, this.mode.kind === 'data' ? this.mode.source : 'transparent', this.mode.kind === 'transparent', this.mode.kind === 'data'));
    } else if (avail > 0) {
      const text = fromAscii(this.buf.subarray(this.pos));
      this.pos = this.buf.length;
      if (this.pendingUrc) {
        out.push({ ...this.pendingUrc, body: text, end: this.offset });
        this.pendingUrc = undefined;
      } else if (this.echo) {
        out.push({ type: 'echo', text, start, end: this.offset });
      } else {
        const e = this.lineEvent(text, start, this.offset, false);
        if (e) out.push(e);
      }
    }
    if (this.pendingUrc) out.push(this.pendingUrc);
    this.pendingUrc = undefined;
    this.echo = undefined;
    this.skipLf = false;
    return out;
  }

  private takeData(length: number, source: DataSource, complete: boolean, backToLines = true): DteEvent {
    const start = this.offset;
    const bytes = this.buf.slice(this.pos, this.pos + length);
    this.pos += length;
    if (backToLines) this.mode = { kind: 'lines' };
    return { type: 'data', bytes, source, complete, start, end: start + length };
  }

  private matchEcho(): DteEvent | 'wait' | undefined {
    const want = this.echo!;
    const avail = this.buf.length - this.pos;
    let k = 0;
    while (k < want.length && k < avail && this.buf[this.pos + k] === want[k]) k++;
    if (k === avail && k < want.length) return 'wait';
    this.echo = undefined;
    if (k === 0) return undefined;
    const start = this.offset;
    const text = fromAscii(this.buf.subarray(this.pos, this.pos + k));
    this.pos += k;
    return { type: 'echo', text, start, end: start + k };
  }

  /** `+IPD,<len>:` followed by its bytes on the same line; 'wait' while the header may still be one. */
  private inlineHeader(): DteEvent | 'wait' | undefined {
    const avail = this.buf.length - this.pos;
    const lead = fromAscii(this.buf.subarray(this.pos, this.pos + Math.min(avail, 5)));
    if (!'+IPD,'.startsWith(lead)) return undefined;
    if (lead.length < 5) return 'wait';
    let k = this.pos + 5;
    while (k < this.buf.length && k < this.pos + 11 && this.buf[k]! >= 0x30 && this.buf[k]! <= 0x39) k++;
    if (k === this.buf.length) return 'wait';
    if (this.buf[k] !== 0x3a || k === this.pos + 5) return undefined;
    const head = fromAscii(this.buf.subarray(this.pos, k + 1));
    const m = IPD.exec(head);
    if (!m) return undefined;
    const start = this.offset;
    this.pos = k + 1;
    const length = Number(m[1]);
    if (length > 0 && length <= this.maxData) this.mode = { kind: 'data', length, source: 'ipd' };
    return { type: 'urc', text: head, id: findUrc(head)?.id ?? 'ipd', start, end: this.offset };
  }

  private lineEvent(text: string, start: number, end: number, overlong: boolean): DteEvent | undefined {
    const c = this.classifier.classify(text);
    const long = overlong ? { overlong: true as const } : {};
    switch (c.kind) {
      case 'echo':
        return { type: 'echo', text, start, end };
      case 'response':
        if (c.data && c.data.length <= this.maxData) this.mode = { kind: 'data', length: c.data.length, source: c.data.source };
        return {
          type: 'response',
          text,
          ...(c.command === undefined ? {} : { command: c.command }),
          ...(c.afterFinal ? { afterFinal: true as const } : {}),
          ...long,
          start,
          end,
        };
      case 'final':
        if (c.result.kind === 'connect' && this.options.connectEntersData !== false) this.mode = { kind: 'transparent' };
        return { type: 'final', text, result: c.result, start, end };
      case 'urc': {
        const e: Extract<DteEvent, { type: 'urc' }> = { type: 'urc', text, ...(c.urc ? { id: c.urc.id } : {}), ...long, start, end };
        if (c.data && c.data.length <= this.maxData) this.mode = { kind: 'data', length: c.data.length, source: c.data.source };
        if (c.urc?.id === 'connect' && this.options.connectEntersData !== false) this.mode = { kind: 'transparent' };
        if (c.body) {
          this.pendingUrc = e;
          return undefined;
        }
        return e;
      }
    }
  }
}
