/**
 * Deterministic fuzz: random bytes and mutated valid frames through every decoder and the stream
 * framer. Nothing may throw but ModbusError, and nothing may hang or lose bytes.
 */
import { describe as group, expect, it } from 'vitest';
import { toHex } from '../../core/bytes.ts';
import { decodeAdu } from './adu.ts';
import { appendCrc } from './crc.ts';
import { describe } from './describe.ts';
import { ModbusError } from './errors.ts';
import { requestException } from './limits.ts';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './messages.ts';
import { decodeRequestPdu } from './requests.ts';
import { decodeResponsePdu } from './responses.ts';
import { RtuStreamFramer } from './stream-framer.ts';
import { Rand, randomRequest, randomResponse } from './test-support.ts';

/** Runs `f`; returns its value or undefined when it threw a ModbusError; anything else fails the test. */
function ours<T>(f: () => T): T | undefined {
  try {
    return f();
  } catch (e) {
    if (e instanceof ModbusError) return undefined;
    throw e;
  }
}

function mutate(r: Rand, frame: Uint8Array): Uint8Array {
  const b = [...frame];
  const edits = r.int(1, 3);
  for (let i = 0; i < edits; i++) {
    const at = r.int(0, Math.max(0, b.length - 1));
    switch (r.int(0, 5)) {
      case 0: b[at] = (b[at] ?? 0) ^ (1 << r.int(0, 7)); break; // flip a bit
      case 1: b[at] = r.int(0, 255); break; // replace a byte
      case 2: b.splice(at, 0, r.int(0, 255)); break; // insert
      case 3: b.splice(at, 1); break; // delete
      case 4: b.length = r.int(0, b.length); break; // truncate
      case 5: b[r.int(0, Math.min(7, b.length))] = r.pick([0, 1, 2, 0x7f, 0x80, 0xfe, 0xff]); break; // a header field to an edge value
    }
  }
  return Uint8Array.from(b);
}

/** Checks one candidate frame (with or without a repaired CRC) through every decoder. */
function check(frame: Uint8Array): void {
  ours(() => decodeAdu(frame, 'request'));
  const req = ours(() => decodeRequest(frame));
  if (req) {
    expect(describe(frame, { direction: 'request' })).toMatch(/^(slave \d+|broadcast) /);
    if (requestException(req.request) === undefined) {
      expect(decodeRequest(encodeRequest(req.slave, req.request, { unchecked: req.slave === 0 }))).toEqual(req);
    } else {
      expect([2, 3]).toContain(requestException(req.request));
    }
  }
  const res = ours(() => decodeResponse(frame));
  if (res) {
    expect(toHex(encodeResponse(res.slave, res.response, { unchecked: true }))).toBe(toHex(frame));
  }
  expect(typeof describe(frame)).toBe('string');
}

group('fuzz', () => {
  it('random bytes, with and without a valid CRC', () => {
    const r = new Rand(41);
    for (let i = 0; i < 1000; i++) {
      const bytes = r.bytes(r.int(0, i % 10 === 0 ? 300 : 20));
      check(bytes);
      if (bytes.length > 0 && bytes.length < 255) check(appendCrc(bytes));
      ours(() => decodeRequestPdu(bytes));
      ours(() => decodeResponsePdu(bytes));
    }
  });

  it('mutated valid frames, with the CRC repaired or left broken', () => {
    const r = new Rand(42);
    for (let i = 0; i < 1000; i++) {
      const valid = r.next() < 0.5 ? encodeRequest(r.int(1, 247), randomRequest(r)) : encodeResponse(r.int(1, 247), randomResponse(r));
      const bad = mutate(r, valid);
      check(bad);
      if (bad.length > 2 && bad.length <= 256) check(appendCrc(bad.slice(0, -2)));
    }
  });

  it('the stream framer never throws, keeps every byte and stays bounded on hostile streams', () => {
    const r = new Rand(43);
    for (let round = 0; round < 60; round++) {
      const direction = r.next() < 0.5 ? 'request' : 'response';
      const parts: Uint8Array[] = [];
      for (let i = 0; i < 30; i++) {
        const kind = r.int(0, 2);
        if (kind === 0) parts.push(r.bytes(r.int(1, 30)));
        else {
          const frame = direction === 'request' ? encodeRequest(r.int(1, 247), randomRequest(r)) : encodeResponse(r.int(1, 247), randomResponse(r));
          parts.push(kind === 1 ? frame : mutate(r, frame));
        }
      }
      const stream = Uint8Array.from(parts.flatMap((p) => [...p]));
      const framer = new RtuStreamFramer(direction);
      let out = 0;
      for (let pos = 0; pos < stream.length;) {
        const n = Math.min(r.int(1, 64), stream.length - pos);
        for (const e of framer.push(stream.subarray(pos, pos + n))) {
          out += e.bytes.length;
          if (e.type === 'frame') expect(ours(() => decodeAdu(e.bytes, direction))).toBeDefined();
        }
        pos += n;
        expect(out + framer.pending).toBe(pos);
        expect(framer.pending).toBeLessThan(256);
      }
      for (const e of framer.flush()) out += e.bytes.length;
      expect(out).toBe(stream.length);
    }
  });
});
