/**
 * Reads one known register of a Modbus RTU device, as its profile maps it, to see that the
 * device answers on its address; and scans a range of addresses for devices nobody declared.
 *
 *   master →  slave fn addr qty CRC           (3 read holding / 4 read input / 1, 2 bits)
 *   slave  ←  slave fn count data CRC         within the device's latency; or an exception
 *
 * Reaction time: from the last request byte sent to the first byte of the answer. Over USB
 * adapters it includes the adapter's latency (typically 1–16 ms).
 */
import type { Clock } from '../../core/clock/index.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { charTimeMs } from '../../lines/settings.ts';
import {
  decodeResponse,
  describeResponse,
  encodeRequest,
  isException,
  ModbusError,
  reference,
  RtuStreamFramer,
  type ModbusRequest,
  type ModbusResponse,
  type RequestFrame,
} from '../../protocols/modbus-rtu/index.ts';
import type { ModbusProfile, ModbusRegister } from '../../emulators/modbus/profile-schema.ts';
import { registerWords } from '../../emulators/modbus/profile-schema.ts';
import { decodeValue } from '../../emulators/modbus/register-map.ts';
import { exchange } from './exchange.ts';

/** What a device said to one read. */
export interface ModbusProbeResult {
  answered: boolean;
  response?: ModbusResponse;
  /** `voltage.l1 = 230.1 V (30001)`, `exception 02 illegal data address`. */
  text?: string;
  reactionMs?: number;
  problem?: string;
}

/** The register a probe reads: a verified holding or input register first, lowest address first. */
export function probeRegister(profile: ModbusProfile): ModbusRegister | undefined {
  const rank = (r: ModbusRegister) => (r.table === 'holding' || r.table === 'input' ? 0 : 2) + (r.verified ? 0 : 1);
  return [...profile.registers].sort((a, b) => rank(a) - rank(b) || a.address - b.address)[0];
}

/** The read request for `register` (one value). */
export function readRequestFor(register: ModbusRegister): ModbusRequest {
  const fn = register.table === 'holding' ? 3 : register.table === 'input' ? 4 : register.table === 'coil' ? 1 : 2;
  return { fn, address: register.address, quantity: fn <= 2 ? 1 : registerWords(register.type) };
}

/** Length of the answer to `request` in `buffered`, leading garbage (an echo) included; 0 while incomplete. */
function answerFrame(request: RequestFrame): (buffered: Uint8Array) => number {
  return (buffered) => {
    const framer = new RtuStreamFramer('response');
    framer.expect(request);
    let n = 0;
    for (const ev of framer.push(buffered)) {
      n += ev.bytes.length;
      if (ev.type === 'frame') return n;
    }
    return 0;
  };
}

export interface ModbusProbeOptions {
  /** Wait for the first answer byte (default 500 ms). */
  timeoutMs?: number;
  /** The register read, to show its value by its quantity and unit. */
  register?: ModbusRegister;
}

/** Sends `request` to `slave` and reads the answer; never throws for what the device does. */
export async function probeModbus(endpoint: Endpoint, clock: Clock, slave: number, request: ModbusRequest, o: ModbusProbeOptions = {}): Promise<ModbusProbeResult> {
  const frame: RequestFrame = { slave, request };
  const timeoutMs = o.timeoutMs ?? 500;
  const r = await exchange(endpoint, clock, encodeRequest(slave, request), {
    frame: answerFrame(frame),
    timeoutMs,
    // t1.5 is far below what USB adapters and ptys keep; a whole frame's time is the limit here.
    interCharMs: Math.max(50, 256 * charTimeMs(endpoint.settings)),
    label: `${endpoint.id}: Modbus slave ${slave}`,
  });
  if (!r.bytes) {
    const got = r.partial ?? new Uint8Array();
    const echo = encodeRequest(slave, request);
    const onlyEcho = got.length === echo.length && got.every((b, i) => b === echo[i]);
    if (got.length === 0 || onlyEcho) return { answered: false, problem: `no answer within ${timeoutMs} ms` };
    return { answered: true, problem: `garbled answer (${got.length} bytes, no valid frame)` };
  }
  const framer = new RtuStreamFramer('response');
  framer.expect(frame);
  const events = framer.push(r.bytes);
  const skipped = events.filter((e) => e.type === 'garbage').reduce((n, e) => n + e.bytes.length, 0);
  const bytes = events.find((e) => e.type === 'frame')!.bytes;
  const first = r.timeOf(skipped);
  const reactionMs = first !== undefined ? Math.max(0, first - r.sentAt) : undefined;
  const rt = reactionMs !== undefined ? { reactionMs } : {};
  try {
    const { response } = decodeResponse(bytes, frame);
    return { answered: true, response, text: describeValue(slave, request, response, o.register), ...rt };
  } catch (err) {
    return { answered: true, problem: `bad answer: ${err instanceof ModbusError ? err.message : String(err)}`, ...rt };
  }
}

function describeValue(slave: number, request: ModbusRequest, response: ModbusResponse, register: ModbusRegister | undefined): string {
  if (isException(response) || register === undefined || !('quantity' in request)) return describeResponse(slave, response).replace(/^slave \d+ (→ )?/, '');
  const ref = reference(request.fn, request.address);
  if (response.fn === 1 || response.fn === 2) return `${register.quantity} = ${response.values[0] ? 1 : 0} (${ref})`;
  if (response.fn !== 3 && response.fn !== 4) return describeResponse(slave, response);
  if (register.bit !== undefined) return `${register.quantity} = ${((response.values[0] ?? 0) >> register.bit) & 1} (${ref})`;
  const v = decodeValue({ ...register, range: undefined }, response.values);
  const value = typeof v === 'number' ? Number(v.toPrecision(7)) : 'invalid';
  return `${register.quantity} = ${value}${register.unit && register.unit !== 'none' ? ` ${register.unit}` : ''} (${ref})`;
}

/** The read a scan sends to every address: holding register 40001 (any answer, even an exception, shows a device). */
export const SCAN_REQUEST: ModbusRequest = { fn: 3, address: 0, quantity: 1 };
