import { describe, expect, it } from 'vitest';
import { ascii, concatBytes } from '../../core/bytes.ts';
import { encodeFrame, FRAME_OVERHEAD } from './frame.ts';
import { FrameDecoder, type FrameEvent } from './frame-decoder.ts';
import { UplinkError } from './errors.ts';

const f1 = encodeFrame('ping', ascii('{"n":1}'));
const f2 = encodeFrame('ack', ascii('{"u":99}'));
const f3 = encodeFrame('bye', new Uint8Array(0));

function frames(events: FrameEvent[]) {
  return events.flatMap((e) => (e.kind === 'frame' ? [e.frame] : []));
}
function errors(events: FrameEvent[]) {
  return events.flatMap((e) => (e.kind === 'error' ? [e.error] : []));
}

describe('frame layout', () => {
  it('is magic, version, type, u32 length, payload, CRC-32', () => {
    expect([...f1.subarray(0, 8)]).toEqual([0x48, 0x54, 1, 0x30, 0, 0, 0, 7]);
    expect(f1.length).toBe(7 + FRAME_OVERHEAD);
    expect(f3.length).toBe(FRAME_OVERHEAD);
  });
  it('refuses to encode an oversize payload', () => {
    expect(() => encodeFrame('ping', new Uint8Array(11), 10)).toThrow(/exceeds the limit of 10/);
  });
});

describe('FrameDecoder', () => {
  it('decodes frames back to back, with stream offsets', () => {
    const d = new FrameDecoder();
    const ev = d.push(concatBytes([f1, f2, f3]));
    expect(errors(ev)).toEqual([]);
    const got = frames(ev);
    expect(got.map((f) => [f.type, f.offset, f.size])).toEqual([
      ['ping', 0, f1.length],
      ['ack', f1.length, f2.length],
      ['bye', f1.length + f2.length, f3.length],
    ]);
    expect(new TextDecoder().decode(got[1]!.payload)).toBe('{"u":99}');
    expect(d.pending).toBe(0);
  });

  it('gives the same frames whatever the split points', () => {
    const stream = concatBytes([f1, f2, f3, f1]);
    for (let a = 0; a <= stream.length; a++) {
      for (let b = a; b <= stream.length; b += 3) {
        const d = new FrameDecoder();
        const ev = [...d.push(stream.subarray(0, a)), ...d.push(stream.subarray(a, b)), ...d.push(stream.subarray(b))];
        expect(errors(ev)).toEqual([]);
        expect(frames(ev).map((f) => f.offset)).toEqual([0, f1.length, f1.length + f2.length, f1.length + f2.length + f3.length]);
      }
    }
  });

  it('one byte at a time', () => {
    const d = new FrameDecoder();
    const stream = concatBytes([f1, f2, f3]);
    const ev = [...stream].flatMap((b) => d.push(Uint8Array.of(b)));
    expect(frames(ev).map((f) => f.type)).toEqual(['ping', 'ack', 'bye']);
  });

  it('reports bad magic at its offset and resynchronises', () => {
    const d = new FrameDecoder();
    const ev = d.push(concatBytes([f1, ascii('xyz'), f2]));
    const errs = errors(ev);
    expect(errs).toHaveLength(1);
    expect(errs[0]!.reason).toBe('bad-magic');
    expect(errs[0]!.offset).toBe(f1.length);
    expect(errs[0]!.message).toBe(`uplink: bad magic at offset ${f1.length}: got 0x78 0x79, expected 'HT' (0x48 0x54); skipped 3 bytes`);
    expect(frames(ev).map((f) => f.type)).toEqual(['ping', 'ack']);
  });

  it('reports a CRC mismatch with both values, then finds the next frame', () => {
    const bad = Uint8Array.from(f2);
    bad[9] = bad[9]! ^ 0x01;
    const d = new FrameDecoder();
    const ev = d.push(concatBytes([bad, f1]));
    const errs = errors(ev);
    expect(errs[0]!.reason).toBe('crc-mismatch');
    expect(errs[0]!.offset).toBe(f2.length - 4);
    expect(errs[0]!.message).toMatch(/^uplink: CRC mismatch at offset 16: got 0x[0-9a-f]{8}, computed 0x[0-9a-f]{8} \(frame at offset 0\)$/);
    expect(frames(ev).map((f) => [f.type, f.offset])).toEqual([['ping', bad.length]]);
  });

  it('rejects an oversize length at once instead of waiting for it', () => {
    const d = new FrameDecoder(100);
    const header = Uint8Array.of(0x48, 0x54, 1, 0x10, 0, 0, 1, 0);
    const ev = d.push(concatBytes([header, f1]));
    expect(errors(ev)[0]!.message).toBe('uplink: payload length 256 at offset 4 exceeds the limit of 100');
    expect(frames(ev).map((f) => f.offset)).toEqual([8]);
  });

  it('rejects an unknown version and an unknown type', () => {
    const v2 = Uint8Array.from(f1);
    v2[2] = 2;
    const t = Uint8Array.from(f1);
    t[3] = 0x7e;
    const ev = new FrameDecoder().push(concatBytes([v2, t, f2]));
    const errs = errors(ev);
    expect(errs.map((e) => e.reason)).toEqual(['bad-version', 'bad-magic', 'unknown-type', 'bad-magic']);
    expect(errs[0]!.message).toBe('uplink: unsupported version 2 at offset 2: expected 1');
    expect(errs[2]!.message).toBe(`uplink: unknown message type 0x7e at offset ${f1.length + 3}`);
    expect(frames(ev).map((f) => f.type)).toEqual(['ack']);
  });

  it('holds a partial frame and reports it on reset', () => {
    const d = new FrameDecoder();
    expect(d.push(f1.subarray(0, 5))).toEqual([]);
    expect(d.pending).toBe(5);
    const err = d.reset();
    expect(err).toBeInstanceOf(UplinkError);
    expect(err!.message).toMatch(/5 bytes of an unfinished frame at offset 0/);
    expect(frames(d.push(f2))[0]!.offset).toBe(5);
  });
});
