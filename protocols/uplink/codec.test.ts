import { describe, expect, it } from 'vitest';
import { encodeMessage, decodeFrame } from './codec.ts';
import { encodeFrame, HEADER_BYTES } from './frame.ts';
import { UplinkDecoder } from './decoder.ts';
import { UplinkError } from './errors.ts';
import { sampleMessages, typicalReading } from './test-support.ts';
import { concatBytes } from '../../core/bytes.ts';
import { validateRecordBody } from './records.ts';

const json = (bytes: Uint8Array) => new TextDecoder().decode(bytes.subarray(HEADER_BYTES, bytes.length - 4));

describe('message codec', () => {
  it('round-trips every message type', () => {
    const all = sampleMessages();
    const d = new UplinkDecoder();
    const out = d.push(concatBytes(all.map((m) => encodeMessage(m))));
    expect(out.filter((e) => e.kind === 'error')).toEqual([]);
    expect(out.map((e) => (e.kind === 'message' ? e.message : undefined))).toEqual(all);
  });

  it('uses compact keys on the wire, body included', () => {
    const at = Date.UTC(2026, 0, 5);
    const bytes = encodeMessage({ type: 'record', seq: 5, at, kind: 'meter-reading', body: typicalReading(at) });
    const wire = JSON.parse(json(bytes));
    expect(Object.keys(wire)).toEqual(['s', 't', 'k', 'b']);
    expect(Object.keys(wire.b)).toEqual(['p', 's', 'f', 'i', 't0', 't1', 'v']);
    expect(wire.b.v[0]).toEqual(['0.0.0', '30012345']);
    expect(wire.b.v[1]).toEqual(['1.8.0', '012345.678', 'kWh']);
    expect([wire.b.t0, wire.b.t1]).toEqual([-1840, 0]);
    expect(json(encodeMessage({ type: 'hello', modemNo: 'G21-1', model: 'HT G21', firmware: '1.0', lastAckedSeq: 0 }))).toBe(
      '{"m":"G21-1","md":"HT G21","fw":"1.0","la":0}',
    );
  });

  it('leaves free-form details and open kinds as they are', () => {
    const m = { type: 'record', seq: 1, at: 0, kind: 'event', body: { name: 'x', details: { name: 1, port: 2 } } } as const;
    const wire = JSON.parse(json(encodeMessage(m)));
    expect(wire.b).toEqual({ n: 'x', d: { name: 1, port: 2 } });
  });

  it('names the readable field of a bad tuple on the wire', () => {
    const frame = encodeFrame('record', new TextEncoder().encode('{"s":1,"t":100,"k":"meter-reading","b":{"p":"rs485","s":"1","t0":-5,"t1":0,"v":[["1.8.0",12]]}}'));
    const [ev] = new UplinkDecoder().push(frame);
    expect(ev!.kind).toBe('message');
    if (ev!.kind !== 'message' || ev!.message.type !== 'record') return;
    expect(ev!.message.body).toEqual({ port: 'rs485', meterSerial: '1', readStart: 95, readEnd: 100, values: [{ address: '1.8.0', value: 12 }] });
    const check = validateRecordBody('meter-reading', ev!.message.body);
    expect(!check.ok && check.error.field).toBe('body.values[0].value');
  });

  it('refuses to encode a bad message, naming the field', () => {
    expect(() => encodeMessage({ type: 'record', seq: 0, at: 1, kind: 'event', body: {} })).toThrow("uplink: cannot encode RECORD: field 'seq': Too small: expected number to be >0");
    expect(() => encodeMessage({ type: 'ack', upTo: 1.5 })).toThrow(/field 'upTo'/);
    expect(() => encodeMessage({ type: 'record', seq: 2 ** 53, at: 1, kind: 'event', body: {} })).toThrow(/field 'seq'/);
  });

  it('names the field of a bad payload, with the frame offset', () => {
    const ping = encodeMessage({ type: 'ping', n: 1 });
    const frame = encodeFrame('hello', new TextEncoder().encode('{"m":"G21-1","md":"HT G21","fw":7,"la":0}'));
    const ev = new UplinkDecoder().push(concatBytes([ping, frame]));
    expect(ev[0]!.kind).toBe('message');
    const e = ev[1]!.kind === 'error' ? ev[1]!.error : undefined;
    expect(e).toBeInstanceOf(UplinkError);
    expect(e!.field).toBe('firmware');
    expect(e!.offset).toBe(ping.length);
    expect(e!.message).toBe(`uplink: HELLO at offset ${ping.length}: field 'firmware': Invalid input: expected string, received number`);
    expect(() => decodeFrame({ type: 'ack', payload: new Uint8Array(0), offset: 3, size: 12 })).toThrow("uplink: ACK at offset 3: field 'upTo': Invalid input: expected number, received undefined");
  });

  it('reports payloads that are not JSON objects', () => {
    const cases: [string, RegExp][] = [
      ['{"u":', /ACK at offset 0: payload is not JSON/],
      ['[1,2]', /payload must be a JSON object, got an array/],
      ['null', /got null/],
      ['{"u":1,"zz":2}', /field '\(root\)'|Unrecognized key: "zz"/],
    ];
    for (const [text, re] of cases) {
      const ev = new UplinkDecoder().push(encodeFrame('ack', new TextEncoder().encode(text)));
      expect(ev).toHaveLength(1);
      expect(ev[0]!.kind).toBe('error');
      if (ev[0]!.kind === 'error') expect(ev[0]!.error.message).toMatch(re);
    }
    const bad = new UplinkDecoder().push(encodeFrame('ack', Uint8Array.of(0x7b, 0xff, 0x7d)));
    expect(bad[0]!.kind === 'error' && bad[0]!.error.message).toMatch(/not valid UTF-8/);
  });

  it('keeps a __proto__ key as plain data', () => {
    const ev = new UplinkDecoder().push(encodeFrame('record', new TextEncoder().encode('{"s":1,"t":0,"k":"event","b":{"n":"x","d":{"__proto__":{"polluted":1}}}}')));
    expect(ev[0]!.kind).toBe('message');
    expect(({} as Record<string, unknown>)['polluted']).toBeUndefined();
  });
});
