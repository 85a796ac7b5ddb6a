import { describe, expect, it } from 'vitest';
import { concatBytes, fromHex, toHex } from '../../core/bytes.ts';
import { encodeRequest, encodeResponse } from './messages.ts';
import { readHoldingRegisters } from './requests.ts';
import { RtuStreamFramer, type FramerEvent } from './stream-framer.ts';
import { Rand, randomRequest, randomResponse } from './test-support.ts';
import type { Direction } from './types.ts';

function frames(events: FramerEvent[]): string[] {
  return events.filter((e) => e.type === 'frame').map((e) => toHex(e.bytes));
}

function randomFrames(r: Rand, direction: Direction, n: number): Uint8Array[] {
  return Array.from({ length: n }, () => {
    if (direction === 'response') return encodeResponse(r.int(1, 247), randomResponse(r));
    const req = randomRequest(r);
    return encodeRequest([5, 6, 15, 16].includes(req.fn) && r.next() < 0.2 ? 0 : r.int(1, 247), req);
  });
}

/** Feeds `stream` in random chunks; checks that no byte is lost or invented and the buffer stays small. */
function feed(framer: RtuStreamFramer, stream: Uint8Array, r: Rand, maxChunk: number): FramerEvent[] {
  const events: FramerEvent[] = [];
  for (let pos = 0; pos < stream.length;) {
    const n = Math.min(r.int(1, maxChunk), stream.length - pos);
    events.push(...framer.push(stream.subarray(pos, pos + n)));
    pos += n;
    expect(framer.pending).toBeLessThan(256);
  }
  events.push(...framer.flush());
  expect(toHex(concatBytes(events.map((e) => e.bytes)))).toBe(toHex(stream));
  return events;
}

describe('stream framer', () => {
  for (const direction of ['request', 'response'] as const) {
    it(`${direction}s back to back, whole and byte by byte`, () => {
      const r = new Rand(direction === 'request' ? 21 : 22);
      const list = randomFrames(r, direction, 150);
      const stream = concatBytes(list);
      const whole = new RtuStreamFramer(direction).push(stream);
      expect(frames(whole)).toEqual(list.map((f) => toHex(f)));
      expect(whole.some((e) => e.type === 'garbage')).toBe(false);
      const byByte = feed(new RtuStreamFramer(direction), stream, r, 1);
      expect(frames(byByte)).toEqual(list.map((f) => toHex(f)));
    });

    it(`${direction}s in random splits with random garbage between them`, () => {
      const r = new Rand(direction === 'request' ? 23 : 24);
      const list = randomFrames(r, direction, 150);
      const parts: Uint8Array[] = [];
      for (const f of list) {
        if (r.next() < 0.5) parts.push(r.bytes(r.int(1, 12)));
        parts.push(f);
      }
      const events = feed(new RtuStreamFramer(direction), concatBytes(parts), r, 40);
      expect(frames(events)).toEqual(list.map((f) => toHex(f)));
    });
  }

  it('hunts past garbage and says why the first byte was dropped', () => {
    const good = encodeRequest(17, readHoldingRegisters(107, 3));
    const events = new RtuStreamFramer('request').push(concatBytes([fromHex('ff fe'), good]));
    expect(events).toEqual([
      { type: 'garbage', bytes: fromHex('ff fe'), reason: 'slave address 0xff is reserved' },
      { type: 'frame', bytes: good },
    ]);
  });

  it('drops a frame with a bad CRC one byte at a time and finds the next', () => {
    const bad = fromHex('11 03 00 6b 00 03 76 88');
    const good = fromHex('11 03 00 6b 00 03 76 87');
    const events = new RtuStreamFramer('request').push(concatBytes([bad, good]));
    expect(frames(events)).toEqual([toHex(good)]);
    expect(events[0]).toMatchObject({ type: 'garbage', reason: 'CRC mismatch for a 8-byte frame: got 0x8876, computed 0x8776' });
  });

  it('holds an incomplete frame until the rest arrives, and flush gives it up', () => {
    const f = new RtuStreamFramer('response');
    const frame = encodeResponse(1, { fn: 3, values: [1, 2, 3] });
    expect(f.push(frame.subarray(0, 7))).toEqual([]);
    expect(f.pending).toBe(7);
    expect(frames(f.push(frame.subarray(7)))).toEqual([toHex(frame)]);
    expect(f.push(frame.subarray(0, 4))).toEqual([]);
    expect(f.flush()).toEqual([{ type: 'garbage', bytes: frame.subarray(0, 4), reason: 'incomplete frame (4 bytes) given up' }]);
    expect(f.pending).toBe(0);
  });

  it('the same bytes frame differently as requests and as responses', () => {
    const response = encodeResponse(1, { fn: 3, values: [0x0102, 0x0304] });
    expect(frames(new RtuStreamFramer('response').push(response))).toEqual([toHex(response)]);
    const asRequests = new RtuStreamFramer('request').push(response);
    expect(frames(asRequests)).toEqual([]);
  });

  it('with an expected request, takes only its answer or its exception', () => {
    const f = new RtuStreamFramer('response');
    f.expect({ slave: 17, request: readHoldingRegisters(107, 3) });
    const other = encodeResponse(18, { fn: 3, values: [1, 2, 3] });
    const wrongLength = encodeResponse(17, { fn: 3, values: [1, 2] });
    const exception = encodeResponse(17, { fn: 3, exception: 2 });
    const answer = encodeResponse(17, { fn: 3, values: [0x22b, 0, 0x64] });
    const events = f.push(concatBytes([other, wrongLength, exception, answer]));
    expect(frames(events)).toEqual([toHex(exception), toHex(answer)]);
    expect(events[0]).toMatchObject({ type: 'garbage', reason: 'slave 18 is not the one asked (17)' });
    f.expect(undefined);
    expect(frames(f.push(other))).toEqual([toHex(other)]);
  });

  it('an expected answer is not held up by a false start that claims a long frame', () => {
    const f = new RtuStreamFramer('response');
    f.expect({ slave: 1, request: readHoldingRegisters(0, 1) });
    // 01 03 f0 would announce a 245-byte read; with the expectation it cannot be the answer.
    const answer = encodeResponse(1, { fn: 3, values: [7] });
    expect(frames(f.push(concatBytes([fromHex('01 03 f0'), answer])))).toEqual([toHex(answer)]);
  });
});
