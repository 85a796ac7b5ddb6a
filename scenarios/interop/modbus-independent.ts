/**
 * What the Modbus interop tests need besides the clients: the reads that cover a profile's map,
 * and a decoder of register words written here from the profile's declared type, word order,
 * bit, scale and codes with Buffer reads — it shares nothing with `protocols/modbus-rtu` or the
 * device's register map, so a fault in either shows as a disagreement.
 */
import modbusSerial from 'modbus-serial';
import type { ModbusDevice } from '../../emulators/modbus/device.ts';
import type { ModbusProfile, ModbusRegister, RegisterTable } from '../../emulators/modbus/profile-schema.ts';
import { unitFactor } from '../../emulators/modbus/quantities.ts';
import type { LineSettings } from '../../lines/settings.ts';

/** One read request: a run of adjacent mapped addresses of one table. */
export interface RangeRead {
  table: RegisterTable;
  fn: 1 | 2 | 3 | 4;
  address: number;
  quantity: number;
  registers: ModbusRegister[];
}

const FN: Record<RegisterTable, 1 | 2 | 3 | 4> = { coil: 1, discrete: 2, holding: 3, input: 4 };
const WORDS = { bool: 1, u16: 1, i16: 1, u32: 2, i32: 2, f32: 2, u64: 4 } as const;

/** Words (or bits) a register occupies. */
export function sizeOf(r: ModbusRegister): number {
  return r.table === 'coil' || r.table === 'discrete' ? 1 : WORDS[r.type];
}

/**
 * Reads that cover every mapped register of the profile whose table the profile can read:
 * adjacent addresses joined, split where a read would exceed the profile's `maxReadRegisters`
 * (2000 bits for coils), never inside a value.
 */
export function rangeReads(profile: ModbusProfile): RangeRead[] {
  const out: RangeRead[] = [];
  for (const table of ['holding', 'input', 'coil', 'discrete'] as const) {
    if (!(profile.functions as number[]).includes(FN[table])) continue;
    const max = table === 'coil' || table === 'discrete' ? 2000 : profile.limits.maxReadRegisters;
    const regs = profile.registers.filter((r) => r.table === table).sort((a, b) => a.address - b.address || (a.bit ?? 0) - (b.bit ?? 0));
    let cur: RangeRead | undefined;
    for (const r of regs) {
      const end = r.address + sizeOf(r);
      if (cur && r.address <= cur.address + cur.quantity && end - cur.address <= max) {
        cur.quantity = Math.max(cur.quantity, end - cur.address);
        cur.registers.push(r);
      } else {
        cur = { table, fn: FN[table], address: r.address, quantity: sizeOf(r), registers: [r] };
        out.push(cur);
      }
    }
  }
  return out;
}

/**
 * The engineering value (in the register's own unit) of register `r` whose words start at byte
 * `offset` of `wire` (the response's register bytes, as sent).
 */
export function decodeRegister(r: ModbusRegister, wire: Buffer, offset: number): number {
  const n = WORDS[r.type];
  const wordSwap = r.wordOrder === 'CDAB' || r.wordOrder === 'DCBA';
  const byteSwap = r.wordOrder === 'BADC' || r.wordOrder === 'DCBA';
  const be = Buffer.alloc(2 * n);
  for (let i = 0; i < n; i++) {
    const src = offset + 2 * (wordSwap ? n - 1 - i : i);
    be[2 * i] = wire[src + (byteSwap ? 1 : 0)]!;
    be[2 * i + 1] = wire[src + (byteSwap ? 0 : 1)]!;
  }
  let raw: number;
  switch (r.type) {
    case 'bool': case 'u16': raw = be.readUInt16BE(0); break;
    case 'i16': raw = be.readInt16BE(0); break;
    case 'u32': raw = be.readUInt32BE(0); break;
    case 'i32': raw = be.readInt32BE(0); break;
    case 'f32': raw = be.readFloatBE(0); break;
    case 'u64': raw = Number(be.readBigUInt64BE(0)); break;
  }
  if (r.bit !== undefined) return (raw >> r.bit) & 1;
  return r.codes?.[String(raw)] ?? raw * r.scale;
}

/** What a device shows for register `r`, in the register's unit (a bit or coil as 0/1). */
export function deviceValue(device: ModbusDevice, r: ModbusRegister, t: number): number {
  const v = device.read(r.quantity, t) ?? 0;
  if (r.bit !== undefined || r.table === 'coil' || r.table === 'discrete') return v !== 0 ? 1 : 0;
  return v / (unitFactor(r.quantity, r.unit) ?? 1);
}

/** How far a register may be from the device's value: float32 precision, or half the integer step. */
export function toleranceOf(r: ModbusRegister, value: number): number {
  if (r.bit !== undefined || r.table === 'coil' || r.table === 'discrete' || r.codes) return 0;
  return r.type === 'f32' ? Math.max(Math.abs(value) * 2e-7, 1e-30) : Math.abs(r.scale) / 2 + 1e-9;
}

/**
 * Checks a value read by a client against the device read just before and just after (values
 * move with the load and the clock); returns a sentence when it is outside both, else undefined.
 */
export function disagreement(r: ModbusRegister, got: number, before: number, after: number): string | undefined {
  const lo = Math.min(before, after);
  const hi = Math.max(before, after);
  const tol = Math.max(toleranceOf(r, lo), toleranceOf(r, hi));
  if (got >= lo - tol && got <= hi + tol) return undefined;
  return `${r.table} ${r.address}${r.bit !== undefined ? `.${r.bit}` : ''} ${r.quantity} (${r.type} ${r.wordOrder}): client ${got}, device ${before}…${after} ${r.unit}`;
}

/** `modbus-serial`'s client class (the package is CommonJS: its default export is `module.exports`). */
const ModbusRTU = modbusSerial.default;
/** A `modbus-serial` client. */
export type ModbusSerialClient = InstanceType<typeof ModbusRTU>;

/** A connected `modbus-serial` RTU client (buffered port) on `path`; close it with `closeClient`. */
export async function connectModbusSerial(path: string, settings: LineSettings, slave: number): Promise<ModbusSerialClient> {
  const client = new ModbusRTU();
  await client.connectRTUBuffered(path, { baudRate: settings.baudRate, dataBits: 8, parity: settings.parity, stopBits: settings.stopBits });
  client.setID(slave);
  client.setTimeout(1500);
  return client;
}

export function closeClient(client: ModbusSerialClient): Promise<void> {
  return new Promise((resolve) => client.close(() => resolve()));
}

/** One read with `modbus-serial`: register bytes as sent, or bits. */
export async function clientRead(client: ModbusSerialClient, read: Pick<RangeRead, 'fn' | 'address' | 'quantity'>): Promise<{ words?: Buffer; bits?: boolean[] }> {
  switch (read.fn) {
    case 1: return { bits: (await client.readCoils(read.address, read.quantity)).data.slice(0, read.quantity) };
    case 2: return { bits: (await client.readDiscreteInputs(read.address, read.quantity)).data.slice(0, read.quantity) };
    case 3: return { words: (await client.readHoldingRegisters(read.address, read.quantity)).buffer };
    case 4: return { words: (await client.readInputRegisters(read.address, read.quantity)).buffer };
  }
}

/** Each register of a read decoded from what a client got: [register, value]. */
export function decodeRead(read: RangeRead, got: { words?: Buffer; bits?: boolean[] }): [ModbusRegister, number][] {
  return read.registers.map((r) => {
    const at = r.address - read.address;
    if (got.bits) return [r, got.bits[at] ? 1 : 0];
    return [r, decodeRegister(r, got.words!, 2 * at)];
  });
}
