/**
 * The checks a slave makes on a request that parsed, in the order of the application protocol
 * spec's state diagrams (V1.1b3, section 6): first the quantity / value (exception 3, illegal data
 * value), then the address range (exception 2, illegal data address). A master uses the same
 * checks before it sends.
 */

import { COIL_ON, COIL_OFF, EXCEPTION, LIMITS, functionName } from './codes.ts';
import { hex4 } from './errors.ts';
import type { ModbusRequest } from './types.ts';

/** The four data tables of a Modbus device. */
export type DataTable = 'coils' | 'discreteInputs' | 'holdingRegisters' | 'inputRegisters';

/** The table a function reads or writes; undefined for 17 and 43. */
export function tableOf(fn: number): DataTable | undefined {
  switch (fn) {
    case 1: case 5: case 15: return 'coils';
    case 2: return 'discreteInputs';
    case 3: case 6: case 16: return 'holdingRegisters';
    case 4: return 'inputRegisters';
    default: return undefined;
  }
}

/** What a slave knows about itself, for the address checks. Both members are optional. */
export interface SlaveModel {
  /** True when every address `address .. address + quantity - 1` of `table` exists. */
  hasRange?(table: DataTable, address: number, quantity: number): boolean;
  /** True when the device has identification object `id` (individual access, code 4). */
  hasDeviceObject?(id: number): boolean;
}

/** Why a request must be refused: the exception code and a sentence naming the field. */
export interface RequestProblem {
  exception: typeof EXCEPTION.ILLEGAL_DATA_ADDRESS | typeof EXCEPTION.ILLEGAL_DATA_VALUE;
  message: string;
}

const READ_MAX: Readonly<Record<number, number>> = { 1: LIMITS.readBits, 2: LIMITS.readBits, 3: LIMITS.readRegisters, 4: LIMITS.readRegisters };

function value(message: string): RequestProblem {
  return { exception: EXCEPTION.ILLEGAL_DATA_VALUE, message };
}

function address(message: string): RequestProblem {
  return { exception: EXCEPTION.ILLEGAL_DATA_ADDRESS, message };
}

function rangeProblem(fn: number, start: number, quantity: number, model?: SlaveModel): RequestProblem | undefined {
  if (start + quantity > LIMITS.addressSpace) {
    return address(`${functionName(fn)}: address ${start} + quantity ${quantity} passes the end of the address space (${LIMITS.addressSpace})`);
  }
  const table = tableOf(fn);
  if (table && model?.hasRange && !model.hasRange(table, start, quantity)) {
    return address(`${functionName(fn)}: ${table} ${start}..${start + quantity - 1} do not exist on this device`);
  }
  return undefined;
}

function quantityProblem(fn: number, quantity: number, max: number): RequestProblem | undefined {
  if (quantity < 1 || quantity > max) return value(`${functionName(fn)}: quantity ${quantity} is outside 1..${max}`);
  return undefined;
}

/**
 * The first problem of a request that decoded but breaks the standard's limits or the device's
 * address map, or undefined when a slave should execute it. Quantity and value checks come
 * before address checks, as in the spec's state diagrams.
 */
export function requestProblem(req: ModbusRequest, model?: SlaveModel): RequestProblem | undefined {
  switch (req.fn) {
    case 1: case 2: case 3: case 4:
      return quantityProblem(req.fn, req.quantity, READ_MAX[req.fn]!) ?? rangeProblem(req.fn, req.address, req.quantity, model);
    case 5:
      if (req.value !== COIL_ON && req.value !== COIL_OFF) {
        return value(`write single coil: output value ${hex4(req.value)} is neither 0xff00 (ON) nor 0x0000 (OFF)`);
      }
      return rangeProblem(5, req.address, 1, model);
    case 6:
      return rangeProblem(6, req.address, 1, model);
    case 15: {
      const q = quantityProblem(15, req.quantity, LIMITS.writeCoils);
      if (q) return q;
      const want = Math.ceil(req.quantity / 8);
      if (req.byteCount !== want) return value(`write multiple coils: byte count ${req.byteCount} does not match quantity ${req.quantity} (expected ${want})`);
      if (req.values.length !== req.quantity) return value(`write multiple coils: ${req.values.length} values for quantity ${req.quantity}`);
      return rangeProblem(15, req.address, req.quantity, model);
    }
    case 16: {
      const q = quantityProblem(16, req.quantity, LIMITS.writeRegisters);
      if (q) return q;
      if (req.byteCount !== 2 * req.quantity) return value(`write multiple registers: byte count ${req.byteCount} does not match quantity ${req.quantity} (expected ${2 * req.quantity})`);
      if (req.values.length !== req.quantity) return value(`write multiple registers: ${req.values.length} values for quantity ${req.quantity}`);
      return rangeProblem(16, req.address, req.quantity, model);
    }
    case 17:
      return undefined;
    case 43:
      if (req.code < 1 || req.code > 4) return value(`read device identification: read device id code ${req.code} is outside 1..4`);
      if (req.code === 4 && model?.hasDeviceObject && !model.hasDeviceObject(req.objectId)) {
        return address(`read device identification: object 0x${req.objectId.toString(16).padStart(2, '0')} does not exist on this device`);
      }
      return undefined;
  }
}

/**
 * The exception code a slave must answer to a decoded request (2 illegal data address,
 * 3 illegal data value), or undefined when the request is within limits. Unsupported function
 * codes never decode: `decodeRequest` throws a `function` ModbusError, answered with exception 1.
 */
export function requestException(req: ModbusRequest, model?: SlaveModel): RequestProblem['exception'] | undefined {
  return requestProblem(req, model)?.exception;
}
