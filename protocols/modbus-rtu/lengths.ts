/**
 * Frame lengths by the function's layout: how long a response will be (so a master knows how
 * many bytes to wait for) and how long the frame starting at a given byte is (for framing a
 * byte stream that carries no silence information).
 */

import { MAX_ADU, MAX_SLAVE, MEI_READ_DEVICE_ID, isSupportedFunction } from './codes.ts';
import { hex2 } from './errors.ts';
import { readByteCountProblem } from './responses.ts';
import type { Direction, ModbusRequest } from './types.ts';

/** Every exception response frame: slave, fn | 0x80, exception code, CRC. */
export const EXCEPTION_FRAME_LENGTH = 5;

/**
 * Length in bytes of the normal response frame (slave address and CRC included) to `req`, or
 * undefined when only the response itself tells (17 and 43 carry their own counts). An exception
 * response is `EXCEPTION_FRAME_LENGTH` instead; a broadcast gets no response at all.
 */
export function expectedResponseLength(req: ModbusRequest): number | undefined {
  switch (req.fn) {
    case 1: case 2: return 5 + Math.ceil(req.quantity / 8);
    case 3: case 4: return 5 + 2 * req.quantity;
    case 5: case 6: case 15: case 16: return 8;
    case 17: case 43: return undefined;
  }
}

/** What the bytes at a position say about the frame that would start there. */
export type LengthVerdict =
  | { kind: 'complete'; length: number }
  | { kind: 'more'; atLeast: number }
  | { kind: 'invalid'; reason: string };

const more = (atLeast: number): LengthVerdict => ({ kind: 'more', atLeast });
const complete = (length: number): LengthVerdict =>
  length > MAX_ADU ? { kind: 'invalid', reason: `layout gives ${length} bytes, more than ${MAX_ADU}` } : { kind: 'complete', length };
const invalid = (reason: string): LengthVerdict => ({ kind: 'invalid', reason });

/**
 * The length of the frame starting at `buf[start]`, read from its header by the function's
 * layout in `direction`: `complete` with the length once enough header bytes are present (the
 * frame itself may still be incomplete), `more` when a header byte it needs has not arrived,
 * `invalid` when no frame can start here (reserved address, unknown function, impossible count).
 * It never looks past `end`, never checks the CRC, and never answers more than 256.
 */
export function frameLength(buf: Uint8Array, start: number, end: number, direction: Direction): LengthVerdict {
  const get = (i: number): number | undefined => (start + i < end ? buf[start + i] : undefined);
  const slave = get(0);
  if (slave === undefined) return more(1);
  if (slave > MAX_SLAVE) return invalid(`slave address ${hex2(slave)} is reserved`);
  if (slave === 0 && direction === 'response') return invalid('slave address 0 in a response');
  const fn = get(1);
  if (fn === undefined) return more(2);
  return direction === 'request' ? requestLength(fn, get) : responseLength(fn, get);
}

function requestLength(fn: number, get: (i: number) => number | undefined): LengthVerdict {
  switch (fn) {
    case 1: case 2: case 3: case 4: case 5: case 6:
      return complete(8);
    case 15: case 16: {
      const byteCount = get(6);
      return byteCount === undefined ? more(7) : complete(9 + byteCount);
    }
    case 17:
      return complete(4);
    case 43: {
      const mei = get(2);
      if (mei === undefined) return more(3);
      return mei === MEI_READ_DEVICE_ID ? complete(7) : invalid(`MEI type ${hex2(mei)} is not handled`);
    }
    default:
      return invalid(`function code ${hex2(fn)} is not handled`);
  }
}

function responseLength(fn: number, get: (i: number) => number | undefined): LengthVerdict {
  if (fn & 0x80) {
    return isSupportedFunction(fn & 0x7f) ? complete(5) : invalid(`exception for function ${hex2(fn & 0x7f)}, which is not handled`);
  }
  switch (fn) {
    case 1: case 2: case 3: case 4: {
      const byteCount = get(2);
      if (byteCount === undefined) return more(3);
      const problem = readByteCountProblem(fn, byteCount);
      return problem ? invalid(problem) : complete(5 + byteCount);
    }
    case 5: case 6: case 15: case 16:
      return complete(8);
    case 17: {
      const byteCount = get(2);
      return byteCount === undefined ? more(3) : complete(5 + byteCount);
    }
    case 43:
      return deviceIdLength(get);
    default:
      return invalid(`function code ${hex2(fn)} is not handled`);
  }
}

/** slave 2B 0E code conformity more next count {id len value}×count CRC */
function deviceIdLength(get: (i: number) => number | undefined): LengthVerdict {
  const mei = get(2);
  if (mei === undefined) return more(3);
  if (mei !== MEI_READ_DEVICE_ID) return invalid(`MEI type ${hex2(mei)} is not handled`);
  const moreFollows = get(5);
  if (moreFollows !== undefined && moreFollows !== 0x00 && moreFollows !== 0xff) return invalid(`more follows ${hex2(moreFollows)} is neither 0x00 nor 0xff`);
  const count = get(7);
  if (count === undefined) return more(8);
  let pos = 8;
  for (let i = 0; i < count; i++) {
    const len = get(pos + 1);
    if (len === undefined) return more(pos + 2);
    pos += 2 + len;
    if (pos + 2 > MAX_ADU) return invalid(`objects run past ${MAX_ADU} bytes`);
  }
  return complete(pos + 2);
}
