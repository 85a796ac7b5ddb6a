/**
 * What lies between frames: runs of NUL characters (the wake-up of battery-operated meters,
 * reported as `wakeup` frames) and bytes that start no frame (reported as one error per run,
 * `parity-bit` when the run holds bytes with bit 7 set, else `skipped-bytes`).
 */
import { toPrintable } from '../../core/bytes.ts';
import { ByteBuffer } from './byte-buffer.ts';
import { Iec62056Error } from './errors.ts';
import type { DecoderEvent } from './frames.ts';

export class GapCollector {
  private nulStart = -1;
  private readonly nulRaw = new ByteBuffer();
  private skipStart = -1;
  private readonly skipped = new ByteBuffer();
  private highAt = -1;
  private highCount = 0;

  /** A NUL (after parity stripping) at `off`; `rawByte` as received. */
  nul(rawByte: number, off: number, out: DecoderEvent[]): void {
    this.endSkipRun(out);
    if (this.nulRaw.length === 0) this.nulStart = off;
    this.nulRaw.push(rawByte);
  }

  /** A byte that starts no frame; `high` when it has bit 7 set and parity errors are reported. */
  skip(rawByte: number, off: number, high: boolean, out: DecoderEvent[]): void {
    this.endNulRun(out);
    if (this.skipStart < 0) this.skipStart = off;
    if (high && this.highCount++ === 0) this.highAt = off;
    this.skipped.push(rawByte);
  }

  /** Ends both runs (a frame starts, or the stream is flushed). */
  end(out: DecoderEvent[]): void {
    this.endNulRun(out);
    this.endSkipRun(out);
  }

  private endNulRun(out: DecoderEvent[]): void {
    const count = this.nulRaw.length;
    if (count === 0) return;
    out.push({ type: 'frame', frame: { kind: 'wakeup', count, start: this.nulStart, end: this.nulStart + count, raw: this.nulRaw.bytes() } });
    this.nulRaw.clear();
  }

  private endSkipRun(out: DecoderEvent[]): void {
    if (this.skipStart < 0) return;
    const n = this.skipped.length;
    if (this.highCount > 0) {
      const msg = `${this.highCount} of ${n} bytes skipped at offset ${this.skipStart} have bit 7 set (first at offset ${this.highAt}): IEC 62056-21 characters are 7-bit (a 7E1 line read as 8N1?)`;
      out.push({ type: 'error', error: new Iec62056Error('parity-bit', this.highAt, msg, { length: n, state: 'hunt' }) });
    } else {
      const preview = toPrintable(this.skipped.bytes().slice(0, 24)) + (n > 24 ? '…' : '');
      const msg = `skipped ${n} byte${n === 1 ? '' : 's'} at offset ${this.skipStart} that start no frame: ${preview}`;
      out.push({ type: 'error', error: new Iec62056Error('skipped-bytes', this.skipStart, msg, { length: n, state: 'hunt' }) });
    }
    this.skipStart = -1;
    this.skipped.clear();
    this.highCount = 0;
  }
}
