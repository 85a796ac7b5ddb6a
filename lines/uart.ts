/**
 * Bit-level model of an asynchronous serial line, used whenever the receiver would not simply see
 * the sent bytes: the two ends' settings differ, or two RS-485 drivers talk at once.
 *
 *   idle 1 ─┐ start ┌ d0 d1 … d(n-1) [parity] stop… ┌─ idle 1
 *           └───────┘  (LSB first)                  │
 *
 * A receiver finds the falling edge of a start bit, samples the middle of each of its own bit
 * cells, checks parity and the stop bit, and looks for the next start bit after the stop-bit
 * sample, as a 16550-class UART does. Characters with a low stop bit are framing errors; all-zero
 * ones with a low stop bit are breaks.
 *
 * One transmission's waveform is computed on demand from its bytes (`CharWaveform`): a receiver
 * samples a few points per character, so nothing is built up front. The sum of several drivers
 * (a collision) is an explicit list of level changes (`EdgeWaveform`).
 */
import { bitsPerChar, type LineSettings } from './settings.ts';

/** A line level over time: what a receiver samples. */
export interface Waveform {
  /** Level of the line at time `t` (1 when idle). */
  levelAt(t: number): 0 | 1;
  /** First falling edge (1 → 0) at or after `t`, or undefined. */
  nextFallingEdge(t: number): number | undefined;
}

/** Level changes: the line is `level[i]` from `time[i]` until `time[i+1]`; idle (1) before the first. */
export interface EdgeList {
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

/** Level of bit `k` (0 = start bit) of a character with `value`. */
function charBit(value: number, k: number, s: LineSettings): 0 | 1 {
  if (k === 0) return 0;
  if (k <= s.dataBits) return ((value >> (k - 1)) & 1) as 0 | 1;
  if (s.parity !== 'none' && k === s.dataBits + 1) {
    let ones = 0;
    for (let j = 0; j < s.dataBits; j++) ones += (value >> j) & 1;
    return ((s.parity === 'even' ? ones : ones + 1) % 2) as 0 | 1;
  }
  return 1;
}

/** The waveform of bytes sent back to back from `start`, computed on demand. */
export class CharWaveform implements Waveform {
  private readonly bitTime: number;
  private readonly charTime: number;
  private readonly bits: number;
  readonly end: number;

  constructor(
    private readonly bytes: Uint8Array,
    private readonly s: LineSettings,
    private readonly start: number,
  ) {
    this.bitTime = 1000 / s.baudRate;
    this.bits = bitsPerChar(s);
    this.charTime = this.bits * this.bitTime;
    this.end = start + bytes.length * this.charTime;
  }

  levelAt(t: number): 0 | 1 {
    if (t < this.start || t >= this.end) return 1;
    const i = Math.min(this.bytes.length - 1, Math.floor((t - this.start) / this.charTime));
    const k = Math.min(this.bits - 1, Math.floor((t - this.start - i * this.charTime) / this.bitTime));
    return charBit(this.bytes[i]!, k, this.s);
  }

  nextFallingEdge(t: number): number | undefined {
    if (t >= this.end) return undefined;
    const from = Math.max(t, this.start);
    let i = Math.min(this.bytes.length - 1, Math.floor((from - this.start) / this.charTime));
    let k = Math.max(0, Math.floor((from - this.start - i * this.charTime) / this.bitTime));
    for (; i < this.bytes.length; i++, k = 0) {
      const value = this.bytes[i]!;
      for (; k < this.bits; k++) {
        const at = this.start + i * this.charTime + k * this.bitTime;
        if (at < t) continue;
        const prev: 0 | 1 = k === 0 ? 1 : charBit(value, k - 1, this.s);
        if (prev === 1 && charBit(value, k, this.s) === 0) return at;
      }
    }
    return undefined;
  }
}

/** The waveform of `bytes` sent back to back from `start`. */
export function encodeWaveform(bytes: Uint8Array, s: LineSettings, start: number): CharWaveform {
  return new CharWaveform(bytes, s, start);
}

/** The level changes of one transmission. */
export function edgesOf(bytes: Uint8Array, s: LineSettings, start: number): EdgeList {
  const bitTime = 1000 / s.baudRate;
  const bits = bitsPerChar(s);
  const w: EdgeList = { time: [], level: [] };
  let t = start;
  let last: 0 | 1 = 1;
  for (const byte of bytes) {
    for (let k = 0; k < bits; k++) {
      const b = charBit(byte, k, s);
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

/** A waveform given by its level changes. */
export class EdgeWaveform implements Waveform {
  constructor(readonly edges: EdgeList) {}

  levelAt(t: number): 0 | 1 {
    const w = this.edges;
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

  nextFallingEdge(t: number): number | undefined {
    const w = this.edges;
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
}

/** What a receiver set to `s` reads from the waveform. */
export function decodeWaveform(w: Waveform, s: LineSettings): DecodedByte[] {
  const bitTime = 1000 / s.baudRate;
  const out: DecodedByte[] = [];
  let searchFrom = -Infinity;
  for (;;) {
    const edge = w.nextFallingEdge(searchFrom);
    if (edge === undefined) break;
    if (w.levelAt(edge + bitTime / 2) !== 0) {
      searchFrom = edge + bitTime / 2; // a glitch, not a start bit
      continue;
    }
    let value = 0;
    let ones = 0;
    let k = 1;
    for (let i = 0; i < s.dataBits; i++, k++) {
      const b = w.levelAt(edge + (k + 0.5) * bitTime);
      value |= b << i;
      ones += b;
    }
    let error: DecodedByte['error'];
    if (s.parity !== 'none') {
      const p = w.levelAt(edge + (k + 0.5) * bitTime);
      if ((ones + p + (s.parity === 'odd' ? 1 : 0)) % 2 !== 0) error = 'parity';
      k++;
    }
    const stopSample = edge + (k + 0.5) * bitTime;
    if (w.levelAt(stopSample) === 0) error = value === 0 ? 'break' : 'framing';
    const byte: DecodedByte = { value, start: edge, end: edge + bitsPerChar(s) * bitTime };
    if (error) byte.error = error;
    out.push(byte);
    searchFrom = stopSample;
  }
  return out;
}

/** Two drivers on one pair: where either drives a 0, the receivers see 0 (a deterministic stand-in for contention). */
export function mergeWaveforms(parts: readonly { bytes: Uint8Array; settings: LineSettings; start: number }[]): Waveform {
  const ws = parts.map((p) => new EdgeWaveform(edgesOf(p.bytes, p.settings, p.start)));
  const times = [...new Set(ws.flatMap((w) => w.edges.time))].sort((a, b) => a - b);
  const out: EdgeList = { time: [], level: [] };
  let last: 0 | 1 = 1;
  for (const t of times) {
    const level: 0 | 1 = ws.some((w) => w.levelAt(t) === 0) ? 0 : 1;
    if (level !== last) {
      out.time.push(t);
      out.level.push(level);
      last = level;
    }
  }
  return new EdgeWaveform(out);
}
