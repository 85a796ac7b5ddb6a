/**
 * Read Device Identification (function 43, MEI type 0x0E): the response body codec and the
 * slave-side stream/individual access rules of the application protocol spec, section 6.21.
 *
 *   request:  2B 0E code objectId
 *   response: 2B 0E code conformity moreFollows(00|FF) nextObjectId count {id len value…}×count
 */

import { EXCEPTION, MAX_PDU, MEI_READ_DEVICE_ID } from './codes.ts';
import { ModbusError, hex2 } from './errors.ts';
import type { DeviceIdObject, ExceptionResponse, ReadDeviceIdRequest, ReadDeviceIdResponse } from './types.ts';
import { Builder, checkInt, type Cursor } from './wire.ts';

/** Bytes of a device-id response PDU before the first object. */
const HEADER = 7;

/** Reads the body after the function code; the cursor stands on the MEI type. */
export function decodeDeviceIdBody(c: Cursor): ReadDeviceIdResponse {
  const meiAt = c.offset;
  const mei = c.u8('MEI type');
  if (mei !== MEI_READ_DEVICE_ID) {
    throw new ModbusError('function', `function 43 response with MEI type ${hex2(mei)} at offset ${meiAt} is not handled (only 0x0e)`, { offset: meiAt, fn: 43 });
  }
  const code = c.u8('read device id code');
  const conformityLevel = c.u8('conformity level');
  const moreAt = c.offset;
  const more = c.u8('more follows');
  if (more !== 0x00 && more !== 0xff) {
    throw new ModbusError('value', `read device identification response: more follows at offset ${moreAt} is ${hex2(more)}, expected 0x00 or 0xff`, { offset: moreAt, fn: 43 });
  }
  const nextObjectId = c.u8('next object id');
  const count = c.u8('number of objects');
  const objects: DeviceIdObject[] = [];
  for (let i = 0; i < count; i++) {
    const id = c.u8(`object ${i + 1} of ${count} id`);
    const len = c.u8(`object ${hex2(id)} length`);
    objects.push({ id, value: c.take(len, `object ${hex2(id)} value`) });
  }
  return { fn: 43, meiType: MEI_READ_DEVICE_ID, code, conformityLevel, moreFollows: more === 0xff, nextObjectId, objects };
}

/** Appends the body after the function code; throws a `value` ModbusError for a field that does not fit. */
export function encodeDeviceIdBody(b: Builder, r: ReadDeviceIdResponse): void {
  checkInt(r.code, 0, 0xff, 'read device id code', 43);
  checkInt(r.conformityLevel, 0, 0xff, 'conformity level', 43);
  checkInt(r.nextObjectId, 0, 0xff, 'next object id', 43);
  checkInt(r.objects.length, 0, 0xff, 'number of objects', 43);
  b.u8(MEI_READ_DEVICE_ID).u8(r.code).u8(r.conformityLevel).u8(r.moreFollows ? 0xff : 0x00).u8(r.nextObjectId).u8(r.objects.length);
  for (const o of r.objects) {
    checkInt(o.id, 0, 0xff, 'object id', 43);
    checkInt(o.value.length, 0, 0xff, `object ${hex2(o.id)} length`, 43);
    b.u8(o.id).u8(o.value.length).bytes(o.value);
  }
}

/** What a slave holds for device identification. */
export interface DeviceIdentity {
  /** 0x01..0x03 (stream access only) or 0x81..0x83 (stream and individual access). */
  conformityLevel: number;
  objects: readonly DeviceIdObject[];
}

/** The highest object id each stream access code reaches: basic 0x02, regular 0x7f, extended 0xff. */
const STREAM_LAST_ID: Readonly<Record<number, number>> = { 1: 0x02, 2: 0x7f, 3: 0xff };

function fits(value: Uint8Array): boolean {
  return HEADER + 2 + value.length <= MAX_PDU;
}

/**
 * The response a slave gives to a device-id request, per the spec:
 * - code outside 1..4 → exception 3;
 * - code 4 (individual access): the one object, or exception 2 when the device lacks it;
 * - codes 1..3 (stream access): objects of the category (basic 0x00–0x02, regular up to 0x7f,
 *   extended up to 0xff) from `objectId` on, or from the first object when `objectId` is not one
 *   the device has; as many as fit in one PDU, with `moreFollows` and `nextObjectId` for the rest.
 * Throws an InputError when one object alone is longer than a PDU can carry (244 bytes).
 */
export function answerDeviceId(req: ReadDeviceIdRequest, device: DeviceIdentity): ReadDeviceIdResponse | ExceptionResponse {
  const base = { fn: 43 as const, meiType: MEI_READ_DEVICE_ID, code: req.code, conformityLevel: device.conformityLevel };
  const sorted = [...device.objects].sort((a, b) => a.id - b.id);
  for (const o of sorted) {
    if (!fits(o.value)) throw new ModbusError('too-long', `device identification object ${hex2(o.id)} is ${o.value.length} bytes, more than ${MAX_PDU - HEADER - 2} fit in a response`);
  }
  if (req.code === 4) {
    const o = sorted.find((x) => x.id === req.objectId);
    if (!o) return { fn: 43, exception: EXCEPTION.ILLEGAL_DATA_ADDRESS };
    return { ...base, moreFollows: false, nextObjectId: 0, objects: [o] };
  }
  const last = STREAM_LAST_ID[req.code];
  if (last === undefined) return { fn: 43, exception: EXCEPTION.ILLEGAL_DATA_VALUE };
  const inCategory = sorted.filter((o) => o.id <= last);
  let i = inCategory.findIndex((o) => o.id === req.objectId);
  if (i < 0) i = 0;
  const objects: DeviceIdObject[] = [];
  let room = MAX_PDU - HEADER;
  while (i < inCategory.length && 2 + inCategory[i]!.value.length <= room) {
    const o = inCategory[i++]!;
    objects.push(o);
    room -= 2 + o.value.length;
  }
  const next = inCategory[i];
  return { ...base, moreFollows: next !== undefined, nextObjectId: next?.id ?? 0, objects };
}
