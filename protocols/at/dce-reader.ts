/**
 * The DCE side's reader (the emulated modem): bytes from the terminal in, command lines and
 * data blocks out (V.250 §5.2.1–§5.2.2, 27.005 §3.5.1).
 *
 * ```
 *   command state   …junk… A T <body…> S3        →  { type: 'line', text: 'AT<body>' }
 *                   A /                           →  { type: 'repeat' }      (no S3 needed)
 *   data state      <bytes…> 0x1A (Ctrl-Z)        →  { type: 'data', ended: 'ctrl-z' }
 *   (after '> ')    <bytes…> 0x1B (ESC)           →  { type: 'cancelled' }
 *                   <exactly n bytes>             →  { type: 'data', ended: 'length' }
 *                   <maxDataLength bytes, no ^Z>  →  { type: 'data', ended: 'overflow' }
 * ```
 *
 * - Characters before `A`/`a` are ignored; `AT`/`at` (any case mix) starts a line.
 * - S5 (default BS, 0x08) deletes the last character of the body; it never deletes the prefix.
 * - Other control characters are ignored; S3 (default CR) ends the line. A LF after it falls
 *   into the ignored characters before the next `A`.
 * - A body longer than `maxLineLength` is cut and reported with `overflow: true` when S3 comes
 *   (V.250: the DCE answers ERROR).
 * Echo is the emulator's business: `state` tells whether bytes are command characters.
 */
import { fromAscii } from '../../core/bytes.ts';

/** What the reader reports. `start`/`end` are absolute stream offsets (end exclusive). */
export type DceEvent =
  | { type: 'line'; text: string; overflow?: true; start: number; end: number }
  | { type: 'repeat'; start: number; end: number }
  | { type: 'data'; bytes: Uint8Array; ended: 'ctrl-z' | 'length' | 'overflow'; start: number; end: number }
  | { type: 'cancelled'; bytes: Uint8Array; start: number; end: number };

/** Options of the DCE reader. */
export interface DceReaderOptions {
  /** S3, the command line terminator (default 13). */
  s3?: number;
  /** S5, the editing character (default 8). */
  s5?: number;
  /** Longest body kept (default 556, the SIM800 command buffer). */
  maxLineLength?: number;
  /** Most bytes read in Ctrl-Z data mode before giving up with `ended: 'overflow'` (default 65536). */
  maxDataLength?: number;
}

/** How the data after a prompt ends. */
export type DataEnd = { until: 'ctrl-z' } | { length: number };

/** Ctrl-Z (SUB): ends data typed after a prompt and sends it. */
export const CTRL_Z = 0x1a;
/** ESC: abandons data typed after a prompt. */
export const ESC = 0x1b;

type State =
  | { kind: 'hunt' }
  | { kind: 'a'; start: number; prefix: string }
  | { kind: 'line'; start: number; prefix: string; body: string; overflow: boolean }
  | { kind: 'data'; start: number; end: DataEnd; bytes: number[] };

/** Reads command lines and data blocks from the bytes a terminal sends. */
export class DceReader {
  private state: State = { kind: 'hunt' };
  private offset = 0;
  private buf = new Uint8Array(0);
  private pos = 0;
  private s3: number;
  private s5: number;
  private readonly max: number;
  private readonly maxData: number;

  constructor(options: DceReaderOptions = {}) {
    this.s3 = options.s3 ?? 0x0d;
    this.s5 = options.s5 ?? 0x08;
    this.max = options.maxLineLength ?? 556;
    this.maxData = options.maxDataLength ?? 65536;
  }

  /** Applies `ATS3=<n>` (the line terminator). */
  setS3(value: number): void {
    this.s3 = value;
  }

  /** Applies `ATS5=<n>` (the editing character). */
  setS5(value: number): void {
    this.s5 = value;
  }

  /** `command` (reading command characters) or `data` (after a prompt). */
  get mode(): 'command' | 'data' {
    return this.state.kind === 'data' ? 'data' : 'command';
  }

  /** The prompt was sent: the next bytes are data ending with Ctrl-Z (ESC cancels) or after `length` bytes. */
  expectData(end: DataEnd): void {
    if ('length' in end && end.length <= 0) return;
    this.state = { kind: 'data', start: this.offset, end, bytes: [] };
  }

  /** Abandons a data block in progress and returns to command state. */
  cancelData(): void {
    this.state = { kind: 'hunt' };
  }

  /** Bytes received but not yet read. */
  get pending(): number {
    return this.buf.length - this.pos;
  }

  /** Adds received bytes; read events with `next()`. */
  feed(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    const rest = this.buf.subarray(this.pos);
    const next = new Uint8Array(rest.length + chunk.length);
    next.set(rest, 0);
    next.set(chunk, rest.length);
    this.buf = next;
    this.pos = 0;
  }

  /**
   * The next event, or undefined when more bytes are needed. Between two events the caller may
   * switch to data mode (`expectData`) so that the bytes after a prompt are read as data.
   */
  next(): DceEvent | undefined {
    while (this.pos < this.buf.length) {
      const b = this.buf[this.pos++]!;
      const e = this.step(b, this.offset++);
      if (e) return e;
    }
    return undefined;
  }

  /** Feeds bytes; returns the lines and data blocks they complete. */
  push(chunk: Uint8Array): DceEvent[] {
    this.feed(chunk);
    const out: DceEvent[] = [];
    for (let e = this.next(); e; e = this.next()) out.push(e);
    return out;
  }

  private step(b: number, at: number): DceEvent | undefined {
    const s = this.state;
    switch (s.kind) {
      case 'data': {
        if ('until' in s.end) {
          if (b === CTRL_Z || b === ESC) {
            this.state = { kind: 'hunt' };
            const bytes = Uint8Array.from(s.bytes);
            return b === CTRL_Z ? { type: 'data', bytes, ended: 'ctrl-z', start: s.start, end: at + 1 } : { type: 'cancelled', bytes, start: s.start, end: at + 1 };
          }
          s.bytes.push(b);
          if (s.bytes.length < this.maxData) return undefined;
          this.state = { kind: 'hunt' };
          return { type: 'data', bytes: Uint8Array.from(s.bytes), ended: 'overflow', start: s.start, end: at + 1 };
        }
        s.bytes.push(b);
        if (s.bytes.length < s.end.length) return undefined;
        this.state = { kind: 'hunt' };
        return { type: 'data', bytes: Uint8Array.from(s.bytes), ended: 'length', start: s.start, end: at + 1 };
      }
      case 'hunt':
        if (b === 0x41 || b === 0x61) this.state = { kind: 'a', start: at, prefix: String.fromCharCode(b) };
        return undefined;
      case 'a':
        if (b === 0x54 || b === 0x74) this.state = { kind: 'line', start: s.start, prefix: s.prefix + String.fromCharCode(b), body: '', overflow: false };
        else if (b === 0x2f) {
          this.state = { kind: 'hunt' };
          return { type: 'repeat', start: s.start, end: at + 1 };
        } else if (b === 0x41 || b === 0x61) this.state = { kind: 'a', start: at, prefix: String.fromCharCode(b) };
        else this.state = { kind: 'hunt' };
        return undefined;
      case 'line':
        if (b === this.s3) {
          this.state = { kind: 'hunt' };
          return { type: 'line', text: s.prefix + s.body, ...(s.overflow ? { overflow: true as const } : {}), start: s.start, end: at + 1 };
        }
        if (b === this.s5) {
          s.body = s.body.slice(0, -1);
          return undefined;
        }
        if (b < 0x20 || b === 0x7f) return undefined;
        if (s.body.length >= this.max) s.overflow = true;
        else s.body += fromAscii(Uint8Array.of(b));
        return undefined;
    }
  }
}
