/**
 * Serves the device side of a captured exchange to a live master on any `Endpoint` (a real port,
 * a pty, or a virtual line on virtual time), so a field capture answers the lab's terminal as the
 * field's device did.
 *
 * - strict: every request must arrive byte for byte as captured; the first difference stops the
 *   replay and is reported with the exchange, the offset in the request, and both bytes.
 * - tolerant: requests are matched by meaning (`match.ts`): the first exchange from the current
 *   one on whose request means the same is answered (then from the start: a master that retries
 *   or polls again is answered again). Requests that match nothing are listed and not answered.
 *
 * An answer goes out with the captured reaction time (first answer byte after the request's last
 * byte, as captured) and at the captured line settings (an IEC readout at 9600 after a request at
 * 300); then the port listens at the settings of the next expected request.
 */
import type { Clock } from '../../core/clock/index.ts';
import { toPrintable } from '../../core/bytes.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import { sameFraming, type LineSettings } from '../../lines/settings.ts';
import { masterFramer, requestKey, type MasterFramer, type MessageKey } from './match.ts';
import { requestBytes, type ReplayScript } from './script.ts';

export type ReplayMode = 'strict' | 'tolerant';

/** Where a strict replay found the master's request different from the capture. */
export interface ReplayMismatch {
  /** Index of the exchange whose request differed. */
  exchange: number;
  /** Offset of the byte in that request. */
  offset: number;
  expected: number;
  got: number;
  /** Clock time the differing byte ended. */
  at: number;
  message: string;
}

/** A line of what the replay did, for a live view. */
export interface ReplayEvent {
  at: number;
  text: string;
}

export interface ReplayResult {
  /** Strict: every exchange played and no mismatch. Tolerant: every exchange answered at least once. */
  ok: boolean;
  /** Answers sent (a tolerant replay may answer an exchange more than once). */
  answered: number;
  exchanges: number;
  mismatch?: ReplayMismatch;
  /** Requests a tolerant replay could not match. */
  unmatched: string[];
}

export interface ReplayOptions {
  clock: Clock;
  endpoint: Endpoint;
  script: ReplayScript;
  mode: ReplayMode;
  /** The port's adapter hears what it sends: drop those bytes. */
  adapterEcho?: boolean;
  onEvent?: (e: ReplayEvent) => void;
}

const byteText = (b: number) => `0x${b.toString(16).padStart(2, '0')} ${toPrintable(Uint8Array.of(b))}`;

export class ReplayDevice {
  /** Strict: resolves after the last answer or at a mismatch. Tolerant: once every exchange was answered (it keeps answering until `stop`). */
  readonly done: Promise<ReplayResult>;
  private resolveDone!: (r: ReplayResult) => void;
  private readonly off: () => void;
  private readonly keys: (MessageKey | undefined)[];
  private readonly expected: Uint8Array[];
  private readonly framer: MasterFramer;
  private readonly answeredOnce = new Set<number>();
  private readonly unmatched: string[] = [];
  private readonly echo: number[] = [];
  private inbox: { bytes: Uint8Array; end: number }[] = [];
  private work: Promise<void> = Promise.resolve();
  private busy = false;
  private cursor = 0;
  private offset = 0;
  private answers = 0;
  private mismatch: ReplayMismatch | undefined;
  private finished = false;

  constructor(private readonly o: ReplayOptions) {
    this.done = new Promise((r) => (this.resolveDone = r));
    const { script } = o;
    this.expected = script.exchanges.map(requestBytes);
    this.keys = this.expected.map((b) => requestKey(script.protocol, b));
    this.framer = masterFramer(script.protocol);
    this.off = o.endpoint.onData((c) => this.onData(c));
    this.work = this.prepare(0).then(() => this.playUnrequested());
  }

  /** Stops listening; resolves with what was done. */
  async stop(): Promise<ReplayResult> {
    this.off();
    await this.work.catch(() => {});
    return this.finish();
  }

  private get strict(): boolean {
    return this.o.mode === 'strict' || this.o.script.protocol === undefined;
  }

  private event(text: string): void {
    this.o.onEvent?.({ at: this.o.clock.now(), text });
  }

  private finish(): ReplayResult {
    const n = this.o.script.exchanges.length;
    const ok = this.mismatch === undefined && (this.strict ? this.cursor >= n : this.o.script.exchanges.every((e, i) => e.request.length === 0 || this.answeredOnce.has(i)));
    const r: ReplayResult = { ok, answered: this.answers, exchanges: n, unmatched: [...this.unmatched], ...(this.mismatch ? { mismatch: this.mismatch } : {}) };
    if (!this.finished) {
      this.finished = true;
      this.off();
      this.resolveDone(r);
    }
    return r;
  }

  /** Listens at the settings of exchange `i`'s request (the first exchange's once past the end). */
  private async prepare(i: number): Promise<void> {
    const ex = this.o.script.exchanges;
    const next = ex[i]?.request[0] ?? ex.find((e) => e.request.length > 0)?.request[0];
    if (next) await this.setSettings(next.settings);
  }

  private async setSettings(s: LineSettings): Promise<void> {
    const ep = this.o.endpoint;
    if (!ep.closed && (!sameFraming(ep.settings, s))) await ep.update(s);
  }

  /** Exchanges whose device spoke first (no request) are played at once, in strict order. */
  private async playUnrequested(): Promise<void> {
    while (this.strict && this.cursor < this.expected.length && this.expected[this.cursor]!.length === 0 && !this.finished) {
      await this.answer(this.cursor, this.o.clock.now());
      this.cursor++;
      await this.prepare(this.cursor);
    }
    if (this.strict && this.cursor >= this.expected.length) this.finish();
  }

  private onData(c: RxChunk): void {
    if (this.finished || c.echo) return;
    let bytes = c.bytes;
    if (this.o.adapterEcho) {
      let n = 0;
      while (n < bytes.length && this.echo.length > 0 && this.echo[0] === bytes[n]) {
        this.echo.shift();
        n++;
      }
      bytes = bytes.subarray(n);
    }
    if (bytes.length === 0) return;
    this.inbox.push({ bytes, end: c.end });
    if (!this.busy) this.work = this.work.then(() => this.drain()).catch((err: unknown) => this.event(`replay stopped: ${String(err)}`));
  }

  private async drain(): Promise<void> {
    this.busy = true;
    try {
      while (this.inbox.length > 0 && !this.finished) {
        const { bytes, end } = this.inbox.shift()!;
        if (this.strict) await this.strictBytes(bytes, end);
        else await this.tolerantBytes(bytes, end);
      }
    } finally {
      this.busy = false;
    }
  }

  private async strictBytes(bytes: Uint8Array, end: number): Promise<void> {
    for (let k = 0; k < bytes.length && !this.finished; k++) {
      const want = this.expected[this.cursor];
      if (want === undefined) {
        this.event(`request byte ${byteText(bytes[k]!)} after the end of the capture`);
        return;
      }
      if (want[this.offset] !== bytes[k]) {
        const message = `exchange ${this.cursor}, offset ${this.offset}: expected ${byteText(want[this.offset]!)}, got ${byteText(bytes[k]!)}`;
        this.mismatch = { exchange: this.cursor, offset: this.offset, expected: want[this.offset]!, got: bytes[k]!, at: end, message };
        this.event(`mismatch: ${message}; replay stopped`);
        this.finish();
        return;
      }
      this.offset++;
      if (this.offset === want.length) {
        this.offset = 0;
        const i = this.cursor;
        this.event(`exchange ${i}: request as captured (${want.length} bytes)`);
        await this.answer(i, end);
        this.cursor++;
        await this.prepare(this.cursor);
        await this.playUnrequested();
        if (this.cursor >= this.expected.length) this.finish();
      }
    }
  }

  private async tolerantBytes(bytes: Uint8Array, end: number): Promise<void> {
    for (const key of this.framer.push(bytes)) {
      const i = this.find(key);
      if (i === undefined) {
        this.unmatched.push(key.text);
        this.event(`request ${key.text}: nothing captured like it; not answered`);
        continue;
      }
      this.event(`request ${key.text}: answered as exchange ${i}`);
      await this.answer(i, end);
      this.answeredOnce.add(i);
      this.cursor = i + 1;
      await this.prepare(this.cursor);
      if (this.o.script.exchanges.every((e, j) => e.request.length === 0 || this.answeredOnce.has(j))) {
        this.resolveDone({ ok: this.mismatch === undefined, answered: this.answers, exchanges: this.expected.length, unmatched: [...this.unmatched] });
      }
    }
  }

  /** The exchange a tolerant replay answers `key` with: exact from the cursor, then from the start; then loose. */
  private find(key: MessageKey): number | undefined {
    const n = this.keys.length;
    const order = [...Array(n).keys()].map((j) => (this.cursor + j) % n);
    for (const exact of [true, false]) {
      for (const j of order) {
        const k = this.keys[j];
        if (!k) continue;
        if (exact ? k.exact === key.exact : k.loose !== undefined && k.loose === key.loose) return j;
      }
    }
    return undefined;
  }

  /** Plays exchange `i`'s answer, the first message `reaction` after `requestEnd`, the rest with their captured gaps. */
  private async answer(i: number, requestEnd: number): Promise<void> {
    const ex = this.o.script.exchanges[i]!;
    const lastRequest = ex.request[ex.request.length - 1];
    let prevEnd = lastRequest?.end;
    let due = requestEnd;
    for (const m of ex.answer) {
      await this.setSettings(m.settings);
      due += prevEnd !== undefined ? Math.max(0, m.t - prevEnd) : 0;
      const wait = due - this.o.clock.now();
      if (wait > 0) await this.o.clock.sleep(wait);
      if (this.o.adapterEcho) this.echo.push(...m.bytes);
      await this.o.endpoint.write(m.bytes);
      due = this.o.clock.now();
      prevEnd = m.end;
    }
    if (ex.answer.length > 0) {
      this.answers++;
      this.event(`exchange ${i}: answered ${ex.answer.reduce((n, m) => n + m.bytes.length, 0)} bytes in ${ex.answer.length} message${ex.answer.length === 1 ? '' : 's'}`);
    }
  }
}
