/**
 * The terminal's Modbus RTU master on one serial line (an `Endpoint`), timed by the `Clock`.
 *
 *   ──┬ request ┬── response time-out ──────────────────────────────┬──
 *     │ t3.5 ◄──┘ answer must start within it      answer ends:       │
 *  line quiet                                      · expected length  │ (at once, as a real master)
 *                                                  · or t3.5 silence  │ (unknown length, broken frame)
 *
 * - Before each request the line must have been quiet for t3.5 (the inter-frame delay): after
 *   the last byte heard or sent, and after bytes still on their way.
 * - An answer is taken as soon as the bytes its request implies have arrived and decode (the
 *   function's length, or 5 for an exception): the master does not wait out the t3.5 after it.
 *   Frames are also cut at t3.5 silences (`QuietDetector`); a frame of unknown or wrong length
 *   is judged when it is cut.
 * - A silence longer than t1.5 inside a frame breaks it (`strictInterChar`, on by default; turn
 *   it off for OS ports that deliver bytes in batches and cannot time them).
 * - Outcomes: `ok`, `exception` (code), `no-answer`, `crc-error`, `partial` (a silence inside
 *   the answer, or an answer that stopped short), `collision` (UART-flagged bytes), `mismatch`
 *   (frames that do not answer the request). After a broken answer the try ends once the line
 *   has been quiet for `settleMs`, so the rest of a split answer cannot collide with a retry.
 * - Retries: `retries` more tries (default 2) after any outcome but `ok` and `exception`.
 * - Frames heard between exchanges are kept as strays and handed to the next exchange (a
 *   second device answering on the same address shows this way when it does not overlap).
 *
 * Why not the `modbus-serial` package: it drives its own port objects (a serialport-like stream
 * with open/close/isOpen), times responses with global `setTimeout` (which a virtual clock cannot
 * move), frames answers by length only (no t3.5 / t1.5 silences, no UART error or collision
 * flags), and reports one error type for CRC, length and time-out. Adapting an `Endpoint` to it
 * would keep none of what the master must tell apart, so the master is written on the shared
 * pure codec (`protocols/modbus-rtu`) instead.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { concatBytes, toHex } from '../../core/bytes.ts';
import { CancelledError, InputError } from '../../core/errors.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import { modbusFrameGapMs, QuietDetector, type GapFrame } from '../../lines/quiet.ts';
import { charTimeMs, MODBUS_DEFAULT, sameFraming, type LineSettings } from '../../lines/settings.ts';
import {
  decodeResponse, encodeRequest, EXCEPTION_FRAME_LENGTH, exceptionName, expectedResponseLength, isException, ModbusError,
  type ModbusRequest, type RequestFrame,
} from '../../protocols/modbus-rtu/index.ts';
import type { Attempt, Exchange, ExchangeOutcome, StrayFrame } from './outcome.ts';

export interface ModbusMasterOptions {
  endpoint: Endpoint;
  clock: Clock;
  /** UART settings of the Modbus line (default 9600 8N1); set on the port before an exchange when it differs. */
  settings?: LineSettings;
  /** How long after its request an answer may start (ms, default 1000). */
  responseTimeoutMs?: number;
  /** Further tries after a failed one (default 2). */
  retries?: number;
  /** Quiet time after a broken answer before the try ends (ms, default max(20, 5 × t3.5)). */
  settleMs?: number;
  /** A silence over t1.5 inside a frame breaks it (default true). */
  strictInterChar?: boolean;
}

/** Slack for float rounding of epoch-scale clock times. */
const TOLERANCE_MS = 0.001;
const MAX_STRAYS = 16;

interface Pending {
  bytes: number[];
  start: number;
  end: number;
  /** A silence longer than t1.5 (and shorter than t3.5) inside the frame. */
  t15: boolean;
  flagged: boolean;
}

interface Broken {
  why: 'collision' | 't15' | 'crc' | 'layout';
  bytes: Uint8Array;
  text: string;
}

interface Listener {
  onBytes(p: Pending): void;
  onFrame(f: GapFrame, t15: boolean): void;
}

export class ModbusMaster {
  readonly settings: LineSettings;
  readonly responseTimeoutMs: number;
  readonly retries: number;
  /** Request frames put on the line so far. */
  requestsSent = 0;
  private readonly clock: Clock;
  private readonly endpoint: Endpoint;
  private readonly strict: boolean;
  private readonly settleOption: number | undefined;
  private readonly detector: QuietDetector;
  private readonly unsubscribe: () => void;
  private lastActivity = Number.NEGATIVE_INFINITY;
  private pending: Pending | undefined;
  private listener: Listener | undefined;
  private consumed: { start: number; end: number } | undefined;
  private strays: StrayFrame[] = [];
  private busy = false;

  constructor(o: ModbusMasterOptions) {
    this.clock = o.clock;
    this.endpoint = o.endpoint;
    this.settings = { ...(o.settings ?? MODBUS_DEFAULT) };
    this.responseTimeoutMs = o.responseTimeoutMs ?? 1000;
    this.retries = Math.max(0, Math.floor(o.retries ?? 2));
    this.strict = o.strictInterChar ?? true;
    this.settleOption = o.settleMs;
    const ep = o.endpoint;
    // The detector hears the line without this end's own echo; it subscribes first, so a frame
    // it closes on a new chunk is judged before `pending` moves on to that chunk.
    const rx: Endpoint = {
      id: ep.id, line: ep.line, get settings() { return ep.settings; }, get closed() { return ep.closed; },
      write: (b) => ep.write(b), update: (s) => ep.update(s), close: () => ep.close(), incomingUntil: () => ep.incomingUntil(),
      onData: (l: (c: RxChunk) => void) => ep.onData((c) => { if (!c.echo) l(c); }),
    };
    this.detector = new QuietDetector(rx, o.clock, () => this.gapMs, (f) => this.onGapFrame(f));
    this.unsubscribe = ep.onData((c) => this.onChunk(c));
  }

  /** t3.5 of the line at its current settings (ms). */
  get gapMs(): number {
    return modbusFrameGapMs(this.endpoint.settings);
  }

  /** t1.5 of the line (ms); fixed at 0.75 ms above 19200 baud. */
  get interCharMs(): number {
    const s = this.endpoint.settings;
    return s.baudRate > 19200 ? 0.75 : 1.5 * charTimeMs(s);
  }

  get settleMs(): number {
    return this.settleOption ?? Math.max(20, 5 * this.gapMs);
  }

  dispose(): void {
    this.detector.dispose();
    this.unsubscribe();
  }

  /**
   * Sends `request` to `slave` (1..247) and waits for its answer, with retries. Never rejects for
   * what happens on the line (that is the outcome); rejects with an InputError for a request the
   * codec refuses, a `CancelledError` when `signal` aborts between tries, and when the port fails.
   */
  async execute(slave: number, request: ModbusRequest, signal?: AbortSignal): Promise<Exchange> {
    if (!Number.isInteger(slave) || slave < 1 || slave > 247) throw new InputError('modbus master', `slave address ${slave} is outside 1..247 (broadcast is not used for reads)`);
    const frame = encodeRequest(slave, request);
    if (this.busy) throw new InputError('modbus master', `${this.endpoint.id}: one exchange at a time`);
    this.busy = true;
    try {
      if (!sameFraming(this.endpoint.settings, this.settings)) await this.endpoint.update(this.settings);
      await this.quietLine();
      const before = this.takeStrays();
      const attempts: Attempt[] = [];
      for (let i = 0; i <= this.retries; i++) {
        if (signal?.aborted) throw new CancelledError(`modbus exchange with ${slave} aborted`);
        if (i > 0) await this.quietLine();
        const a = await this.tryOnce({ slave, request }, frame);
        attempts.push(a);
        if (a.outcome.kind === 'ok' || a.outcome.kind === 'exception') break;
      }
      const last = attempts[attempts.length - 1]!;
      return { slave, outcome: last.outcome, attempts, start: attempts[0]!.requestStart, end: last.end, strays: [...before, ...this.takeStrays()] };
    } finally {
      this.busy = false;
    }
  }

  /** Frames heard since the last exchange began (and not yet handed to one), oldest first. */
  takeStrays(): StrayFrame[] {
    const s = this.strays;
    this.strays = [];
    return s;
  }

  /** Waits until the line has been quiet for t3.5 (and nothing is on its way). */
  async quietLine(): Promise<void> {
    for (;;) {
      const last = Math.max(this.lastActivity, this.endpoint.incomingUntil(), this.pending?.end ?? Number.NEGATIVE_INFINITY);
      const wait = last + this.gapMs - this.clock.now();
      if (wait <= TOLERANCE_MS) return;
      await this.clock.sleep(wait);
    }
  }

  private onChunk(c: RxChunk): void {
    if (c.end > this.lastActivity) this.lastActivity = c.end;
    if (c.echo || c.bytes.length === 0) return;
    const p = this.pending;
    if (!p || c.start - p.end >= this.gapMs - TOLERANCE_MS) {
      this.pending = { bytes: [...c.bytes], start: c.start, end: c.end, t15: false, flagged: c.collision === true || (c.errors?.length ?? 0) > 0 };
    } else {
      if (c.start - p.end > this.interCharMs + TOLERANCE_MS) p.t15 = true;
      for (const b of c.bytes) p.bytes.push(b);
      p.end = c.end;
      if (c.collision || c.errors?.length) p.flagged = true;
    }
    this.listener?.onBytes(this.pending!);
  }

  private onGapFrame(f: GapFrame): void {
    const t15 = this.pending !== undefined && this.pending.start === f.start && this.pending.t15;
    const c = this.consumed;
    if (c && c.start === f.start && c.end === f.end) {
      this.consumed = undefined;
      return;
    }
    if (this.listener) {
      this.listener.onFrame(f, t15);
      return;
    }
    this.keepStray(f);
  }

  private keepStray(f: GapFrame): void {
    let from: StrayFrame['from'];
    if (!f.collision && f.errors.length === 0) {
      try {
        const r = decodeResponse(f.bytes);
        from = { slave: r.slave, fn: r.response.fn };
      } catch {
        // not a valid response frame: kept as bytes
      }
    }
    this.strays.push({ bytes: f.bytes, start: f.start, end: f.end, collision: f.collision || f.errors.length > 0, ...(from ? { from } : {}) });
    if (this.strays.length > MAX_STRAYS) this.strays.shift();
  }

  /** One request on the line and the wait for its answer. */
  private tryOnce(expected: RequestFrame, frame: Uint8Array): Promise<Attempt> {
    const { clock } = this;
    const normalLength = expectedResponseLength(expected.request);
    const broken: Broken[] = [];
    const foreign: GapFrame[] = [];
    let heardStart: number | undefined;
    let heardEnd: number | undefined;
    let requestStart = clock.now();
    let requestEnd = Number.POSITIVE_INFINITY;
    let deadline: Timer | undefined;
    let settle: Timer | undefined;
    let done = false;
    let resolve!: (a: Attempt) => void;
    let reject!: (e: unknown) => void;
    const result = new Promise<Attempt>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    const label = `modbus ${this.endpoint.id} slave ${expected.slave}`;

    const finish = (outcome: ExchangeOutcome): void => {
      if (done) return;
      done = true;
      deadline?.cancel();
      settle?.cancel();
      this.listener = undefined;
      resolve({
        outcome, requestStart, requestEnd: Number.isFinite(requestEnd) ? requestEnd : clock.now(),
        ...(heardStart !== undefined ? { answerStart: heardStart } : {}),
        ...(heardEnd !== undefined ? { answerEnd: heardEnd } : {}),
        end: clock.now(),
      });
    };
    const lengthFor = (bytes: ArrayLike<number>): number | undefined => ((bytes[1] ?? 0) & 0x80 ? EXCEPTION_FRAME_LENGTH : normalLength);
    const judge = (bytes: Uint8Array): ExchangeOutcome | ModbusError => {
      try {
        const r = decodeResponse(bytes, expected);
        if (isException(r.response)) {
          const code = r.response.exception;
          return { kind: 'exception', code, text: `exception ${code} (${exceptionName(code)}) for function ${r.response.fn}`, frame: bytes };
        }
        return { kind: 'ok', response: r.response, frame: bytes };
      } catch (e) {
        if (e instanceof ModbusError) return e;
        throw e;
      }
    };
    /** Until when the line is still busy: bytes on their way, or a frame of this try not yet cut by its t3.5. */
    const lineBusy = (): number | undefined => {
      const incoming = this.endpoint.incomingUntil();
      if (incoming > clock.now()) return incoming;
      const p = this.pending;
      if (p && p.end >= requestEnd && p.end + this.gapMs > clock.now() + TOLERANCE_MS) return p.end + this.gapMs;
      return undefined;
    };
    const armSettle = (from: number): void => {
      settle?.cancel();
      settle = clock.setTimer(from + this.settleMs - clock.now(), () => {
        const busy = lineBusy();
        if (busy !== undefined) armSettle(busy);
        else finish(classify());
      }, `${label}: settle after a broken answer`);
    };
    const onDeadline = (): void => {
      if (broken.length > 0) return; // the settle timer decides
      const busy = lineBusy();
      if (busy !== undefined) {
        deadline = clock.setTimer(busy + this.gapMs + TOLERANCE_MS - clock.now(), onDeadline, `${label}: answer on its way`);
        return;
      }
      if (foreign.length > 0) {
        const bytes = concatBytes(foreign.map((f) => f.bytes));
        finish({ kind: 'mismatch', text: `no answer from slave ${expected.slave}; heard ${foreign.length} frame${foreign.length === 1 ? '' : 's'} for others: ${toHex(bytes)}`, bytes });
      } else finish({ kind: 'no-answer', text: `no answer within ${this.responseTimeoutMs} ms` });
    };
    const classify = (): ExchangeOutcome => {
      const bytes = concatBytes(broken.map((b) => b.bytes));
      const hex = toHex(bytes);
      if (broken.some((b) => b.why === 'collision')) return { kind: 'collision', text: `${bytes.length} bytes with UART errors or a collision: ${hex}`, bytes };
      if (broken.length > 1 || broken.some((b) => b.why === 't15')) {
        return { kind: 'partial', text: `answer broken by a silence into ${broken.length > 1 ? `${broken.length} frames` : 'two parts (t1.5)'} (${broken.map((b) => b.bytes.length).join(' + ')} bytes): ${hex}`, bytes, fragments: broken.map((b) => b.bytes) };
      }
      const one = broken[0]!;
      const want = lengthFor(one.bytes);
      if (one.why === 'crc' && want !== undefined && one.bytes.length < want) {
        return { kind: 'partial', text: `answer stopped after ${one.bytes.length} of ${want} bytes: ${hex}`, bytes, fragments: [one.bytes] };
      }
      if (one.why === 'crc' && (want === undefined || one.bytes.length === want)) return { kind: 'crc-error', text: `${one.text}: ${hex}`, bytes };
      return { kind: 'mismatch', text: `${one.text}: ${hex}`, bytes };
    };

    this.listener = {
      onBytes: (p) => {
        if (done || p.start < requestEnd) return;
        heardStart ??= p.start;
        heardEnd = p.end;
        if (p.flagged || (this.strict && p.t15)) return;
        const want = p.bytes.length >= 2 ? lengthFor(p.bytes) : undefined;
        if (want === undefined || p.bytes.length !== want) return;
        const verdict = judge(Uint8Array.from(p.bytes));
        if (verdict instanceof ModbusError) return; // judged again when the frame is cut
        this.consumed = { start: p.start, end: p.end };
        finish(verdict);
      },
      onFrame: (f, t15) => {
        if (done || f.start < requestEnd) return;
        heardStart ??= f.start;
        heardEnd = f.end;
        if (f.collision || f.errors.length > 0) {
          broken.push({ why: 'collision', bytes: f.bytes, text: 'collision' });
          return armSettle(f.end);
        }
        if (this.strict && t15) {
          broken.push({ why: 't15', bytes: f.bytes, text: 'silence over t1.5 inside the frame' });
          return armSettle(f.end);
        }
        const verdict = judge(f.bytes);
        if (!(verdict instanceof ModbusError)) return finish(verdict);
        if (verdict.reason === 'mismatch' && verdict.slave !== undefined && verdict.slave !== expected.slave) {
          foreign.push(f);
          this.keepStray(f);
          return;
        }
        broken.push({ why: verdict.reason === 'crc' ? 'crc' : 'layout', bytes: f.bytes, text: verdict.detail });
        armSettle(f.end);
      },
    };
    requestStart = clock.now();
    this.requestsSent++;
    this.endpoint.write(frame).then(
      () => {
        requestEnd = clock.now();
        if (requestEnd > this.lastActivity) this.lastActivity = requestEnd;
        if (!done) deadline = clock.setTimer(this.responseTimeoutMs, onDeadline, `${label}: response time-out`);
      },
      (err: unknown) => {
        done = true;
        this.listener = undefined;
        reject(err);
      },
    );
    return result;
  }
}
