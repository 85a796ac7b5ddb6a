import { describe, expect, it } from 'vitest';
import { fromHex } from '../../core/bytes.ts';
import { appendCrc } from './crc.ts';
import { EXCEPTION_FRAME_LENGTH, expectedResponseLength, frameLength } from './lengths.ts';
import { encodeRequest, encodeResponse } from './messages.ts';
import { Rand, randomRequest, randomResponse } from './test-support.ts';
import type { ModbusRequest, NormalResponse } from './types.ts';

/** The normal response a slave gives to a request, for lengths. */
function answer(req: ModbusRequest, r: Rand): NormalResponse {
  switch (req.fn) {
    case 1: case 2: return { fn: req.fn, values: r.bools(req.quantity) };
    case 3: case 4: return { fn: req.fn, values: r.regs(req.quantity) };
    case 5: case 6: return { fn: req.fn, address: req.address, value: req.value };
    case 15: case 16: return { fn: req.fn, address: req.address, quantity: req.quantity };
    case 17: return { fn: 17, data: r.bytes(r.int(2, 20)) };
    case 43: return { fn: 43, meiType: 0x0e, code: req.code, conformityLevel: 1, moreFollows: false, nextObjectId: 0, objects: [] };
  }
}

describe('expected response length', () => {
  it('is the length of the normal response frame, or undefined for 17 and 43', () => {
    const r = new Rand(11);
    for (let i = 0; i < 500; i++) {
      const req = randomRequest(r);
      const want = expectedResponseLength(req);
      const got = encodeResponse(1, answer(req, r)).length;
      if (req.fn === 17 || req.fn === 43) expect(want).toBeUndefined();
      else expect(want).toBe(got);
    }
    expect(expectedResponseLength({ fn: 3, address: 0, quantity: 125 })).toBe(255);
    expect(expectedResponseLength({ fn: 1, address: 0, quantity: 2000 })).toBe(255);
    expect(encodeResponse(1, { fn: 3, exception: 2 }).length).toBe(EXCEPTION_FRAME_LENGTH);
  });
});

describe('frame length from the header', () => {
  it('every prefix of a valid frame says "more" or the true length, never "invalid"', () => {
    const r = new Rand(12);
    for (let i = 0; i < 400; i++) {
      const isReq = r.next() < 0.5;
      const frame = isReq ? encodeRequest(r.int(1, 247), randomRequest(r)) : encodeResponse(r.int(1, 247), randomResponse(r));
      const direction = isReq ? 'request' : 'response';
      expect(frameLength(frame, 0, frame.length, direction)).toEqual({ kind: 'complete', length: frame.length });
      for (let k = 0; k < Math.min(frame.length, 40); k++) {
        const v = frameLength(frame, 0, k, direction);
        if (v.kind === 'more') expect(v.atLeast).toBeGreaterThan(k);
        else expect(v).toEqual({ kind: 'complete', length: frame.length });
      }
    }
  });

  it('reads from an offset inside a buffer', () => {
    const buf = new Uint8Array([0xff, 0xff, ...fromHex('11 03 00 6b 00 03 76 87')]);
    expect(frameLength(buf, 2, buf.length, 'request')).toEqual({ kind: 'complete', length: 8 });
    expect(frameLength(buf, 2, 3, 'request')).toEqual({ kind: 'more', atLeast: 2 });
  });

  const invalid: Array<[string, 'request' | 'response', RegExp]> = [
    ['f8 03', 'request', /slave address 0xf8 is reserved/],
    ['00 03 02', 'response', /slave address 0 in a response/],
    ['01 07', 'request', /function code 0x07 is not handled/],
    ['01 87', 'response', /exception for function 0x07/],
    ['01 2b 0d', 'request', /MEI type 0x0d/],
    ['01 03 05', 'response', /byte count 5 is odd/],
    ['01 01 fb', 'response', /byte count 251 is outside 1\.\.250/],
    ['01 11 fc', 'response', /more than 256/],
    ['01 10 00 00 00 7d fa', 'request', /more than 256/],
    ['01 2b 0e 01 01 42', 'response', /more follows 0x42/],
    ['01 2b 0e 01 01 00 00 03 00 f0 ' + '00 '.repeat(240) + '01 f0', 'response', /objects run past 256/],
  ];
  for (const [hex, direction, reason] of invalid) {
    it(`${hex.slice(0, 30)} (${direction}) cannot start a frame`, () => {
      const v = frameLength(fromHex(hex), 0, fromHex(hex).length, direction);
      expect(v.kind).toBe('invalid');
      if (v.kind === 'invalid') expect(v.reason).toMatch(reason);
    });
  }

  it('a broadcast request frames; a 256-byte response is the largest', () => {
    expect(frameLength(appendCrc(fromHex('00 06 0001 0003')), 0, 8, 'request')).toEqual({ kind: 'complete', length: 8 });
    expect(frameLength(fromHex('01 11 fb'), 0, 3, 'response')).toEqual({ kind: 'complete', length: 256 });
  });
});
