/** Seeded random PDUs for the tests of this folder (not part of the public API). */

import { writeMultipleCoils, writeMultipleRegisters } from './requests.ts';
import type { DeviceIdObject, ModbusRequest, ModbusResponse } from './types.ts';

export { mulberry32 } from '../../core/random.ts';
import { mulberry32 } from '../../core/random.ts';

export class Rand {
  readonly next: () => number;
  constructor(seed: number) {
    this.next = mulberry32(seed);
  }
  /** Integer in lo..hi inclusive. */
  int(lo: number, hi: number): number {
    return lo + Math.floor(this.next() * (hi - lo + 1));
  }
  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.next() * xs.length)]!;
  }
  bytes(n: number): Uint8Array {
    return Uint8Array.from({ length: n }, () => this.int(0, 255));
  }
  bools(n: number): boolean[] {
    return Array.from({ length: n }, () => this.next() < 0.5);
  }
  regs(n: number): number[] {
    return Array.from({ length: n }, () => this.int(0, 0xffff));
  }
}

/** A request within the standard's limits. */
export function randomRequest(r: Rand): ModbusRequest {
  const fn = r.pick([1, 2, 3, 4, 5, 6, 15, 16, 17, 43] as const);
  switch (fn) {
    case 1: case 2: case 3: case 4: {
      const quantity = r.int(1, fn <= 2 ? 2000 : 125);
      return { fn, address: r.int(0, 65536 - quantity), quantity };
    }
    case 5: return { fn, address: r.int(0, 0xffff), value: r.pick([0xff00, 0x0000]) };
    case 6: return { fn, address: r.int(0, 0xffff), value: r.int(0, 0xffff) };
    case 15: {
      const n = r.int(1, 1968);
      return writeMultipleCoils(r.int(0, 65536 - n), r.bools(n));
    }
    case 16: {
      const n = r.int(1, 123);
      return writeMultipleRegisters(r.int(0, 65536 - n), r.regs(n));
    }
    case 17: return { fn };
    case 43: return { fn, meiType: 0x0e, code: r.int(1, 4), objectId: r.int(0, 255) };
  }
}

function randomObjects(r: Rand): DeviceIdObject[] {
  const objects: DeviceIdObject[] = [];
  let room = 246;
  const n = r.int(0, 6);
  for (let i = 0; i < n; i++) {
    if (room < 2) break;
    const len = r.int(0, Math.min(40, room - 2));
    objects.push({ id: r.int(0, 255), value: r.bytes(len) });
    room -= 2 + len;
  }
  return objects;
}

/**
 * A normal or exception response within the limits, decoded-shape: bit reads carry a multiple
 * of 8 values so that a round trip gives them back unchanged.
 */
export function randomResponse(r: Rand): ModbusResponse {
  const fn = r.pick([1, 2, 3, 4, 5, 6, 15, 16, 17, 43, 0x80] as const);
  switch (fn) {
    case 1: case 2: return { fn, values: r.bools(8 * r.int(1, 250)) };
    case 3: case 4: return { fn, values: r.regs(r.int(1, 125)) };
    case 5: return { fn, address: r.int(0, 0xffff), value: r.pick([0xff00, 0]) };
    case 6: return { fn, address: r.int(0, 0xffff), value: r.int(0, 0xffff) };
    case 15: case 16: {
      const quantity = r.int(1, fn === 15 ? 1968 : 123);
      return { fn, address: r.int(0, 65536 - quantity), quantity };
    }
    case 17: return { fn, data: r.bytes(r.int(0, 251)) };
    case 43: return { fn, meiType: 0x0e, code: r.int(1, 4), conformityLevel: r.pick([1, 2, 3, 0x81, 0x82, 0x83]), moreFollows: r.next() < 0.5, nextObjectId: r.int(0, 255), objects: randomObjects(r) };
    case 0x80: return { fn: r.pick([1, 2, 3, 4, 5, 6, 15, 16, 17, 43]), exception: r.pick([1, 2, 3, 4, 5, 6, 8, 10, 11]) };
  }
}
