/**
 * Every shipped Modbus device profile, served by `serveModbusDevices` on a socat pty in real
 * time, read by Modbus masters written outside this project:
 *
 * - `modbus-serial` (npm; ModbusRTU client, `connectRTUBuffered`) reads every mapped register
 *   range of the profile with the function of its table; each value is decoded here from the
 *   profile's type, word order, bit, scale and codes (`modbus-independent.ts`, Buffer reads) and
 *   must lie between what the device shows just before and just after the read;
 * - `mbpoll` (Debian) reads the first range of each profile and its output is parsed: floats with
 *   mbpoll's own float32 decoding where the profile says ABCD, else raw words;
 * - a read of an unmapped address comes back as exception 2 to both.
 */
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RealClock } from '../../core/clock/index.ts';
import { lineSettingsOf } from '../../emulators/modbus/device.ts';
import { loadModbusProfiles } from '../../emulators/modbus/profile-loader.ts';
import type { ModbusProfile, RegisterTable } from '../../emulators/modbus/profile-schema.ts';
import { serveModbusDevices, type ServedModbus } from '../../emulators/modbus/serve.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { PtyPair } from '../../lines/pty-pair.ts';
import {
  clientRead, closeClient, connectModbusSerial, decodeRead, decodeRegister, deviceValue, disagreement, rangeReads, sizeOf,
} from './modbus-independent.ts';

const profiles = loadModbusProfiles();
const clock = new RealClock();
/** Serial numbers for the profiles that take their address from it. */
const SERIAL = '2024010347';

const mbpoll = await execa('mbpoll', ['-V'], { reject: false });
const hasMbpoll = mbpoll.exitCode === 0;

/** A working site's load with some reactive power, steady so that only counters and relay steps move. */
function steadyLoad(): SiteLoad {
  return new SiteLoad({ baseKw: 35, peakKw: 35, powerFactor: 0.84, noise: 0 });
}

/** Serves one profile on a fresh pty pair. */
async function serve(p: ModbusProfile): Promise<{ pty: PtyPair; served: ServedModbus; stop: () => Promise<void> }> {
  const pty = await PtyPair.start({ name: 'modbus-interop', clock });
  const spec = p.serial.address.rule === 'serial-last-two-plus-100' ? { model: `${p.vendor}/${p.model}`, serial: SERIAL } : { model: `${p.vendor}/${p.model}` };
  const served = await serveModbusDevices({ path: pty.a, clock, pace: true, devices: [spec], line: 'pty', load: steadyLoad() });
  return { pty, served, stop: async () => (await served.close(), await pty.stop()) };
}

/** An address of `table` past the map that no register covers. */
function unmappedAddress(p: ModbusProfile, table: RegisterTable): number {
  const used = p.registers.filter((r) => r.table === table);
  return Math.min(0xfff0, Math.max(...used.map((r) => r.address + sizeOf(r))) + 0x100);
}

for (const p of profiles) {
  describe(`${p.vendor} ${p.model} over a pty`, () => {
    let env: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => {
      env = await serve(p);
    });
    afterAll(async () => {
      await env?.stop();
    });

    it('modbus-serial reads every mapped range; each value, decoded from the profile, is what the device shows', { timeout: 20_000 }, async () => {
      const device = env.served.devices[0]!;
      const reads = rangeReads(p);
      const tables = new Set(reads.map((r) => r.table));
      expect(tables.size).toBeGreaterThan(0);
      const mapped = p.registers.filter((r) => (p.functions as number[]).includes({ coil: 1, discrete: 2, holding: 3, input: 4 }[r.table]));
      expect(reads.reduce((n, r) => n + r.registers.length, 0)).toBe(mapped.length);
      const client = await connectModbusSerial(env.pty.b, lineSettingsOf(p), device.address);
      const problems: string[] = [];
      let values = 0;
      try {
        for (const read of reads) {
          const before = read.registers.map((r) => deviceValue(device, r, clock.now()));
          const got = await clientRead(client, read);
          const after = read.registers.map((r) => deviceValue(device, r, clock.now()));
          decodeRead(read, got).forEach(([r, v], i) => {
            values++;
            const why = disagreement(r, v, before[i]!, after[i]!);
            if (why) problems.push(why);
          });
        }
      } finally {
        await closeClient(client);
      }
      expect(problems).toEqual([]);
      expect(values).toBe(mapped.length);
      // the device heard exactly these requests, in order
      expect(device.received.map((r) => `${r.fn}:${r.request && 'address' in r.request ? r.request.address : '?'}`)).toEqual(reads.map((r) => `${r.fn}:${r.address}`));
    });

    it('an unmapped address is answered with exception 2 (illegal data address), and the next read works', { timeout: 10_000 }, async () => {
      const device = env.served.devices[0]!;
      const first = rangeReads(p)[0]!;
      const client = await connectModbusSerial(env.pty.b, lineSettingsOf(p), device.address);
      try {
        const err = await clientRead(client, { fn: first.fn, address: unmappedAddress(p, first.table), quantity: 1 }).then(() => undefined, (e: unknown) => e);
        expect((err as { modbusCode?: number } | undefined)?.modbusCode).toBe(2);
        const again = await clientRead(client, first);
        expect((again.words?.length ?? 0) + (again.bits?.length ?? 0)).toBeGreaterThan(0);
      } finally {
        await closeClient(client);
      }
    });

    it.runIf(hasMbpoll)('mbpoll reads the first range; its values are what the device shows', { timeout: 10_000 }, async () => {
      const device = env.served.devices[0]!;
      const read = rangeReads(p)[0]!;
      const s = lineSettingsOf(p);
      const floats = read.table !== 'coil' && read.table !== 'discrete' && read.registers.every((r) => r.type === 'f32' && r.wordOrder === 'ABCD' && r.address % 2 === read.address % 2 && r.bit === undefined);
      // -t: 0 coils, 1 discrete inputs, 3 input registers, 4 holding registers
      const type = { coil: '0', discrete: '1', input: '3', holding: '4' }[read.table] + (floats ? ':float' : read.table === 'coil' || read.table === 'discrete' ? '' : ':hex');
      const count = floats ? read.quantity / 2 : read.quantity;
      const args = ['-m', 'rtu', '-b', String(s.baudRate), '-P', s.parity, '-s', String(s.stopBits), '-d', '8', '-a', String(device.address), '-t', type, ...(floats ? ['-B'] : []), '-0', '-r', String(read.address), '-c', String(Math.min(count, 125)), '-1', '-o', '2', env.pty.b];
      const before = read.registers.map((r) => deviceValue(device, r, clock.now()));
      const r = await execa('mbpoll', args, { reject: false, timeout: 8000 });
      const after = read.registers.map((x) => deviceValue(device, x, clock.now()));
      expect(r.exitCode, r.all ?? r.stdout + r.stderr).toBe(0);
      // lines like "[28]: 	230.1" or "[0]: 	0x4366"
      const shown = new Map([...r.stdout.matchAll(/^\[(\d+)\]:\s+(\S+)/gm)].map((m) => [Number(m[1]), m[2]!]));
      expect(shown.size).toBe(Math.min(count, 125));
      const problems: string[] = [];
      if (floats) {
        read.registers.forEach((reg, i) => {
          const v = Number(shown.get(reg.address)) * reg.scale;
          // mbpoll prints 6 significant digits
          const tol = Math.max(Math.abs(before[i]!), 1e-6) * 1e-5;
          if (v < Math.min(before[i]!, after[i]!) - tol || v > Math.max(before[i]!, after[i]!) + tol) problems.push(`${reg.quantity}: mbpoll ${shown.get(reg.address)}, device ${before[i]}…${after[i]}`);
        });
      } else {
        const bits = read.table === 'coil' || read.table === 'discrete' ? Array.from({ length: read.quantity }, (_, i) => shown.get(read.address + i) === '1') : undefined;
        const words = bits ? undefined : Buffer.from(Array.from({ length: read.quantity }, (_, i) => [Number(shown.get(read.address + i)) >> 8, Number(shown.get(read.address + i)) & 0xff]).flat());
        decodeRead(read, bits ? { bits } : { words: words! }).forEach(([reg, v], i) => {
          const why = disagreement(reg, v, before[i]!, after[i]!);
          if (why) problems.push(`mbpoll: ${why}`);
        });
      }
      expect(problems).toEqual([]);
      // an unmapped address: mbpoll reports the exception
      const bad = await execa('mbpoll', [...args.slice(0, args.indexOf('-r')), '-r', String(unmappedAddress(p, read.table)), '-c', '1', '-1', '-o', '2', env.pty.b], { reject: false, timeout: 8000 });
      expect(bad.exitCode).not.toBe(0);
      expect(bad.stdout + bad.stderr).toMatch(/Illegal data address/i);
    });
  });
}

describe('the independent decoder', () => {
  it('reads each word order of a float32 and of a u32', () => {
    const reg = { table: 'holding', address: 0, quantity: 'voltage.l1', scale: 1, unit: 'V', writable: false, verified: false } as const;
    const be = Buffer.alloc(4);
    be.writeFloatBE(230.5);
    const [a, b, c, d] = [be[0]!, be[1]!, be[2]!, be[3]!];
    const orders = { ABCD: [a, b, c, d], CDAB: [c, d, a, b], BADC: [b, a, d, c], DCBA: [d, c, b, a] } as const;
    for (const [order, bytes] of Object.entries(orders)) {
      expect(decodeRegister({ ...reg, type: 'f32', wordOrder: order as keyof typeof orders }, Buffer.from(bytes), 0)).toBe(230.5);
    }
    expect(decodeRegister({ ...reg, type: 'u32', wordOrder: 'CDAB', scale: 0.01 }, Buffer.from([0x00, 0x01, 0x00, 0x02]), 0)).toBeCloseTo(0x00020001 * 0.01, 6);
    expect(decodeRegister({ ...reg, type: 'i16', wordOrder: 'ABCD', scale: 0.1 }, Buffer.from([0xff, 0xf6]), 0)).toBeCloseTo(-1, 9);
    expect(decodeRegister({ ...reg, type: 'u16', wordOrder: 'ABCD', bit: 3 }, Buffer.from([0x00, 0x08]), 0)).toBe(1);
    expect(decodeRegister({ ...reg, type: 'f32', wordOrder: 'ABCD', codes: { '2': 9600 } }, Buffer.from([0x40, 0x00, 0x00, 0x00]), 0)).toBe(9600);
  });

  it('covers a map with reads no larger than the profile allows, never splitting a value', () => {
    for (const p of profiles) {
      for (const r of rangeReads(p)) {
        expect(r.quantity).toBeLessThanOrEqual(r.table === 'coil' || r.table === 'discrete' ? 2000 : p.limits.maxReadRegisters);
        for (const reg of r.registers) expect(reg.address + sizeOf(reg)).toBeLessThanOrEqual(r.address + r.quantity);
      }
    }
  });
});
