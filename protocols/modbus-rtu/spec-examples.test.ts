/**
 * Known frames. PDU examples are those of the MODBUS Application Protocol Specification V1.1b3
 * (section 6, one per function; section 7 for the exception example). Whole RTU frames with CRC
 * come from device manuals that print them: OBL Pro series (FC03, FC16), Panasonic KT4R
 * (FC43/14 individual access and its exception), Apure RP-3000 and Smartgen DOUT16B-2 (FC03).
 */
import { describe, expect, it } from 'vitest';
import { ascii, concatBytes, fromHex, toHex } from '../../core/bytes.ts';
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './messages.ts';
import { decodeRequestPdu, encodeRequestPdu } from './requests.ts';
import { decodeResponsePdu, encodeResponsePdu, matchResponse } from './responses.ts';
import type { ModbusRequest, ModbusResponse } from './types.ts';

const bits = (s: string): boolean[] => [...s].map((c) => c === '1');

// [request, request PDU, response PDU, response matched to the request]
const APP_SPEC: Array<[ModbusRequest, string, string, ModbusResponse]> = [
  [{ fn: 1, address: 0x13, quantity: 19 }, '01 0013 0013', '01 03 CD 6B 05',
    // coils 20..27 = CD, 28..35 = 6B, 36..38 = 05 (LSB first)
    { fn: 1, values: bits('1011001111010110101') }],
  [{ fn: 2, address: 0xc4, quantity: 22 }, '02 00C4 0016', '02 03 AC DB 35',
    { fn: 2, values: bits('0011010111011011101011') }],
  [{ fn: 3, address: 0x6b, quantity: 3 }, '03 006B 0003', '03 06 022B 0000 0064', { fn: 3, values: [0x022b, 0, 0x64] }],
  [{ fn: 4, address: 8, quantity: 1 }, '04 0008 0001', '04 02 000A', { fn: 4, values: [10] }],
  [{ fn: 5, address: 0xac, value: 0xff00 }, '05 00AC FF00', '05 00AC FF00', { fn: 5, address: 0xac, value: 0xff00 }],
  [{ fn: 6, address: 1, value: 3 }, '06 0001 0003', '06 0001 0003', { fn: 6, address: 1, value: 3 }],
  [{ fn: 15, address: 0x13, quantity: 10, byteCount: 2, values: bits('1011001110') }, '0F 0013 000A 02 CD 01', '0F 0013 000A',
    { fn: 15, address: 0x13, quantity: 10 }],
  [{ fn: 16, address: 1, quantity: 2, byteCount: 4, values: [0x000a, 0x0102] }, '10 0001 0002 04 000A 0102', '10 0001 0002',
    { fn: 16, address: 1, quantity: 2 }],
  [{ fn: 1, address: 0x04a1, quantity: 1 }, '01 04A1 0001', '81 02', { fn: 1, exception: 2 }],
];

describe('application protocol spec V1.1b3 examples', () => {
  for (const [req, reqPdu, resPdu, res] of APP_SPEC) {
    it(`fn ${req.fn}: ${reqPdu} → ${resPdu}`, () => {
      expect(toHex(encodeRequestPdu(req))).toBe(toHex(fromHex(reqPdu)));
      expect(decodeRequestPdu(fromHex(reqPdu))).toEqual(req);
      const decoded = decodeResponsePdu(fromHex(resPdu));
      expect(matchResponse(req, decoded)).toEqual(res);
      expect(toHex(encodeResponsePdu(res))).toBe(toHex(fromHex(resPdu)));
    });
  }

  it('fn 43/14: basic device identification, three objects in one response', () => {
    const req = { fn: 43, meiType: 0x0e, code: 1, objectId: 0 } as const;
    expect(toHex(encodeRequestPdu(req))).toBe('2b 0e 01 00');
    const pdu = concatBytes([
      fromHex('2B 0E 01 01 00 00 03'),
      fromHex('00 16'), ascii('Company identification'),
      fromHex('01 0F'), ascii('Product code XX'),
      fromHex('02 05'), ascii('V2.11'),
    ]);
    const res = decodeResponsePdu(pdu);
    expect(res).toEqual({
      fn: 43, meiType: 0x0e, code: 1, conformityLevel: 1, moreFollows: false, nextObjectId: 0,
      objects: [
        { id: 0, value: ascii('Company identification') },
        { id: 1, value: ascii('Product code XX') },
        { id: 2, value: ascii('V2.11') },
      ],
    });
    expect(encodeResponsePdu(res)).toEqual(pdu);
  });
});

describe('RTU frames printed in device manuals', () => {
  it('OBL Pro: read holding 40024..40025 of slave 1', () => {
    const req = fromHex('01 03 0017 0002 740F');
    expect(decodeRequest(req)).toEqual({ slave: 1, request: { fn: 3, address: 0x17, quantity: 2 } });
    expect(encodeRequest(1, { fn: 3, address: 0x17, quantity: 2 })).toEqual(req);
    const res = fromHex('01 03 04 003C 003C 3A2E');
    expect(decodeResponse(res, decodeRequest(req))).toEqual({ slave: 1, response: { fn: 3, values: [60, 60] } });
    expect(encodeResponse(1, { fn: 3, values: [60, 60] })).toEqual(res);
  });

  it('OBL Pro: write two registers at 41003', () => {
    const req = fromHex('01 10 03EA 0002 04 0000 0000 6968');
    const decoded = decodeRequest(req);
    expect(decoded).toEqual({ slave: 1, request: { fn: 16, address: 0x3ea, quantity: 2, byteCount: 4, values: [0, 0] } });
    expect(encodeRequest(1, decoded.request)).toEqual(req);
    const res = fromHex('01 10 03EA 0002 6078');
    expect(decodeResponse(res, decoded).response).toEqual({ fn: 16, address: 0x3ea, quantity: 2 });
  });

  it('Apure RP-3000 and Smartgen DOUT16B-2: single register reads', () => {
    expect(decodeRequest(fromHex('01 03 008C 0001 45E1')).request).toEqual({ fn: 3, address: 0x8c, quantity: 1 });
    expect(decodeResponse(fromHex('01 03 02 003C B855')).response).toEqual({ fn: 3, values: [60] });
    expect(decodeRequest(fromHex('64 03 0064 0001 CC20'))).toEqual({ slave: 100, request: { fn: 3, address: 100, quantity: 1 } });
    expect(decodeResponse(fromHex('64 03 02 0001 358C'))).toEqual({ slave: 100, response: { fn: 3, values: [1] } });
  });

  it('Panasonic KT4R: device identification, individual access to the product code', () => {
    const req = fromHex('01 2B 0E 04 01 B2E7');
    const decoded = decodeRequest(req);
    expect(decoded.request).toEqual({ fn: 43, meiType: 0x0e, code: 4, objectId: 1 });
    const res = concatBytes([fromHex('01 2B 0E 04 81 00 00 01 01 0C'), ascii('AKT4R1111001'), fromHex('88 70')]);
    expect(decodeResponse(res, decoded).response).toEqual({
      fn: 43, meiType: 0x0e, code: 4, conformityLevel: 0x81, moreFollows: false, nextObjectId: 0,
      objects: [{ id: 1, value: ascii('AKT4R1111001') }],
    });
    expect(toHex(encodeResponse(1, decodeResponse(res).response))).toBe(toHex(res));
    expect(decodeResponse(fromHex('01 AB 01 9EF0'), decoded).response).toEqual({ fn: 43, exception: 1 });
  });
});
