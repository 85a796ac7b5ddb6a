import { describe, expect, it } from 'vitest';
import { concatBytes } from '../../core/bytes.ts';
import { encodeMessage, UplinkEncoder } from './codec.ts';
import { DEFLATE_WINDOW, PayloadWindow, WINDOW_BYTES } from './compression.ts';
import { UplinkDecoder } from './decoder.ts';
import { UplinkError } from './errors.ts';
import { COMPRESSED_FLAG, FRAME_OVERHEAD } from './frame.ts';
import type { RecordMessage, UplinkMessage } from './messages.ts';
import { mulberry32, typicalReading } from './test-support.ts';

/** A day of 15-minute readings of four meters, the registers creeping up as real ones do. */
function readings(n: number): RecordMessage[] {
  const t0 = Date.UTC(2026, 0, 5);
  return Array.from({ length: n }, (_, i) => {
    const at = t0 + Math.floor(i / 4) * 900_000 + (i % 4) * 2000;
    const body = typicalReading(at);
    body.meterSerial = String(30012345 + (i % 4));
    body.values = body.values!.map((v) => (v.unit ? { ...v, value: (Number(v.value) + i * 0.137).toFixed(3).padStart(10, '0') } : v));
    return { type: 'record', seq: i + 1, at, kind: 'meter-reading', body };
  });
}

const messagesOf = (d: UplinkDecoder, bytes: Uint8Array) =>
  d.push(bytes).map((e) => {
    if (e.kind === 'error') throw e.error;
    return e.message;
  });

describe('deflate-window compression', () => {
  it('round-trips a day of readings and makes them several times smaller than plain frames', () => {
    const msgs = readings(96 * 4);
    const enc = new UplinkEncoder();
    enc.startCompression();
    const dec = new UplinkDecoder();
    // The receiver starts with the same frame as the sender: here, from the first one.
    const started = new UplinkDecoder({ compressAfter: () => true });
    messagesOf(started, encodeMessage({ type: 'ping', n: 0 }));
    let plain = 0;
    let packed = 0;
    const got: UplinkMessage[] = [];
    for (const m of msgs) {
      plain += encodeMessage(m).length;
      const frame = enc.encode(m);
      packed += frame.length;
      got.push(...messagesOf(started, frame));
    }
    expect(got).toEqual(msgs);
    expect(plain / packed).toBeGreaterThan(5);
    // A receiver that never agreed refuses compressed frames, naming the frame.
    const [ev] = dec.push(enc.encode(msgs[0]!));
    expect(ev).toMatchObject({ kind: 'error', error: { reason: 'bad-payload' } });
    expect((ev as { error: UplinkError }).error.message).toContain('RECORD at offset 0: compressed frame before compression was agreed');
  });

  it('starts inflating with the frame after the agreeing message, inside one chunk', () => {
    const enc = new UplinkEncoder();
    const welcome: UplinkMessage = { type: 'welcome', serverTime: 1, configVersion: 0, upTo: 0, z: DEFLATE_WINDOW };
    const first = enc.encode(welcome);
    enc.startCompression();
    const push: UplinkMessage = { type: 'push', id: 'p1', kind: 'config', body: { devices: Array.from({ length: 8 }, (_, i) => ({ address: i + 1, type: 'analyzer' })) } };
    const second = enc.encode(push);
    expect(second[3]! & COMPRESSED_FLAG).toBe(COMPRESSED_FLAG);
    const dec = new UplinkDecoder({ compressAfter: (m) => m.type === 'welcome' && m.z === DEFLATE_WINDOW });
    expect(messagesOf(dec, concatBytes([first, second]))).toEqual([welcome, push]);
  });

  it('sends short payloads plain, and every payload joins the window on both sides', () => {
    const enc = new UplinkEncoder();
    enc.startCompression();
    const ack = enc.encode({ type: 'ack', upTo: 5 });
    expect(ack[3]! & COMPRESSED_FLAG).toBe(0);
    expect(ack.length).toBe(encodeMessage({ type: 'ack', upTo: 5 }).length);
    const w = new PayloadWindow();
    w.remember(new Uint8Array(WINDOW_BYTES - 10).fill(65));
    w.remember(new Uint8Array(30).fill(66));
    expect(w.size).toBe(WINDOW_BYTES);
    w.remember(new Uint8Array(WINDOW_BYTES + 5).fill(67));
    expect(w.size).toBe(WINDOW_BYTES);
  });

  it('a frame lost on the way shows up as an inflate error at the next compressed frame, never as wrong data', () => {
    const msgs = readings(12);
    const enc = new UplinkEncoder();
    enc.startCompression();
    const frames = msgs.map((m) => enc.encode(m));
    const dec = new UplinkDecoder({ compressAfter: () => true });
    messagesOf(dec, encodeMessage({ type: 'ping', n: 0 }));
    messagesOf(dec, frames[0]!);
    const events = dec.push(concatBytes(frames.slice(2)));
    // Each later frame either fails to inflate or decodes to exactly what was sent: never to other data.
    for (const [i, e] of events.entries()) {
      if (e.kind === 'message') expect(e.message).toEqual(msgs[i + 2]);
      else expect(e.error).toBeInstanceOf(UplinkError);
    }
    expect(events.some((e) => e.kind === 'error')).toBe(true);
  });

  it('fuzz: mutated compressed frames give UplinkErrors or valid messages, never anything else', () => {
    const rand = mulberry32(0x5eed);
    const msgs = readings(40);
    for (let round = 0; round < 200; round++) {
      const enc = new UplinkEncoder();
      enc.startCompression();
      const frames = msgs.slice(0, 2 + Math.floor(rand() * 3)).map((m) => enc.encode(m));
      const last = frames.at(-1)!.slice();
      const flips = 1 + Math.floor(rand() * 4);
      for (let k = 0; k < flips; k++) {
        const at = 8 + Math.floor(rand() * (last.length - 8 - 4));
        last[at] = last[at]! ^ (1 << Math.floor(rand() * 8));
      }
      // Fix the CRC so the mutation reaches the inflater rather than the framing check.
      const fixed = refreshCrc(last);
      const dec = new UplinkDecoder({ compressAfter: () => true });
      messagesOf(dec, encodeMessage({ type: 'ping', n: 0 }));
      let events;
      try {
        events = dec.push(concatBytes([...frames.slice(0, -1), fixed]));
      } catch (err) {
        throw new Error(`round ${round}: the decoder threw ${String(err)}`);
      }
      for (const e of events) if (e.kind === 'error') expect(e.error).toBeInstanceOf(UplinkError);
    }
  });

  it('costs the frame overhead only once per frame: a compressed empty-body record still frames correctly', () => {
    const enc = new UplinkEncoder();
    enc.startCompression();
    const m: UplinkMessage = { type: 'record', seq: 1, at: 1, kind: 'io', body: {} };
    const f = enc.encode(m);
    expect(f.length).toBeGreaterThan(FRAME_OVERHEAD);
  });
});

import { crc32 } from './crc32.ts';
function refreshCrc(frame: Uint8Array): Uint8Array {
  const out = frame.slice();
  const view = new DataView(out.buffer);
  view.setUint32(out.length - 4, crc32(out, 2, out.length - 4));
  return out;
}
