/**
 * One-line descriptions of frames for traces, with the classic register references
 * (coil 00001, discrete input 10001, input register 30001, holding register 40001 = address 0):
 *
 *   slave 17 read holding 40108+3 (3 regs)
 *   slave 17 → 3 regs: 0x022b 0x0000 0x0064
 *   slave 17 exception 02 illegal data address for fn 03
 */

import { toHex, toPrintable } from '../../core/bytes.ts';
import { COIL_OFF, COIL_ON, conformityLevelName, deviceIdCodeName, exceptionName } from './codes.ts';
import { ModbusError, hex2, hex4 } from './errors.ts';
import { decodeRequest, decodeResponse } from './messages.ts';
import { isException, type Direction, type ModbusRequest, type ModbusResponse } from './types.ts';

/** At most this many values are listed; the rest are counted. */
const MAX_LISTED = 16;

const PREFIX: Readonly<Record<number, { digit: number; name: string; unit: string; units: string }>> = {
  1: { digit: 0, name: 'coils', unit: 'coil', units: 'coils' },
  2: { digit: 1, name: 'discrete', unit: 'input', units: 'inputs' },
  3: { digit: 4, name: 'holding', unit: 'reg', units: 'regs' },
  4: { digit: 3, name: 'input', unit: 'reg', units: 'regs' },
  5: { digit: 0, name: 'coil', unit: 'coil', units: 'coils' },
  6: { digit: 4, name: 'holding', unit: 'reg', units: 'regs' },
  15: { digit: 0, name: 'coils', unit: 'coil', units: 'coils' },
  16: { digit: 4, name: 'holding', unit: 'reg', units: 'regs' },
};

/** `40108` for holding address 107; six digits (`465536`) past reference 9999. */
export function reference(fn: number, address: number): string {
  const n = address + 1;
  const digit = PREFIX[fn]?.digit ?? 4;
  return `${digit}${String(n).padStart(n > 9999 ? 5 : 4, '0')}`;
}

function count(n: number, fn: number): string {
  const p = PREFIX[fn]!;
  return `${n} ${n === 1 ? p.unit : p.units}`;
}

function listRegs(values: readonly number[]): string {
  const shown = values.slice(0, MAX_LISTED).map(hex4).join(' ');
  return values.length > MAX_LISTED ? `${shown} … (+${values.length - MAX_LISTED} more)` : shown;
}

function listBits(values: readonly boolean[]): string {
  const shown = values.slice(0, 8 * MAX_LISTED).map((v) => (v ? '1' : '0')).join('').replace(/(.{8})(?=.)/g, '$1 ');
  return values.length > 8 * MAX_LISTED ? `${shown} … (+${values.length - 8 * MAX_LISTED} more)` : shown;
}

function coilValue(v: number): string {
  return v === COIL_ON ? 'ON' : v === COIL_OFF ? 'OFF' : `${hex4(v)} (neither ON nor OFF)`;
}

function who(slave: number): string {
  return slave === 0 ? 'broadcast' : `slave ${slave}`;
}

/** `slave 17 read holding 40108+3 (3 regs)`. */
export function describeRequest(slave: number, req: ModbusRequest): string {
  const s = who(slave);
  switch (req.fn) {
    case 1: case 2: case 3: case 4:
      return `${s} read ${PREFIX[req.fn]!.name} ${reference(req.fn, req.address)}+${req.quantity} (${count(req.quantity, req.fn)})`;
    case 5:
      return `${s} write coil ${reference(5, req.address)} = ${coilValue(req.value)}`;
    case 6:
      return `${s} write holding ${reference(6, req.address)} = ${hex4(req.value)} (${req.value})`;
    case 15:
      return `${s} write coils ${reference(15, req.address)}+${req.quantity}: ${listBits(req.values)}`;
    case 16:
      return `${s} write holding ${reference(16, req.address)}+${req.quantity}: ${listRegs(req.values)}`;
    case 17:
      return `${s} report server id`;
    case 43:
      return `${s} read device id ${deviceIdCodeName(req.code)} from object ${hex2(req.objectId)}`;
  }
}

/** `slave 17 → 3 regs: 0x022b 0x0000 0x0064`; `slave 17 exception 02 illegal data address for fn 03`. */
export function describeResponse(slave: number, res: ModbusResponse): string {
  const s = who(slave);
  if (isException(res)) {
    return `${s} exception ${res.exception.toString(16).padStart(2, '0')} ${exceptionName(res.exception)} for fn ${res.fn.toString(16).padStart(2, '0')}`;
  }
  switch (res.fn) {
    case 1: case 2:
      return `${s} → ${count(res.values.length, res.fn)}: ${listBits(res.values)}`;
    case 3: case 4:
      return `${s} → ${count(res.values.length, res.fn)}: ${listRegs(res.values)}`;
    case 5:
      return `${s} → wrote coil ${reference(5, res.address)} = ${coilValue(res.value)}`;
    case 6:
      return `${s} → wrote holding ${reference(6, res.address)} = ${hex4(res.value)} (${res.value})`;
    case 15: case 16:
      return `${s} → wrote ${count(res.quantity, res.fn)} at ${reference(res.fn, res.address)}`;
    case 17:
      return `${s} → server id data (${res.data.length} bytes): ${toHex(res.data)}`;
    case 43: {
      const objects = res.objects.map((o) => `${hex2(o.id)}="${toPrintable(o.value)}"`).join(' ');
      const more = res.moreFollows ? `, more follows from ${hex2(res.nextObjectId)}` : '';
      return `${s} → device id ${deviceIdCodeName(res.code)}, conformity ${hex2(res.conformityLevel)} ${conformityLevelName(res.conformityLevel)}: ${objects || 'no objects'}${more}`;
    }
  }
}

/** Options of `describe`. */
export interface DescribeOptions {
  /** Which way the frame travelled; guessed from the layout when absent. */
  direction?: Direction;
  /** The request a response answers (implies `direction: 'response'`); trims bit reads. */
  request?: { slave: number; request: ModbusRequest };
}

/**
 * One line for a trace. Never throws: a frame that does not decode is shown as
 * `bad frame (<why>): <hex>`. Without a direction, a frame that decodes only one way is shown
 * that way; one that decodes both ways (a write echo is byte-identical to its request) is shown
 * as a request.
 */
export function describe(frame: Uint8Array, options: DescribeOptions = {}): string {
  const direction = options.request ? 'response' : options.direction;
  const asRequest = (): string => {
    const f = decodeRequest(frame);
    return describeRequest(f.slave, f.request);
  };
  const asResponse = (): string => {
    const f = decodeResponse(frame, options.request);
    return describeResponse(f.slave, f.response);
  };
  const attempts = direction === 'request' ? [asRequest] : direction === 'response' ? [asResponse]
    : (frame[1] ?? 0) & 0x80 ? [asResponse, asRequest] : [asRequest, asResponse];
  let first: unknown;
  for (const attempt of attempts) {
    try {
      return attempt();
    } catch (e) {
      first ??= e;
    }
  }
  const why = first instanceof ModbusError ? first.detail : String(first);
  return `bad frame (${why}): ${toHex(frame)}`;
}
