import { describe, expect, it } from 'vitest';
import { ascii } from '../../core/bytes.ts';
import { answerDeviceId, type DeviceIdentity } from './device-id.ts';
import { ModbusError } from './errors.ts';
import { readDeviceIdentification } from './requests.ts';
import { encodeResponsePdu } from './responses.ts';
import { isException, type ReadDeviceIdResponse } from './types.ts';

const o = (id: number, text: string) => ({ id, value: ascii(text) });

const device: DeviceIdentity = {
  conformityLevel: 0x83,
  objects: [o(0x02, 'V2.11'), o(0x00, 'Grup Arge'), o(0x01, 'GA3125'), o(0x04, 'HT G25'), o(0x80, 'serial 1234')],
};

function normal(r: ReturnType<typeof answerDeviceId>): ReadDeviceIdResponse {
  if (isException(r)) throw new Error(`exception ${r.exception}`);
  return r;
}

describe('answering read device identification', () => {
  it('basic stream access gives objects 0..2 in id order', () => {
    const r = normal(answerDeviceId(readDeviceIdentification(1, 0), device));
    expect(r.objects.map((x) => x.id)).toEqual([0, 1, 2]);
    expect(r).toMatchObject({ code: 1, conformityLevel: 0x83, moreFollows: false, nextObjectId: 0 });
  });

  it('regular reaches 0x7f, extended 0xff', () => {
    expect(normal(answerDeviceId(readDeviceIdentification(2, 0), device)).objects.map((x) => x.id)).toEqual([0, 1, 2, 4]);
    expect(normal(answerDeviceId(readDeviceIdentification(3, 0), device)).objects.map((x) => x.id)).toEqual([0, 1, 2, 4, 0x80]);
  });

  it('starts at the object asked for, or at the first when the device lacks it', () => {
    expect(normal(answerDeviceId(readDeviceIdentification(3, 4), device)).objects.map((x) => x.id)).toEqual([4, 0x80]);
    expect(normal(answerDeviceId(readDeviceIdentification(1, 0x55), device)).objects.map((x) => x.id)).toEqual([0, 1, 2]);
    expect(normal(answerDeviceId(readDeviceIdentification(1, 4), device)).objects.map((x) => x.id)).toEqual([0, 1, 2]);
  });

  it('splits over several responses with more follows and the next object id', () => {
    const big: DeviceIdentity = { conformityLevel: 0x03, objects: [o(0, 'A'.repeat(130)), o(1, 'B'.repeat(130)), o(2, 'C'.repeat(10))] };
    const first = normal(answerDeviceId(readDeviceIdentification(1, 0), big));
    expect(first.objects.map((x) => x.id)).toEqual([0]);
    expect(first).toMatchObject({ moreFollows: true, nextObjectId: 1 });
    const second = normal(answerDeviceId(readDeviceIdentification(1, first.nextObjectId), big));
    expect(second.objects.map((x) => x.id)).toEqual([1, 2]);
    expect(second).toMatchObject({ moreFollows: false, nextObjectId: 0 });
    expect(encodeResponsePdu(first).length).toBeLessThanOrEqual(253);
  });

  it('fills a response exactly to 253 bytes', () => {
    const exact: DeviceIdentity = { conformityLevel: 1, objects: [o(0, 'x'.repeat(122)), o(1, 'y'.repeat(120))] };
    const r = normal(answerDeviceId(readDeviceIdentification(1, 0), exact));
    expect(r.moreFollows).toBe(false);
    expect(encodeResponsePdu(r).length).toBe(253);
  });

  it('individual access: one object, or exception 2', () => {
    const r = normal(answerDeviceId(readDeviceIdentification(4, 0x80), device));
    expect(r).toMatchObject({ code: 4, moreFollows: false, nextObjectId: 0 });
    expect(r.objects).toEqual([o(0x80, 'serial 1234')]);
    expect(answerDeviceId(readDeviceIdentification(4, 0x03), device)).toEqual({ fn: 43, exception: 2 });
  });

  it('a code outside 1..4 is exception 3', () => {
    expect(answerDeviceId(readDeviceIdentification(0, 0), device)).toEqual({ fn: 43, exception: 3 });
    expect(answerDeviceId(readDeviceIdentification(7, 0), device)).toEqual({ fn: 43, exception: 3 });
  });

  it('an object too long for any response is a profile error', () => {
    expect(() => answerDeviceId(readDeviceIdentification(1, 0), { conformityLevel: 1, objects: [o(0, 'z'.repeat(245))] })).toThrow(ModbusError);
    expect(() => answerDeviceId(readDeviceIdentification(1, 0), { conformityLevel: 1, objects: [o(0, 'z'.repeat(244))] })).not.toThrow();
  });
});
