/**
 * Splits the byte stream of the USB port into lines. A line ends at LF; a CR before it is
 * dropped; empty lines are skipped (a person pressing Enter in a terminal program). A line
 * longer than `MAX_LINE` without an LF is reported once and skipped up to the next LF, so the
 * buffer never holds more than `MAX_LINE` bytes. Offsets count bytes since the framer began.
 */
import { UsbConfigError } from './errors.ts';
import { MAX_LINE, stripEnding } from './line.ts';

export type LineEvent = { kind: 'line'; bytes: Uint8Array; offset: number } | { kind: 'error'; error: UsbConfigError };

export class LineFramer {
  private buf: number[] = [];
  private start = 0;
  private consumed = 0;
  private skipping = false;

  constructor(private readonly maxLine = MAX_LINE) {}

  /** Bytes held for an unfinished line. */
  get pending(): number {
    return this.buf.length;
  }

  /** Takes a chunk (split anywhere); returns the complete lines and faults, in stream order. */
  push(chunk: Uint8Array): LineEvent[] {
    const out: LineEvent[] = [];
    for (const b of chunk) {
      const offset = this.consumed++;
      if (this.buf.length === 0 && !this.skipping) this.start = offset;
      if (b === 0x0a) {
        if (!this.skipping) {
          const bytes = stripEnding(Uint8Array.from(this.buf));
          if (bytes.length) out.push({ kind: 'line', bytes, offset: this.start });
        }
        this.buf = [];
        this.skipping = false;
        continue;
      }
      if (this.skipping) continue;
      this.buf.push(b);
      if (this.buf.length > this.maxLine - 1) {
        out.push({ kind: 'error', error: new UsbConfigError('too-long', `line at offset ${this.start} has no LF within ${this.maxLine} bytes; skipped up to the next LF`, { offset: this.start }) });
        this.buf = [];
        this.skipping = true;
      }
    }
    return out;
  }

  /** Forgets a partial line (the port was reopened). */
  reset(): void {
    this.buf = [];
    this.skipping = false;
  }
}
