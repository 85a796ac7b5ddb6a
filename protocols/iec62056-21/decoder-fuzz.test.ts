import { describe, expect, it } from 'vitest';
import { bytesEqual, concatBytes, toHex } from '../../core/bytes.ts';
import { Iec62056Decoder, type DecoderOptions } from './decoder.ts';
import { describeMessage } from './describe.ts';
import { encodeMessage } from './encode.ts';
import { Iec62056Error } from './errors.ts';
import type { DecoderEvent, Message } from './frames.ts';
import { mulberry32 } from '../../core/random.ts';


const VALID: Message[] = [
  { kind: 'request', address: '44455566' },
  { kind: 'identification', manufacturer: 'ISk', baudChar: '5', enhanced: ['2'], ident: 'ME162-0033' },
  { kind: 'option-select', protocolControl: '0', baudChar: '5', modeControl: '1' },
  { kind: 'readout', block: 'C.1.0(12345678)\r\n1.8.0(0034204.763*kWh)(24-01-05 12:30)\r\nF.F(00)\r\n' },
  { kind: 'data', text: 'P.01(2401051230)(00)(15)(1)(1.5)(kW)\r\n(0.5)\r\n', partial: true },
  { kind: 'data', text: '(ERROR)', partial: false },
  { kind: 'command', command: 'R', type: '5', data: 'P.01(;)', partial: false },
  { kind: 'command', command: 'P', type: '1', data: '(00000000)', partial: false },
  { kind: 'break', type: '0' },
  { kind: 'ack' },
  { kind: 'nak' },
  { kind: 'wakeup', count: 3 },
];
const FRAMES = VALID.map(encodeMessage);
const SPECIAL = [0x00, 0x01, 0x02, 0x03, 0x04, 0x06, 0x15, 0x0d, 0x0a, 0x2f, 0x21, 0x28, 0x29, 0x2a, 0x3f, 0x5c, 0x80, 0xff];

function mutate(rnd: () => number, input: Uint8Array): Uint8Array {
  const bytes = [...input];
  const n = 1 + Math.floor(rnd() * 4);
  for (let k = 0; k < n; k++) {
    const at = Math.floor(rnd() * (bytes.length + 1));
    const pick = (): number => (rnd() < 0.5 ? SPECIAL[Math.floor(rnd() * SPECIAL.length)]! : Math.floor(rnd() * 256));
    switch (Math.floor(rnd() * 5)) {
      case 0:
        if (at < bytes.length) bytes[at] = bytes[at]! ^ (1 << Math.floor(rnd() * 8));
        break;
      case 1:
        bytes.splice(at, 0, pick());
        break;
      case 2:
        bytes.splice(at, 1);
        break;
      case 3:
        bytes.splice(at, 0, ...bytes.slice(at, at + Math.floor(rnd() * 8)));
        break;
      default:
        bytes.length = Math.min(bytes.length, at);
    }
  }
  return Uint8Array.from(bytes);
}

function randomStream(rnd: () => number): Uint8Array {
  const parts: Uint8Array[] = [];
  const count = 1 + Math.floor(rnd() * 4);
  for (let i = 0; i < count; i++) {
    const r = rnd();
    if (r < 0.15) parts.push(Uint8Array.from({ length: Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256)));
    else {
      const f = FRAMES[Math.floor(rnd() * FRAMES.length)]!;
      parts.push(r < 0.6 ? mutate(rnd, f) : f);
    }
  }
  return concatBytes(parts);
}

/** Throws (failing the test) with the stream in hex when an invariant breaks. */
function check(ok: boolean, what: string, stream: Uint8Array): void {
  if (!ok) throw new Error(`${what}; stream ${toHex(stream)}`);
}

/**
 * Pushes `stream` in random chunks and checks the invariants every event keeps (plain checks:
 * `expect` in this hot loop would cost most of the time budget). Returns one summary line per
 * event, to compare runs.
 */
function run(stream: Uint8Array, rnd: () => number, opts: DecoderOptions): string[] {
  const d = new Iec62056Decoder(opts);
  const events: DecoderEvent[] = [];
  let i = 0;
  while (i < stream.length) {
    const n = 1 + Math.floor(rnd() * 12);
    events.push(...d.push(stream.subarray(i, i + n)));
    i += n;
  }
  events.push(...d.flush());
  check(d.offset === stream.length, `decoder offset ${d.offset} is not the stream length ${stream.length}`, stream);
  let lastEnd = 0;
  const out: string[] = [];
  for (const e of events) {
    if (e.type === 'error') {
      const err = e.error;
      check(err instanceof Iec62056Error, `not our error: ${String(err)}`, stream);
      check(err.offset >= 0 && err.offset <= stream.length, `error offset ${err.offset} outside the stream`, stream);
      check(/offset \d+/.test(err.message), `error message names no offset: ${err.message}`, stream);
      out.push(`${err.kind}@${err.offset}: ${err.message}`);
    } else {
      const f = e.frame;
      check(f.start >= lastEnd && f.end > f.start && f.end <= stream.length, `frame [${f.start}..${f.end}) overlaps or leaves the stream`, stream);
      check(bytesEqual(f.raw, stream.subarray(f.start, f.end)), `frame raw bytes differ from the stream at ${f.start}`, stream);
      lastEnd = f.end;
      out.push(`${f.kind}@${f.start}..${f.end}: ${describeMessage(f)}`);
    }
  }
  return out;
}

describe('Iec62056Decoder fuzz', () => {
  const sides: DecoderOptions[] = [{ side: 'meter' }, { side: 'master' }, { side: 'auto' }, { side: 'auto', parity: 'strip', maxLineLength: 16 }];

  it('mutated frames and random bytes: only our errors, always progressing, split-invariant', () => {
    const rnd = mulberry32(0x62056);
    for (let n = 0; n < 3000; n++) {
      const stream = randomStream(rnd);
      const opts = sides[n % sides.length]!;
      const a = run(stream, rnd, opts);
      const b = run(stream, rnd, opts);
      check(a.join('\n') === b.join('\n'), `another chunking gave other events:\n${a.join('\n')}\n---\n${b.join('\n')}`, stream);
    }
  });

  it('valid frames in random order decode without a single error, whatever the chunking', () => {
    const rnd = mulberry32(7);
    for (let n = 0; n < 300; n++) {
      const picks = Array.from({ length: 1 + Math.floor(rnd() * 6) }, () => Math.floor(rnd() * FRAMES.length));
      const stream = concatBytes(picks.map((i) => FRAMES[i]!));
      const got = run(stream, rnd, { side: 'auto' }).map((line) => line.slice(0, line.indexOf('@')));
      // adjacent wake-up runs merge into one; everything else comes out one for one
      const want = picks.map((i) => VALID[i]!.kind).filter((k, j, all) => !(k === 'wakeup' && all[j - 1] === 'wakeup'));
      expect(got).toEqual(want);
    }
  });

  it('pure noise of every length up to 300 bytes', () => {
    const rnd = mulberry32(99);
    for (let len = 0; len <= 300; len++) {
      run(Uint8Array.from({ length: len }, () => Math.floor(rnd() * 256)), rnd, sides[len % sides.length]!);
    }
  });
});
