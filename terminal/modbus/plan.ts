/**
 * Read planning: a register set's values become as few read requests as the device allows.
 *
 * Merge rule, per table (holding → function 3, input → 4, coil → 1, discrete → 2), values sorted
 * by address: a value joins the current request when
 *   - the hole between the request's end and the value is at most `mergeGap` addresses
 *     (0: only adjacent values join; bits of one register always share it), and
 *   - the request, grown to cover the value, stays within the device's `maxReadRegisters`
 *     (≤ 125) or `maxReadBits` (≤ 2000);
 * otherwise a new request starts at the value. Going left to right and growing each request as
 * far as the rule allows gives the fewest requests. Holes read over are discarded; a value is
 * never split over two requests.
 */
import { readCoils, readDiscreteInputs, readHoldingRegisters, readInputRegisters, type ReadRequest } from '../../protocols/modbus-rtu/index.ts';
import { READ_TABLES, widthOf, type ReadTable, type RegisterSet, type RegisterValue } from './register-set.ts';

/** One read request and the values it carries. */
export interface ReadBlock {
  table: ReadTable;
  request: ReadRequest;
  values: RegisterValue[];
}

const BUILD: Readonly<Record<ReadTable, (address: number, quantity: number) => ReadRequest>> = {
  holding: readHoldingRegisters,
  input: readInputRegisters,
  coil: readCoils,
  discrete: readDiscreteInputs,
};

/** The read requests for a register set, by the merge rule above (tables in holding, input, coil, discrete order). */
export function planReads(set: Pick<RegisterSet, 'values' | 'limits'>): ReadBlock[] {
  const blocks: ReadBlock[] = [];
  for (const table of READ_TABLES) {
    const bits = table === 'coil' || table === 'discrete';
    const max = bits ? set.limits.maxReadBits : set.limits.maxReadRegisters;
    const values = set.values.filter((v) => v.table === table).sort((a, b) => a.address - b.address || (a.bit ?? 0) - (b.bit ?? 0));
    let start = 0;
    let end = 0;
    let members: RegisterValue[] = [];
    const close = (): void => {
      if (members.length) blocks.push({ table, request: BUILD[table](start, end - start), values: members });
      members = [];
    };
    for (const v of values) {
      const vEnd = v.address + widthOf(v.type);
      const fits = members.length > 0 && v.address - end <= set.limits.mergeGap && Math.max(end, vEnd) - start <= max;
      if (!fits) {
        close();
        start = v.address;
        end = vEnd;
      } else end = Math.max(end, vEnd);
      members.push(v);
    }
    close();
  }
  return blocks;
}
