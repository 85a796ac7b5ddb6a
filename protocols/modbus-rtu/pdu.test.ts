import { describe, expect, it } from 'vitest';
import { ascii, fromHex, toHex } from '../../core/bytes.ts';
import { appendCrc } from './crc.ts';
import { ModbusError } from './errors.ts';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './messages.ts';
import {
  decodeRequestPdu,
  encodeRequestPdu,
  readCoils,
  readDeviceIdentification,
  readHoldingRegisters,
  writeMultipleCoils,
  writeMultipleRegisters,
  writeSingleCoil,
} from './requests.ts';
import { decodeResponsePdu, echoResponse, encodeResponsePdu, matchResponse, parseServerId, serverIdData } from './responses.ts';
import { Rand, randomRequest, randomResponse } from './test-support.ts';
import type { ModbusRequest } from './types.ts';
import { thrownBy } from '../../core/thrown.ts';

const errorOf = (fn: () => unknown): ModbusError => thrownBy(fn, ModbusError);

describe('round trips', () => {
  it('every request PDU, and its frame, decodes to what was encoded', () => {
    const r = new Rand(1);
    const seen = new Set<number>();
    for (let i = 0; i < 500; i++) {
      const req = randomRequest(r);
      seen.add(req.fn);
      expect(decodeRequestPdu(encodeRequestPdu(req))).toEqual(req);
      const slave = [5, 6, 15, 16].includes(req.fn) && r.next() < 0.2 ? 0 : r.int(1, 247);
      expect(decodeRequest(encodeRequest(slave, req))).toEqual({ slave, request: req });
    }
    expect([...seen].sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 15, 16, 17, 43]);
  });

  it('every response PDU (normal and exception), and its frame, decodes to what was encoded', () => {
    const r = new Rand(2);
    for (let i = 0; i < 500; i++) {
      const res = randomResponse(r);
      expect(decodeResponsePdu(encodeResponsePdu(res))).toEqual(res);
      const slave = r.int(1, 247);
      expect(decodeResponse(encodeResponse(slave, res))).toEqual({ slave, response: res });
    }
  });

  it('bytes decode and encode back to the same bytes', () => {
    for (const hex of ['01 0000 07d0', '0f ffff 0001 01 01', '10 0000 0001 02 ffff', '11', '2b 0e 04 ff']) {
      expect(toHex(encodeRequestPdu(decodeRequestPdu(fromHex(hex))))).toBe(toHex(fromHex(hex)));
    }
    for (const hex of ['01 01 00', '03 02 ffff', '11 03 0a ff 41', '2b 0e 03 83 ff 80 01 80 00', '8b 0b']) {
      expect(toHex(encodeResponsePdu(decodeResponsePdu(fromHex(hex))))).toBe(toHex(fromHex(hex)));
    }
  });

  it('a bit read matched to its request keeps exactly the requested quantity', () => {
    const req = { slave: 9, request: readCoils(100, 11) };
    const bits = [true, false, true, true, false, false, true, true, true, false, true];
    const frame = encodeResponse(9, { fn: 1, values: bits });
    expect(toHex(frame.slice(0, 5))).toBe('09 01 02 cd 05');
    expect(decodeResponse(frame).response).toEqual({ fn: 1, values: [...bits, false, false, false, false, false] });
    expect(decodeResponse(frame, req).response).toEqual({ fn: 1, values: bits });
  });
});

describe('request layout errors', () => {
  const cases: Array<[string, RegExp]> = [
    ['03 006b 00', /read holding registers request ends at offset 3: expected quantity \(2 bytes\), 1 left/],
    ['03 006b 0003 00', /read holding registers request has 1 byte more than its layout at offset 5/],
    ['05 00ac', /write single coil request ends at offset 3: expected output value/],
    ['10 0001 0002 04 000a 01', /write multiple registers request declares byte count 4 at offset 5 but carries 3 data bytes/],
    ['0f 0013 000a', /write multiple coils request ends at offset 5: expected byte count/],
    ['11 00', /report server id request has 1 byte more than its layout at offset 1/],
    ['2b 0e 01', /read device identification request ends at offset 3: expected object id/],
  ];
  for (const [hex, message] of cases) {
    it(`${hex}`, () => {
      const e = errorOf(() => decodeRequestPdu(fromHex(hex)));
      expect(e.reason).toBe('length');
      expect(e.message).toMatch(message);
    });
  }

  it('reports frame offsets and the slave when decoding a frame', () => {
    const e = errorOf(() => decodeRequest(appendCrc(fromHex('11 03 006b 00'))));
    expect(e.offset).toBe(4);
    expect(e.slave).toBe(17);
    expect(e.fn).toBe(3);
    expect(e.message).toMatch(/ends at offset 4/);
  });

  it('an unhandled function code or MEI type is a `function` error carrying fn and slave (exception 1)', () => {
    for (const [hex, fn] of [['07', 7], ['08 0000 a537', 8], ['83 0001', 0x83], ['2b 0d 01 00', 43]] as const) {
      const e = errorOf(() => decodeRequest(appendCrc(fromHex(`05 ${hex}`))));
      expect(e.reason).toBe('function');
      expect(e.fn).toBe(fn);
      expect(e.slave).toBe(5);
    }
    expect(errorOf(() => decodeRequestPdu(new Uint8Array(0))).reason).toBe('too-short');
  });

  it('limits do not stop decoding: the slave decides with requestException', () => {
    expect(decodeRequestPdu(fromHex('03 0000 0000'))).toEqual({ fn: 3, address: 0, quantity: 0 });
    expect(decodeRequestPdu(fromHex('05 0000 1234'))).toEqual({ fn: 5, address: 0, value: 0x1234 });
    expect(decodeRequestPdu(fromHex('0f 0000 000a 01 ff'))).toEqual({ fn: 15, address: 0, quantity: 10, byteCount: 1, values: Array(8).fill(true) });
    expect(decodeRequestPdu(fromHex('10 0000 0002 03 0001 02'))).toEqual({ fn: 16, address: 0, quantity: 2, byteCount: 3, values: [1] });
    expect(decodeRequestPdu(fromHex('2b 0e 09 00'))).toEqual({ fn: 43, meiType: 0x0e, code: 9, objectId: 0 });
  });
});

describe('response layout errors', () => {
  const cases: Array<[string, string, RegExp]> = [
    ['03 05 0001 0002 03', 'value', /byte count 5 is odd/],
    ['01 00', 'value', /byte count 0 is outside 1\.\.250/],
    ['03 04 0001 00', 'length', /declares byte count 4 at offset 1 but carries 3 data bytes/],
    ['83', 'length', /exception response to read holding registers ends at offset 1: expected exception code/],
    ['83 02 00', 'length', /exception response to read holding registers has 1 byte more/],
    ['06 0001', 'length', /write single register response ends at offset 3/],
    ['2b 0e 01 01 12 00 00', 'value', /more follows at offset 4 is 0x12, expected 0x00 or 0xff/],
    ['2b 0e 01 01 00 00 02 00 01 41', 'length', /ends at offset 10: expected object 2 of 2 id/],
    ['2b 0e 01 01 00 00 01 00 09 41', 'length', /expected object 0x00 value \(9 bytes\), 1 left/],
    ['2b 0d 01', 'function', /MEI type 0x0d at offset 1 is not handled/],
    ['07 6d', 'function', /function code 0x07 at offset 0 is not handled/],
  ];
  for (const [hex, reason, message] of cases) {
    it(`${hex}`, () => {
      const e = errorOf(() => decodeResponsePdu(fromHex(hex)));
      expect(e.reason).toBe(reason);
      expect(e.message).toMatch(message);
    });
  }
});

describe('matching a response to its request', () => {
  const cases: Array<[ModbusRequest, string, RegExp]> = [
    [readHoldingRegisters(0, 2), '04 04 0000 0000', /read input registers response does not answer a read holding registers request/],
    [readHoldingRegisters(0, 2), '84 02', /exception response for read input registers does not answer/],
    [readHoldingRegisters(0, 2), '03 02 0000', /has 1 registers, 2 were asked/],
    [readCoils(0, 9), '01 01 00', /byte count 1, 9 bits need 2/],
    [readCoils(0, 8), '01 02 00 00', /byte count 2, 8 bits need 1/],
    [writeSingleCoil(1, true), '05 0001 0000', /echo has value 0x0000, request had 0xff00/],
    [{ fn: 6, address: 1, value: 3 }, '06 0002 0003', /echo has address 2, request had 1/],
    [writeMultipleRegisters(1, [1, 2]), '10 0001 0003', /quantity 3, request had 2/],
    [readDeviceIdentification(2, 0), '2b 0e 01 01 00 00 00', /code 1, request had 2/],
  ];
  for (const [req, hex, message] of cases) {
    it(`${hex} against fn ${req.fn}`, () => {
      const e = errorOf(() => matchResponse(req, decodeResponsePdu(fromHex(hex))));
      expect(e.reason).toBe('mismatch');
      expect(e.message).toMatch(message);
    });
  }

  it('an exception to the same function matches', () => {
    expect(matchResponse(readHoldingRegisters(0, 2), { fn: 3, exception: 2 })).toEqual({ fn: 3, exception: 2 });
  });

  it('checks the slave address, and that a broadcast gets no response', () => {
    const frame = encodeResponse(3, { fn: 3, values: [1] });
    expect(errorOf(() => decodeResponse(frame, { slave: 4, request: readHoldingRegisters(0, 1) })).message).toMatch(/from slave 3 at offset 0, the request went to slave 4/);
    expect(errorOf(() => decodeResponse(encodeResponse(3, { fn: 6, address: 0, value: 0 }), { slave: 0, request: { fn: 6, address: 0, value: 0 } })).message).toMatch(/to a broadcast/);
  });
});

describe('encoding refuses what the standard forbids', () => {
  it('requests out of limits, unless unchecked', () => {
    const bad: ModbusRequest[] = [
      readHoldingRegisters(0, 126), readCoils(0, 0), readCoils(0, 2001), readHoldingRegisters(65535, 2),
      { fn: 5, address: 0, value: 1 }, writeMultipleCoils(0, Array(1969).fill(true)), writeMultipleRegisters(0, Array(124).fill(0)),
      { fn: 16, address: 0, quantity: 2, byteCount: 4, values: [1] }, readDeviceIdentification(5),
    ];
    for (const req of bad) {
      expect(errorOf(() => encodeRequestPdu(req)).reason).toBe('value');
    }
    expect(toHex(encodeRequestPdu(readHoldingRegisters(0, 126), { unchecked: true }))).toBe('03 00 00 00 7e');
    expect(toHex(encodeRequestPdu({ fn: 16, address: 0, quantity: 2, byteCount: 4, values: [1] }, { unchecked: true }))).toBe('10 00 00 00 02 04 00 01');
  });

  it('fields that do not fit their bytes, even unchecked', () => {
    expect(errorOf(() => encodeRequestPdu({ fn: 6, address: 0x10000, value: 0 }, { unchecked: true })).message).toMatch(/address 65536 is outside 0\.\.65535/);
    expect(errorOf(() => encodeRequestPdu({ fn: 6, address: 1, value: 1.5 })).message).toMatch(/value 1.5 is outside/);
    expect(errorOf(() => encodeResponsePdu({ fn: 3, values: [70000] })).message).toMatch(/value\[0\] 70000/);
    expect(errorOf(() => encodeResponsePdu({ fn: 17, data: new Uint8Array(252) })).reason).toBe('too-long');
    expect(errorOf(() => encodeResponsePdu({ fn: 3, values: Array(126).fill(0) })).reason).toBe('value');
    expect(errorOf(() => encodeResponsePdu({ fn: 5, address: 0, value: 1 })).reason).toBe('value');
    expect(errorOf(() => encodeResponsePdu({ fn: 0x80, exception: 1 })).reason).toBe('value');
  });

  it('a read cannot be broadcast; a write can', () => {
    expect(errorOf(() => encodeRequest(0, readHoldingRegisters(0, 1))).message).toMatch(/cannot be broadcast/);
    expect(decodeRequest(encodeRequest(0, writeSingleCoil(3, false))).slave).toBe(0);
    expect(errorOf(() => encodeResponse(0, { fn: 6, address: 0, value: 0 })).reason).toBe('address');
  });
});

describe('helpers', () => {
  it('echoResponse answers writes', () => {
    expect(echoResponse(writeSingleCoil(7, true))).toEqual({ fn: 5, address: 7, value: 0xff00 });
    expect(echoResponse(writeMultipleRegisters(7, [1, 2, 3]))).toEqual({ fn: 16, address: 7, quantity: 3 });
  });

  it('report server id data: id, run indicator, additional data', () => {
    const data = serverIdData(fromHex('0a'), true, ascii('HT-G25'));
    expect(toHex(encodeResponsePdu({ fn: 17, data }))).toBe('11 08 0a ff 48 54 2d 47 32 35');
    const parts = parseServerId(data);
    expect(parts).toEqual({ serverId: fromHex('0a'), runIndicator: 0xff, running: true, additional: ascii('HT-G25') });
    expect(parseServerId(fromHex('01 02 00'), 2).running).toBe(false);
    expect(parseServerId(fromHex('01 7f'), 1).running).toBeUndefined();
    expect(errorOf(() => parseServerId(fromHex('01'), 1)).reason).toBe('length');
  });
});
