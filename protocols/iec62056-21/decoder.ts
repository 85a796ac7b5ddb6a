/**
 * Streaming decoder: bytes in, in chunks of any size split anywhere; typed frames and precise
 * errors out, each with its offsets in the stream. It never throws on input. After an error it
 * hunts for the next frame start (`/`, ACK, NAK, STX, SOH); a byte that ended a frame early and
 * is itself a frame start begins the next frame, so nothing decodable is lost.
 *
 * Which side the decoder listens to matters for one thing only: a lone ACK. The meter sends only
 * bare ACKs; the master sends the option select `ACK V Z Y CR LF` after an identification and
 * bare ACKs in programming mode. `side: 'meter'` emits every ACK at once; `side: 'master'`
 * emits it at once in programming mode (known from the master's own frames) and otherwise waits
 * for the next byte; `side: 'auto'` always waits. `flush()` ends a wait (call it on line silence
 * or at the end of a trace).
 */
import { ACK, CR, EOT, ETX, LF, NAK, SOH, STX, toPrintable } from '../../core/bytes.ts';
import { isDigit, isPrintable } from './ascii.ts';
import { xorBytes } from './bcc.ts';
import { ByteBuffer } from './byte-buffer.ts';
import { decodeCommand } from './command.ts';
import { READOUT_END, decodeDataMessage, decodeReadout } from './data-message.ts';
import { Iec62056Error, bccMismatch, unexpectedByte } from './errors.ts';
import { decoderLimits, type DecoderLimits, type DecoderOptions, type DecoderSide, type MasterPhase } from './decoder-options.ts';
import type { DecoderEvent, Frame, Message } from './frames.ts';
import { GapCollector } from './gap.ts';
import { decodeIdentification } from './identification.ts';
import { decodeOptionSelect } from './option-select.ts';
import { MAX_REQUEST_LENGTH, decodeRequest } from './request.ts';

export type { DecoderOptions, DecoderSide, MasterPhase } from './decoder-options.ts';

type State = 'hunt' | 'line' | 'ack-pending' | 'option-select' | 'command-header' | 'body' | 'bcc';
const FRAME_STARTS = new Set([0x2f, ACK, NAK, STX, SOH]);
const MAX_ESCAPES = 8;

export class Iec62056Decoder {
  readonly side: DecoderSide;
  private readonly opts: DecoderLimits;
  private phase: MasterPhase;
  private pos: number;
  private state: State = 'hunt';
  private frameStart = 0;
  private readonly buf = new ByteBuffer();
  private readonly raw = new ByteBuffer();
  private lineLength = 0;
  private events: DecoderEvent[] = [];
  private readonly gap = new GapCollector();

  constructor(options: DecoderOptions = {}) {
    this.side = options.side ?? 'auto';
    this.opts = decoderLimits(options);
    this.pos = options.startOffset ?? 0;
    this.phase = options.masterPhase ?? 'sign-on';
  }

  /** Offset of the next byte to be pushed. */
  get offset(): number {
    return this.pos;
  }

  /** Tells the decoder the master's phase (an emulated meter that knows better). */
  setMasterPhase(phase: MasterPhase): void {
    this.phase = phase;
  }

  /** Decodes `chunk`; returns the frames and errors it completed, in stream order. */
  push(chunk: Uint8Array): DecoderEvent[] {
    for (const rawByte of chunk) {
      const off = this.pos++;
      if (rawByte > 0x7f && this.opts.parity === 'error') this.highByte(rawByte, off);
      else {
        const b = rawByte & 0x7f;
        if (!this.step(b, rawByte, off)) this.step(b, rawByte, off);
      }
    }
    return this.take();
  }

  /** Ends what is pending: a waiting ACK, a run of NULs or skipped bytes, a frame cut short. */
  flush(): DecoderEvent[] {
    if (this.state === 'ack-pending') this.emitFrame({ kind: 'ack' });
    else if (this.state !== 'hunt') {
      this.error(new Iec62056Error('truncated', this.pos, `frame started at offset ${this.frameStart} is cut short at offset ${this.pos} in state ${this.stateName()} after ${this.buf.length} bytes`, { frameStart: this.frameStart, state: this.stateName(), length: this.buf.length }));
    }
    this.toHunt();
    this.gap.end(this.events);
    return this.take();
  }

  private take(): DecoderEvent[] {
    const out = this.events;
    this.events = [];
    return out;
  }

  private stateName(): string {
    if (this.state === 'line') return this.buf.at(1) === 0x3f ? 'request' : 'identification';
    if (this.state === 'body') return this.buf.at(0) === SOH ? 'command-body' : 'data-body';
    return this.state;
  }

  /** One byte; false when the byte was not consumed and must be stepped again (in hunt). */
  private step(b: number, rawByte: number, off: number): boolean {
    switch (this.state) {
      case 'hunt':
        return this.hunt(b, rawByte, off);
      case 'line':
        return this.line(b, rawByte, off);
      case 'ack-pending':
        if (!isDigit(b)) {
          this.emitFrame({ kind: 'ack' });
          this.toHunt();
          return false;
        }
        this.state = 'option-select';
        this.add(b, rawByte);
        return true;
      case 'option-select':
        return this.optionSelect(b, rawByte);
      case 'command-header':
        return this.commandHeader(b, rawByte, off);
      case 'body':
        return this.body(b, rawByte, off);
      case 'bcc':
        this.add(b, rawByte);
        this.completeBlock();
        return true;
    }
  }

  private hunt(b: number, rawByte: number, off: number): boolean {
    if (b === 0) {
      this.gap.nul(rawByte, off, this.events);
      return true;
    }
    if (!FRAME_STARTS.has(b)) {
      this.gap.skip(rawByte, off, false, this.events);
      return true;
    }
    this.gap.end(this.events);
    this.frameStart = off;
    this.buf.clear();
    this.raw.clear();
    this.lineLength = 0;
    this.add(b, rawByte);
    if (b === NAK) return this.emitAndHunt({ kind: 'nak' });
    if (b === ACK) {
      const immediate = this.side === 'meter' || (this.side === 'master' && this.phase === 'programming');
      if (immediate) return this.emitAndHunt({ kind: 'ack' });
      this.state = 'ack-pending';
    } else if (b === 0x2f) this.state = 'line';
    else if (b === STX) this.state = 'body';
    else this.state = 'command-header';
    return true;
  }

  private line(b: number, rawByte: number, off: number): boolean {
    const prev = this.buf.last();
    if (prev === CR) {
      if (b !== LF) return this.abort(new Iec62056Error('missing-crlf', off, `CR at offset ${off - 1} is not followed by LF in state ${this.stateName()} (got ${toPrintable(Uint8Array.of(b))})`, { frameStart: this.frameStart, state: this.stateName(), byte: b }), b);
      this.add(b, rawByte);
      return this.completeLine();
    }
    if (b === LF) return this.abort(new Iec62056Error('missing-crlf', off, `LF at offset ${off} without CR before it in state ${this.stateName()}`, { frameStart: this.frameStart, state: this.stateName(), byte: b }), b);
    if (b !== CR && !isPrintable(b)) {
      if (FRAME_STARTS.has(b)) return this.abort(new Iec62056Error('missing-crlf', off, `${this.stateName()} line started at offset ${this.frameStart} has no CR LF: byte ${toPrintable(Uint8Array.of(b))} at offset ${off} starts another frame`, { frameStart: this.frameStart, state: this.stateName(), byte: b }), b);
      return this.abort(unexpectedByte(off, b, this.stateName(), 'a printable character or CR LF', { frameStart: this.frameStart }), b);
    }
    if (b === 0x2f) return this.abort(new Iec62056Error('missing-crlf', off, `${this.stateName()} line started at offset ${this.frameStart} has no CR LF: '/' at offset ${off} starts another frame`, { frameStart: this.frameStart, state: this.stateName(), byte: b }), b);
    const limit = this.buf.at(1) === 0x3f ? MAX_REQUEST_LENGTH : 5 + 2 * MAX_ESCAPES + this.opts.maxIdentLength + 2;
    if (this.buf.length + (b === CR ? 2 : 3) > limit) {
      return this.abort(new Iec62056Error('line-too-long', off, `${this.stateName()} line started at offset ${this.frameStart} is longer than ${limit} bytes at offset ${off}`, { frameStart: this.frameStart, state: this.stateName(), length: this.buf.length + 1 }), b);
    }
    this.add(b, rawByte);
    return true;
  }

  private completeLine(): boolean {
    const bytes = this.buf.bytes();
    let msg: Message;
    try {
      if (bytes[1] === 0x3f) {
        msg = { kind: 'request', ...decodeRequest(bytes, this.frameStart) };
        this.phase = 'sign-on';
      } else msg = { kind: 'identification', ...decodeIdentification(bytes, this.frameStart, this.opts.maxIdentLength) };
    } catch (e) {
      return this.failFrame(e);
    }
    return this.emitAndHunt(msg);
  }

  private optionSelect(b: number, rawByte: number): boolean {
    this.add(b, rawByte);
    const n = this.buf.length;
    const ok = n === 3 ? isDigit(b) : n === 4 ? isDigit(b) || (b >= 0x41 && b <= 0x5a) : n === 5 ? b === CR : b === LF;
    if (!ok || n === 6) {
      try {
        const msg = decodeOptionSelect(this.buf.bytes(), this.frameStart);
        this.phase = msg.modeControl === '1' ? 'programming' : 'sign-on';
        return this.emitAndHunt({ kind: 'option-select', ...msg });
      } catch (e) {
        this.toHunt();
        this.error(e as Iec62056Error);
        return !FRAME_STARTS.has(b);
      }
    }
    return true;
  }

  private commandHeader(b: number, rawByte: number, off: number): boolean {
    const n = this.buf.length;
    const ok = n === 1 ? 'PWREB'.includes(String.fromCharCode(b)) : n === 2 ? isDigit(b) : b === STX || b === ETX || b === EOT;
    if (!ok) {
      const expected = n === 1 ? 'a command identifier P, W, R, E or B' : n === 2 ? 'a command type digit' : 'STX, ETX or EOT';
      return this.abort(unexpectedByte(off, b, 'command-header', expected, { frameStart: this.frameStart }), b);
    }
    this.add(b, rawByte);
    if (n === 3) this.state = b === STX ? 'body' : 'bcc';
    return true;
  }

  private body(b: number, rawByte: number, off: number): boolean {
    if (b === ETX || b === EOT) {
      this.add(b, rawByte);
      this.state = 'bcc';
      return true;
    }
    if (!isPrintable(b) && b !== CR && b !== LF) {
      return this.abort(unexpectedByte(off, b, this.stateName(), 'a printable character, CR, LF, ETX or EOT', { frameStart: this.frameStart }), b);
    }
    this.lineLength = b === LF ? 0 : this.lineLength + (b === CR ? 0 : 1);
    if (this.lineLength > this.opts.maxLineLength) {
      return this.abort(new Iec62056Error('line-too-long', off, `line in the ${this.stateName()} of the frame at offset ${this.frameStart} exceeds ${this.opts.maxLineLength} characters at offset ${off}`, { frameStart: this.frameStart, state: this.stateName(), length: this.lineLength }), b);
    }
    if (this.buf.length + 2 > this.opts.maxFrameBytes) {
      return this.abort(new Iec62056Error('frame-too-long', off, `frame at offset ${this.frameStart} exceeds ${this.opts.maxFrameBytes} bytes at offset ${off}`, { frameStart: this.frameStart, state: this.stateName(), length: this.buf.length + 1 }), b);
    }
    this.add(b, rawByte);
    return true;
  }

  /** The BCC byte has arrived: check it and emit the frame, or the error with the candidate. */
  private completeBlock(): void {
    const bytes = this.buf.bytes();
    const n = bytes.length;
    const computed = xorBytes(bytes, 1, n - 1);
    const got = bytes[n - 1]!;
    bytes[n - 1] = computed;
    let msg: Message;
    try {
      msg = this.blockMessage(bytes);
    } catch (e) {
      this.failFrame(e);
      return;
    }
    if (got !== computed) {
      const candidate = this.frameOf(msg);
      this.toHunt();
      this.error(bccMismatch(this.frameStart + n - 1, got, computed, { frameStart: candidate.start, state: 'bcc', candidate }));
      return;
    }
    if (this.side !== 'meter' && (msg.kind === 'command' || msg.kind === 'break')) this.phase = msg.kind === 'break' ? 'sign-on' : 'programming';
    this.emitAndHunt(msg);
  }

  private blockMessage(bytes: Uint8Array): Message {
    if (bytes[0] === SOH) {
      const cmd = decodeCommand(bytes, this.frameStart);
      return cmd.command === 'B' && cmd.data === undefined ? { kind: 'break', type: cmd.type } : { kind: 'command', ...cmd };
    }
    const isReadout = bytes[bytes.length - 2] === ETX && endsWith(bytes, bytes.length - 2, READOUT_END);
    return isReadout ? { kind: 'readout', ...decodeReadout(bytes, this.frameStart) } : { kind: 'data', ...decodeDataMessage(bytes, this.frameStart) };
  }

  private highByte(rawByte: number, off: number): void {
    if (this.state === 'hunt') {
      this.gap.skip(rawByte, off, true, this.events);
      return;
    }
    if (this.state === 'ack-pending') {
      this.emitFrame({ kind: 'ack' });
      this.toHunt();
      this.highByte(rawByte, off);
      return;
    }
    const state = this.stateName();
    this.toHunt();
    this.error(new Iec62056Error('parity-bit', off, `byte 0x${rawByte.toString(16)} at offset ${off} in state ${state} has bit 7 set: IEC 62056-21 characters are 7-bit (a 7E1 line read as 8N1?)`, { frameStart: this.frameStart, state, byte: rawByte }));
  }

  private add(b: number, rawByte: number): void {
    this.buf.push(b);
    this.raw.push(rawByte);
  }

  private frameOf(msg: Message): Frame {
    return { ...msg, start: this.frameStart, end: this.frameStart + this.raw.length, raw: this.raw.bytes() } as Frame;
  }

  private emitFrame(msg: Message): void {
    this.events.push({ type: 'frame', frame: this.frameOf(msg) });
  }

  private emitAndHunt(msg: Message): true {
    this.emitFrame(msg);
    this.toHunt();
    return true;
  }

  private error(error: Iec62056Error): void {
    this.events.push({ type: 'error', error });
  }

  private failFrame(e: unknown): true {
    if (!(e instanceof Iec62056Error)) throw e;
    this.toHunt();
    this.error(e);
    return true;
  }

  /** Drops the frame under assembly; the byte is consumed unless it starts another frame. */
  private abort(error: Iec62056Error, b: number): boolean {
    this.toHunt();
    this.error(error);
    return !FRAME_STARTS.has(b);
  }

  private toHunt(): void {
    this.state = 'hunt';
    this.buf.clear();
    this.raw.clear();
  }
}

function endsWith(bytes: Uint8Array, end: number, text: string): boolean {
  if (end < text.length + 1) return false;
  for (let i = 0; i < text.length; i++) if (bytes[end - text.length + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** Decodes a whole buffer at once (a capture): the events of push + flush. */
export function decodeAll(bytes: Uint8Array, options: DecoderOptions = {}): DecoderEvent[] {
  const d = new Iec62056Decoder(options);
  return [...d.push(bytes), ...d.flush()];
}
