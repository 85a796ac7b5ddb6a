/** Deterministic fuzzing of the stream decoder: random bytes, mutated frames, random splits. */
import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../core/bytes.ts';
import { encodeMessage } from './codec.ts';
import { UplinkDecoder } from './decoder.ts';
import { UplinkError } from './errors.ts';
import { mulberry32, sampleMessages } from './test-support.ts';

const valid = sampleMessages().map((m) => encodeMessage(m));

function feed(d: UplinkDecoder, stream: Uint8Array, rnd: () => number) {
  const events = [];
  let pos = 0;
  while (pos < stream.length) {
    const n = 1 + Math.floor(rnd() * 40);
    events.push(...d.push(stream.subarray(pos, pos + n)));
    pos += n;
  }
  return events;
}

describe('uplink decoder fuzz', () => {
  it('never throws on random bytes and never holds more than one frame', () => {
    const rnd = mulberry32(0x5eed);
    for (let i = 0; i < 2000; i++) {
      const len = Math.floor(rnd() * 200);
      const bytes = Uint8Array.from({ length: len }, () => (rnd() < 0.1 ? [0x48, 0x54, 1][Math.floor(rnd() * 3)]! : Math.floor(rnd() * 256)));
      const d = new UplinkDecoder({ maxPayload: 512 });
      const events = feed(d, bytes, rnd);
      const foreign = events.filter((e) => e.kind === 'error' && !(e.error instanceof UplinkError));
      if (foreign.length || d.pending > 512 + 12) expect({ i, foreign, pending: d.pending }).toBeUndefined();
    }
  });

  it('recovers every intact frame around mutated ones', () => {
    const rnd = mulberry32(42);
    for (let i = 0; i < 1000; i++) {
      const pick = () => valid[Math.floor(rnd() * valid.length)]!;
      const good1 = pick();
      const good2 = pick();
      const bad = Uint8Array.from(pick());
      const flips = 1 + Math.floor(rnd() * 4);
      for (let k = 0; k < flips; k++) bad[Math.floor(rnd() * bad.length)] = Math.floor(rnd() * 256);
      const junk = Uint8Array.from({ length: Math.floor(rnd() * 10) }, () => Math.floor(rnd() * 256));
      const d = new UplinkDecoder();
      const events = feed(d, concatBytes([good1, bad, junk, good2, encodeMessage({ type: 'bye', reason: 'end' })]), rnd);
      if (events.some((e) => e.kind === 'error' && !(e.error instanceof UplinkError))) expect.unreachable(`foreign error in case ${i}`);
      const msgs = events.flatMap((e) => (e.kind === 'message' ? [e] : []));
      // The first frame always comes out first; the last (a BYE) always comes out, unless a mutated
      // header announced a length that swallows it, in which case it is still held.
      if (msgs[0]?.offset !== 0) expect.unreachable(`case ${i}: first frame lost`);
      const last = msgs.at(-1)!.message;
      if (d.pending === 0 && (last.type !== 'bye' || last.reason !== 'end')) expect.unreachable(`case ${i}: last frame lost`);
    }
  });

  it('decodes truncated frames without throwing (every prefix of every message)', () => {
    for (const f of valid) {
      for (let n = 0; n < f.length; n++) {
        const d = new UplinkDecoder();
        expect(d.push(f.subarray(0, n)).filter((e) => e.kind === 'message')).toEqual([]);
        expect(d.pending).toBeLessThanOrEqual(n);
      }
    }
  });
});
