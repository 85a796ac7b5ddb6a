/** Whole frames with typed PDUs: what the terminal (master) and the emulated slaves call. */

import { BROADCAST, MAX_SLAVE, functionName } from './codes.ts';
import { decodeAdu, encodeAdu } from './adu.ts';
import { ModbusError } from './errors.ts';
import { decodeRequestPdu, encodeRequestPdu, type EncodeOptions } from './requests.ts';
import { decodeResponsePdu, encodeResponsePdu, matchResponse } from './responses.ts';
import type { ModbusRequest, ModbusResponse, RequestFrame, ResponseFrame } from './types.ts';

/** Functions a master may broadcast (slave 0): the writes. */
export const BROADCAST_FUNCTIONS: readonly number[] = Object.freeze([5, 6, 15, 16]);

function tagSlave<T>(slave: number, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof ModbusError) throw e.withSlave(slave);
    throw e;
  }
}

/**
 * A request frame for `slave` (0 broadcast, 1..247). Unless `unchecked`, the request must keep
 * the standard's limits and a broadcast must be a write (5, 6, 15, 16). Throws ModbusError.
 */
export function encodeRequest(slave: number, req: ModbusRequest, options: EncodeOptions = {}): Uint8Array {
  if (!options.unchecked && slave === BROADCAST && !BROADCAST_FUNCTIONS.includes(req.fn)) {
    throw new ModbusError('address', `${functionName(req.fn)} cannot be broadcast (slave 0): only writes (5, 6, 15, 16) can`, { fn: req.fn, slave });
  }
  return encodeAdu(slave, encodeRequestPdu(req, options));
}

/**
 * Decodes a request frame (as a slave receives it). Throws ModbusError; errors raised after the
 * address is known carry `slave`, and a `function` error carries `fn`: a slave answers it with
 * exception 1 (unless broadcast) and drops every other error silently. A request that parses but
 * breaks the limits decodes; ask `requestException` what to answer.
 */
export function decodeRequest(frame: Uint8Array): RequestFrame {
  const { slave, pdu } = decodeAdu(frame, 'request');
  return { slave, request: tagSlave(slave, () => decodeRequestPdu(pdu, 1)) };
}

/** A response frame from `slave` (1..247). Throws ModbusError. */
export function encodeResponse(slave: number, res: ModbusResponse, options: EncodeOptions = {}): Uint8Array {
  if (!Number.isInteger(slave) || slave < 1 || slave > MAX_SLAVE) {
    throw new ModbusError('address', `a response comes from slave 1..${MAX_SLAVE}, not ${String(slave)}`);
  }
  return encodeAdu(slave, encodeResponsePdu(res, options));
}

/**
 * Decodes a response frame (as a master receives it). With `expected` (the request frame it
 * answers) it also checks the slave address and `matchResponse`, and cuts bit reads to the
 * requested quantity. Throws ModbusError.
 */
export function decodeResponse(frame: Uint8Array, expected?: RequestFrame): ResponseFrame {
  const { slave, pdu } = decodeAdu(frame, 'response');
  return tagSlave(slave, () => {
    const response = decodeResponsePdu(pdu, 1);
    if (!expected) return { slave, response };
    if (expected.slave === BROADCAST) {
      throw new ModbusError('mismatch', `response from slave ${slave} to a broadcast: no response was expected`, { offset: 0, fn: response.fn });
    }
    if (slave !== expected.slave) {
      throw new ModbusError('mismatch', `response from slave ${slave} at offset 0, the request went to slave ${expected.slave}`, { offset: 0, fn: response.fn });
    }
    return { slave, response: matchResponse(expected.request, response) };
  });
}
