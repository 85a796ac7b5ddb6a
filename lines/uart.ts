/**
 * Bit-level model of an asynchronous serial line, used whenever the receiver would not simply see
 * the sent bytes: the two ends' settings differ, or two RS-485 drivers talk at once.
 *
 *   idle 1 ─┐ start ┌ d0 d1 … d(n-1) [parity] stop… ┌─ idle 1
 *           └───────┘  (LSB first)                  │
 *
 * The sender's characters become a waveform (the times at which the level changes). A receiver
 * finds the falling edge of a start bit, samples the middle of each of its own bit cells, checks
 * parity and the stop bit, and looks for the next start bit after the stop-bit sample, as a
 * 16550-class UART does. Characters with a low stop bit are framing errors; all-zero ones with a
 * low stop bit are breaks.
 */
import { bitsPerChar, type LineSettings } from './settings.ts';

/** Level changes: the line is `level[i]` from `time[i]` until `time[i+1]`; idle (1) before the first. */
export interface Waveform {
  time: number[];
  level: (0 | 1)[];
}

export interface DecodedByte {
  value: number;
  /** Time the start bit began (the falling edge), and the end of the character cell. */
  start: number;
  end: number;
  error?: 'framing' | 'parity' | 'break';
}

/** Bits of one character as levels, start to stop. */
function charBits(value: number, s: LineSettings): (0 | 1)[] {
  const bits: (0 | 1)[] = [0];
  let ones = 0;
  for (let i = 0; i < s.dataBits; i++) {
    const b = ((value >> i) & 1) as 0 | 1;
    ones += b;
    bits.push(b);
  }
  if (s.parity !== 'none') bits.push(((s.parity === 'even' ? ones : ones + 1) % 2) as 0 | 1);
  for (let i = 0; i < s.stopBits; i++) bits.push(1);
  return bits;
}

/** The waveform of `bytes` sent back to back from `start`. Bytes wider than the data bits are cut. */
export function encodeWaveform(bytes: Uint8Array, s: LineSettings, start: number): Waveform {
  const bitTime = 1000 / s.baudRate;
  const w: Waveform = { time: [], level: [] };
  let t = start;
  let last: 0 | 1 = 1;
  for (const byte of bytes) {
    for (const b of charBits(byte, s)) {
      if (b !== last) {
        w.time.push(t);
        w.level.push(b);
        last = b;
      }
      t += bitTime;
    }
  }
  if (last !== 1) {
    w.time.push(t);
    w.level.push(1);
  }
  return w;
}

/** Level of the line at time `t`. */
export function levelAt(w: Waveform, t: number): 0 | 1 {
  let lo = 0;
  let hi = w.time.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (w.time[mid]! <= t) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found < 0 ? 1 : w.level[found]!;
}

/** First falling edge (1 → 0) at or after `t`, or undefined. */
function nextFallingEdge(w: Waveform, t: number): number | undefined {
  let lo = 0;
  let hi = w.time.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (w.time[mid]! < t) lo = mid + 1;
    else hi = mid;
  }
  for (let i = lo; i < w.time.length; i++) if (w.level[i] === 0) return w.time[i];
  return undefined;
}

/** What a receiver set to `s` reads from the waveform. */
export function decodeWaveform(w: Waveform, s: LineSettings): DecodedByte[] {
  const bitTime = 1000 / s.baudRate;
  const out: DecodedByte[] = [];
  let searchFrom = -Infinity;
  for (;;) {
    const edge = nextFallingEdge(w, searchFrom);
    if (edge === undefined) break;
    if (levelAt(w, edge + bitTime / 2) !== 0) {
      searchFrom = edge + bitTime / 2; // a glitch, not a start bit
      continue;
    }
    let value = 0;
    let ones = 0;
    let k = 1;
    for (let i = 0; i < s.dataBits; i++, k++) {
      const b = levelAt(w, edge + (k + 0.5) * bitTime);
      value |= b << i;
      ones += b;
    }
    let error: DecodedByte['error'];
    if (s.parity !== 'none') {
      const p = levelAt(w, edge + (k + 0.5) * bitTime);
      if ((ones + p + (s.parity === 'odd' ? 1 : 0)) % 2 !== 0) error = 'parity';
      k++;
    }
    const stopSample = edge + (k + 0.5) * bitTime;
    if (levelAt(w, stopSample) === 0) error = value === 0 ? 'break' : 'framing';
    const byte: DecodedByte = { value, start: edge, end: edge + bitsPerChar(s) * bitTime };
    if (error) byte.error = error;
    out.push(byte);
    searchFrom = stopSample;
  }
  return out;
}

/** Two drivers on one pair: where either drives a 0, the receivers see 0 (a deterministic stand-in for contention). */
export function mergeWaveforms(ws: readonly Waveform[]): Waveform {
  const times = [...new Set(ws.flatMap((w) => w.time))].sort((a, b) => a - b);
  const out: Waveform = { time: [], level: [] };
  let last: 0 | 1 = 1;
  for (const t of times) {
    const level: 0 | 1 = ws.some((w) => levelAt(w, t) === 0) ? 0 : 1;
    if (level !== last) {
      out.time.push(t);
      out.level.push(level);
      last = level;
    }
  }
  return out;
}
