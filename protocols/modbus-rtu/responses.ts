/** Response PDUs: builders for a slave, encode/decode in both directions, matching to a request. */

import { COIL_OFF, COIL_ON, LIMITS, MAX_PDU, functionName } from './codes.ts';
import { decodeDeviceIdBody, encodeDeviceIdBody } from './device-id.ts';
import { ModbusError, hex2, hex4 } from './errors.ts';
import type { EncodeOptions } from './requests.ts';
import {
  isException,
  type ExceptionResponse,
  type ModbusRequest,
  type ModbusResponse,
  type WriteMultipleResponse,
  type WriteSingleResponse,
} from './types.ts';
import { Builder, Cursor, checkInt, packBits, unpackBits, unpackRegisters } from './wire.ts';

/** An exception response to function `fn` (1..127) with exception `code`. */
export function exceptionResponse(fn: number, code: number): ExceptionResponse {
  return { fn, exception: code };
}

/** The normal response to a write request: the echo (5, 6) or address and quantity (15, 16). */
export function echoResponse(req: ModbusRequest & { fn: 5 | 6 | 15 | 16 }): WriteSingleResponse | WriteMultipleResponse {
  return req.fn === 5 || req.fn === 6
    ? { fn: req.fn, address: req.address, value: req.value }
    : { fn: req.fn, address: req.address, quantity: req.quantity };
}

/** Largest byte count of a read response: 2000 bits or 125 registers both make 250 bytes. */
export const MAX_READ_BYTE_COUNT = 250;

/**
 * Whether a read response byte count (functions 1–4) fits the standard: 1..250, even for
 * registers. Returns the problem as a sentence, or undefined when it fits.
 */
export function readByteCountProblem(fn: number, byteCount: number): string | undefined {
  if (byteCount < 1 || byteCount > MAX_READ_BYTE_COUNT) return `byte count ${byteCount} is outside 1..${MAX_READ_BYTE_COUNT}`;
  if ((fn === 3 || fn === 4) && byteCount % 2 !== 0) return `byte count ${byteCount} is odd, registers take 2 bytes each`;
  return undefined;
}

/**
 * Encodes a response PDU. Throws a `value` ModbusError naming the field when a field does not
 * fit its bytes or, unless `unchecked`, breaks the standard's limits.
 */
export function encodeResponsePdu(res: ModbusResponse, options: EncodeOptions = {}): Uint8Array {
  const strict = !options.unchecked;
  const b = new Builder();
  if (isException(res)) {
    checkInt(res.fn, 1, 0x7f, 'function code of an exception', res.fn);
    checkInt(res.exception, strict ? 1 : 0, 0xff, 'exception code', res.fn);
    return b.u8(res.fn | 0x80).u8(res.exception).build();
  }
  const fn = res.fn;
  b.u8(fn);
  switch (res.fn) {
    case 1: case 2:
      if (strict) checkInt(res.values.length, 1, LIMITS.readBits, 'number of values', fn);
      checkInt(Math.ceil(res.values.length / 8), 0, 0xff, 'byte count', fn);
      b.u8(Math.ceil(res.values.length / 8)).bytes(packBits(res.values));
      break;
    case 3: case 4:
      if (strict) checkInt(res.values.length, 1, LIMITS.readRegisters, 'number of values', fn);
      checkInt(2 * res.values.length, 0, 0xff, 'byte count', fn);
      b.u8(2 * res.values.length);
      res.values.forEach((v, i) => {
        checkInt(v, 0, 0xffff, `value[${i}]`, fn);
        b.u16(v);
      });
      break;
    case 5: case 6:
      checkInt(res.address, 0, 0xffff, 'address', fn);
      checkInt(res.value, 0, 0xffff, 'value', fn);
      if (strict && fn === 5 && res.value !== COIL_ON && res.value !== COIL_OFF) {
        throw new ModbusError('value', `write single coil: output value ${hex4(res.value)} is neither 0xff00 nor 0x0000`, { fn });
      }
      b.u16(res.address).u16(res.value);
      break;
    case 15: case 16:
      checkInt(res.address, 0, 0xffff, 'address', fn);
      checkInt(res.quantity, strict ? 1 : 0, strict ? (fn === 15 ? LIMITS.writeCoils : LIMITS.writeRegisters) : 0xffff, 'quantity', fn);
      if (strict && res.address + res.quantity > LIMITS.addressSpace) {
        throw new ModbusError('value', `${functionName(fn)}: address ${res.address} + quantity ${res.quantity} passes ${LIMITS.addressSpace}`, { fn });
      }
      b.u16(res.address).u16(res.quantity);
      break;
    case 17:
      checkInt(res.data.length, 0, 0xff, 'byte count', fn);
      b.u8(res.data.length).bytes(res.data);
      break;
    case 43:
      if (strict) checkInt(res.code, 1, 4, 'read device id code', fn);
      encodeDeviceIdBody(b, res);
      break;
    default:
      throw new ModbusError('function', `function code ${String((res as { fn: unknown }).fn)} is not handled`);
  }
  const pdu = b.build();
  if (pdu.length > MAX_PDU) throw new ModbusError('too-long', `${functionName(fn)} response PDU would be ${pdu.length} bytes, more than ${MAX_PDU}`, { fn });
  return pdu;
}

/**
 * Decodes a response PDU on its own (see `matchResponse` to check it against its request).
 * Throws ModbusError: `too-short`, `function` (a code not handled), `length` (bytes that do not
 * fit the layout or the byte count), `value` (a byte count or flag the standard forbids).
 * `base` is added to offsets in errors (1 when the PDU sits in a frame).
 */
export function decodeResponsePdu(pdu: Uint8Array, base = 0): ModbusResponse {
  if (pdu.length === 0) throw new ModbusError('too-short', `response PDU is empty at offset ${base}: expected a function code`, { offset: base });
  if (pdu.length > MAX_PDU) throw new ModbusError('too-long', `response PDU is ${pdu.length} bytes, more than ${MAX_PDU}`, { offset: base + MAX_PDU });
  const code = pdu[0]!;
  if (code & 0x80) {
    const fn = code & 0x7f;
    if (fn === 0) throw new ModbusError('function', `exception response at offset ${base} names function 0, which does not exist`, { offset: base, fn });
    const c = new Cursor(pdu, `exception response to ${functionName(fn)}`, base, fn);
    c.u8('function code');
    const res: ExceptionResponse = { fn, exception: c.u8('exception code') };
    c.end();
    return res;
  }
  const fn = code;
  const c = new Cursor(pdu, `${functionName(fn)} response`, base, fn);
  c.u8('function code');
  let res: ModbusResponse;
  switch (fn) {
    case 1: case 2: case 3: case 4: case 17: {
      const countAt = c.offset;
      const byteCount = c.u8('byte count');
      const problem = fn === 17 ? undefined : readByteCountProblem(fn, byteCount);
      if (problem) throw new ModbusError('value', `${functionName(fn)} response: ${problem} at offset ${countAt}`, { offset: countAt, fn });
      if (c.remaining !== byteCount) {
        throw new ModbusError('length', `${functionName(fn)} response declares byte count ${byteCount} at offset ${countAt} but carries ${c.remaining} data bytes`, { offset: countAt, fn });
      }
      const data = c.take(byteCount, 'data');
      if (fn === 17) res = { fn, data };
      else if (fn === 1 || fn === 2) res = { fn, values: unpackBits(data) };
      else res = { fn, values: unpackRegisters(data) };
      break;
    }
    case 5: case 6:
      res = { fn, address: c.u16('output address'), value: c.u16('output value') };
      break;
    case 15: case 16:
      res = { fn, address: c.u16('starting address'), quantity: c.u16('quantity') };
      break;
    case 43:
      res = decodeDeviceIdBody(c);
      break;
    default:
      throw new ModbusError('function', `function code ${hex2(fn)} at offset ${base} is not handled`, { offset: base, fn });
  }
  c.end();
  return res;
}

function mismatch(message: string, fn: number, offset?: number): ModbusError {
  return new ModbusError('mismatch', message, offset === undefined ? { fn } : { fn, offset });
}

/**
 * Checks that `res` answers `req` and returns it refined: bit reads are cut to the requested
 * quantity. Throws a `mismatch` ModbusError when the function differs, a read carries another
 * quantity, a write echo differs or a device-id response answers another code. Offsets in
 * errors are frame offsets.
 */
export function matchResponse(req: ModbusRequest, res: ModbusResponse): ModbusResponse {
  if (res.fn !== req.fn) {
    const what = isException(res) ? `exception response for ${functionName(res.fn)}` : `${functionName(res.fn)} response`;
    throw mismatch(`${what} does not answer a ${functionName(req.fn)} request`, res.fn, 1);
  }
  if (isException(res)) return res;
  switch (req.fn) {
    case 1: case 2: {
      const r = res as { fn: 1 | 2; values: boolean[] };
      const want = Math.ceil(req.quantity / 8);
      const got = Math.ceil(r.values.length / 8);
      if (got !== want || r.values.length < req.quantity) {
        throw mismatch(`${functionName(req.fn)} response has byte count ${got}, ${req.quantity} bits need ${want}`, req.fn, 2);
      }
      return { fn: r.fn, values: r.values.slice(0, req.quantity) };
    }
    case 3: case 4: {
      const r = res as { values: number[] };
      if (r.values.length !== req.quantity) {
        throw mismatch(`${functionName(req.fn)} response has ${r.values.length} registers, ${req.quantity} were asked`, req.fn, 2);
      }
      return res;
    }
    case 5: case 6: {
      const r = res as WriteSingleResponse;
      if (r.address !== req.address) throw mismatch(`${functionName(req.fn)} echo has address ${r.address}, request had ${req.address}`, req.fn, 2);
      if (r.value !== req.value) throw mismatch(`${functionName(req.fn)} echo has value ${hex4(r.value)}, request had ${hex4(req.value)}`, req.fn, 4);
      return res;
    }
    case 15: case 16: {
      const r = res as WriteMultipleResponse;
      if (r.address !== req.address) throw mismatch(`${functionName(req.fn)} response has address ${r.address}, request had ${req.address}`, req.fn, 2);
      if (r.quantity !== req.quantity) throw mismatch(`${functionName(req.fn)} response has quantity ${r.quantity}, request had ${req.quantity}`, req.fn, 4);
      return res;
    }
    case 17:
      return res;
    case 43: {
      const r = res as { code: number };
      if (r.code !== req.code) throw mismatch(`read device identification response has code ${r.code}, request had ${req.code}`, 43, 3);
      return res;
    }
  }
}

/** The parts of a report-server-id response, given the device's server ID length. */
export interface ServerIdParts {
  serverId: Uint8Array;
  /** The run indicator byte: 0xFF ON, 0x00 OFF. */
  runIndicator: number;
  /** true for 0xFF, false for 0x00, undefined for any other byte. */
  running: boolean | undefined;
  additional: Uint8Array;
}

/**
 * Splits report-server-id data. The server ID length is device specific (often 1 byte), so the
 * caller names it. Throws a `length` ModbusError when the data is shorter than id + run indicator.
 */
export function parseServerId(data: Uint8Array, idLength = 1): ServerIdParts {
  if (data.length < idLength + 1) {
    throw new ModbusError('length', `report server id data is ${data.length} bytes, a ${idLength}-byte server id and the run indicator need ${idLength + 1}`, { fn: 17 });
  }
  const runIndicator = data[idLength]!;
  return {
    serverId: data.slice(0, idLength),
    runIndicator,
    running: runIndicator === 0xff ? true : runIndicator === 0x00 ? false : undefined,
    additional: data.slice(idLength + 1),
  };
}

/** Report-server-id data: server ID bytes, run indicator (0xFF when running) and additional data. */
export function serverIdData(serverId: Uint8Array, running: boolean, additional: Uint8Array = new Uint8Array(0)): Uint8Array {
  const out = new Uint8Array(serverId.length + 1 + additional.length);
  out.set(serverId, 0);
  out[serverId.length] = running ? 0xff : 0x00;
  out.set(additional, serverId.length + 1);
  return out;
}
