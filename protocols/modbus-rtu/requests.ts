/** Request PDUs: builders for a master, and encode/decode in both directions. */

import { COIL_OFF, COIL_ON, MAX_PDU, MEI_READ_DEVICE_ID, functionName } from './codes.ts';
import { ModbusError, hex2 } from './errors.ts';
import { requestProblem } from './limits.ts';
import type {
  ModbusRequest,
  ReadDeviceIdRequest,
  ReadRequest,
  ReportServerIdRequest,
  WriteMultipleCoilsRequest,
  WriteMultipleRegistersRequest,
  WriteSingleCoilRequest,
  WriteSingleRegisterRequest,
} from './types.ts';
import { Builder, Cursor, checkInt, packBits, unpackBits, unpackRegisters } from './wire.ts';

/** Function 1: read `quantity` (1..2000) coils from `address`. */
export function readCoils(address: number, quantity: number): ReadRequest {
  return { fn: 1, address, quantity };
}

/** Function 2: read `quantity` (1..2000) discrete inputs from `address`. */
export function readDiscreteInputs(address: number, quantity: number): ReadRequest {
  return { fn: 2, address, quantity };
}

/** Function 3: read `quantity` (1..125) holding registers from `address`. */
export function readHoldingRegisters(address: number, quantity: number): ReadRequest {
  return { fn: 3, address, quantity };
}

/** Function 4: read `quantity` (1..125) input registers from `address`. */
export function readInputRegisters(address: number, quantity: number): ReadRequest {
  return { fn: 4, address, quantity };
}

/** Function 5: switch one coil ON (0xFF00) or OFF (0x0000). */
export function writeSingleCoil(address: number, on: boolean): WriteSingleCoilRequest {
  return { fn: 5, address, value: on ? COIL_ON : COIL_OFF };
}

/** Function 6: write one holding register (0..65535). */
export function writeSingleRegister(address: number, value: number): WriteSingleRegisterRequest {
  return { fn: 6, address, value };
}

/** Function 15: write 1..1968 coils from `address`; quantity and byte count follow from `values`. */
export function writeMultipleCoils(address: number, values: readonly boolean[]): WriteMultipleCoilsRequest {
  return { fn: 15, address, quantity: values.length, byteCount: Math.ceil(values.length / 8), values: [...values] };
}

/** Function 16: write 1..123 holding registers from `address`; quantity and byte count follow from `values`. */
export function writeMultipleRegisters(address: number, values: readonly number[]): WriteMultipleRegistersRequest {
  return { fn: 16, address, quantity: values.length, byteCount: 2 * values.length, values: [...values] };
}

/** Function 17: ask a slave for its server ID and run indicator. */
export function reportServerId(): ReportServerIdRequest {
  return { fn: 17 };
}

/** Read Device Identification: `code` 1 basic, 2 regular, 3 extended (stream), 4 one object. */
export function readDeviceIdentification(code = 1, objectId = 0): ReadDeviceIdRequest {
  return { fn: 43, meiType: MEI_READ_DEVICE_ID, code, objectId };
}

/** Options of the encoders. */
export interface EncodeOptions {
  /**
   * Skip the standard's limits (quantities, byte counts, coil values) and only check that every
   * field fits its bytes. For fault injection; a conforming master or slave leaves it off.
   */
  unchecked?: boolean;
}

/**
 * Encodes a request PDU (function code + data). Throws a `value` ModbusError naming the field
 * when a field does not fit its bytes, or, unless `unchecked`, breaks the standard's limits.
 */
export function encodeRequestPdu(req: ModbusRequest, options: EncodeOptions = {}): Uint8Array {
  const fn = req.fn;
  if (!options.unchecked) {
    const p = requestProblem(req);
    if (p) throw new ModbusError('value', p.message, { fn });
  }
  const b = new Builder().u8(fn);
  switch (req.fn) {
    case 1: case 2: case 3: case 4:
      checkInt(req.address, 0, 0xffff, 'address', fn);
      checkInt(req.quantity, 0, 0xffff, 'quantity', fn);
      b.u16(req.address).u16(req.quantity);
      break;
    case 5: case 6:
      checkInt(req.address, 0, 0xffff, 'address', fn);
      checkInt(req.value, 0, 0xffff, 'value', fn);
      b.u16(req.address).u16(req.value);
      break;
    case 15:
      checkInt(req.address, 0, 0xffff, 'address', fn);
      checkInt(req.quantity, 0, 0xffff, 'quantity', fn);
      checkInt(req.byteCount, 0, 0xff, 'byte count', fn);
      b.u16(req.address).u16(req.quantity).u8(req.byteCount).bytes(packBits(req.values));
      break;
    case 16:
      checkInt(req.address, 0, 0xffff, 'address', fn);
      checkInt(req.quantity, 0, 0xffff, 'quantity', fn);
      checkInt(req.byteCount, 0, 0xff, 'byte count', fn);
      b.u16(req.address).u16(req.quantity).u8(req.byteCount);
      req.values.forEach((v, i) => {
        checkInt(v, 0, 0xffff, `value[${i}]`, fn);
        b.u16(v);
      });
      break;
    case 17:
      break;
    case 43:
      checkInt(req.code, 0, 0xff, 'read device id code', fn);
      checkInt(req.objectId, 0, 0xff, 'object id', fn);
      b.u8(MEI_READ_DEVICE_ID).u8(req.code).u8(req.objectId);
      break;
    default:
      throw new ModbusError('function', `function code ${String((req as { fn: unknown }).fn)} is not handled`);
  }
  const pdu = b.build();
  if (pdu.length > MAX_PDU) throw new ModbusError('too-long', `${functionName(fn)} request PDU would be ${pdu.length} bytes, more than ${MAX_PDU}`, { fn });
  return pdu;
}

/**
 * Decodes a request PDU. Only the layout is checked: a request that parses but breaks the
 * limits decodes, and `requestException` says what a slave answers. Throws ModbusError:
 * `too-short` for an empty PDU, `function` for a function code (or MEI type) not handled
 * (a slave answers exception 1), `length` when the bytes do not fit the function's layout.
 * `base` is added to the offsets in errors (1 when the PDU sits in a frame).
 */
export function decodeRequestPdu(pdu: Uint8Array, base = 0): ModbusRequest {
  if (pdu.length === 0) throw new ModbusError('too-short', `request PDU is empty at offset ${base}: expected a function code`, { offset: base });
  if (pdu.length > MAX_PDU) throw new ModbusError('too-long', `request PDU is ${pdu.length} bytes, more than ${MAX_PDU}`, { offset: base + MAX_PDU });
  const fn = pdu[0]!;
  const c = new Cursor(pdu, `${functionName(fn)} request`, base, fn);
  c.u8('function code');
  let req: ModbusRequest;
  switch (fn) {
    case 1: case 2: case 3: case 4:
      req = { fn, address: c.u16('starting address'), quantity: c.u16('quantity') };
      break;
    case 5: case 6:
      req = { fn, address: c.u16('output address'), value: c.u16('output value') };
      break;
    case 15: case 16: {
      const address = c.u16('starting address');
      const quantity = c.u16('quantity');
      const countAt = c.offset;
      const byteCount = c.u8('byte count');
      if (c.remaining !== byteCount) {
        throw new ModbusError('length', `${functionName(fn)} request declares byte count ${byteCount} at offset ${countAt} but carries ${c.remaining} data bytes`, { offset: countAt, fn });
      }
      const data = c.take(byteCount, 'values');
      req = fn === 15
        ? { fn, address, quantity, byteCount, values: unpackBits(data, Math.min(quantity, byteCount * 8)) }
        : { fn, address, quantity, byteCount, values: unpackRegisters(data) };
      break;
    }
    case 17:
      req = { fn };
      break;
    case 43: {
      const meiAt = c.offset;
      const mei = c.u8('MEI type');
      if (mei !== MEI_READ_DEVICE_ID) {
        throw new ModbusError('function', `function 43 with MEI type ${hex2(mei)} at offset ${meiAt} is not handled (only 0x0e, read device identification)`, { offset: meiAt, fn });
      }
      req = { fn, meiType: MEI_READ_DEVICE_ID, code: c.u8('read device id code'), objectId: c.u8('object id') };
      break;
    }
    default:
      throw new ModbusError('function', `function code ${hex2(fn)} at offset ${base} is not handled`, { offset: base, fn });
  }
  c.end();
  return req;
}
