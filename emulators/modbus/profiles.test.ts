/**
 * Every shipped profile on a bus: a codec-built master reads each mapped register, decodes it by
 * the profile's own description (type, order, scale, unit, codes, bit) and gets the value the
 * device model held when it answered.
 */
import { describe, expect, it } from 'vitest';
import { readValue, type RegisterType, type WordOrder } from '../../protocols/modbus-rtu/index.ts';
import { createModbusDevice, lineSettingsOf } from './device.ts';
import { loadModbusProfiles } from './profile-loader.ts';
import { registerWords, type ModbusRegister } from './profile-schema.ts';
import { unitFactor } from './quantities.ts';
import { bench, flatLoad, registersOf } from './test-master.ts';

const PROFILES = loadModbusProfiles();
const CODEC: Record<string, RegisterType> = { u16: 'uint16', i16: 'int16', u32: 'uint32', i32: 'int32', f32: 'float32', u64: 'uint64' };

/** Engineering value (canonical unit) of a register's words, decoded independently of the engine. */
function decode(r: ModbusRegister, words: number[]): number {
  if (r.bit !== undefined) return (words[0]! >> r.bit) & 1;
  const raw = readValue(words, { type: CODEC[r.type]!, order: r.wordOrder as WordOrder });
  const inUnit = r.codes ? r.codes[String(raw)]! : raw * r.scale;
  return inUnit * unitFactor(r.quantity, r.unit)!;
}

/** How far a decoded value may be from the model's: half a raw step, or float32 rounding. */
function tolerance(r: ModbusRegister, value: number): number {
  const f = unitFactor(r.quantity, r.unit)!;
  return r.type === 'f32' ? Math.max(1e-6, Math.abs(value) * 1e-6) : Math.abs(r.scale * f) / 2 + 1e-9;
}

describe('shipped profiles over RS-485', () => {
  it.each(PROFILES.map((p) => [p.key, p] as const))('%s: every register reads what the model holds', async (_key, profile) => {
    const { clock, bus, master } = bench(lineSettingsOf(profile));
    const serial = '20240147';
    const device = createModbusDevice({ profile, serial, endpoint: bus.attach('dev', { settings: lineSettingsOf(profile) }), clock, load: flatLoad(45, 0.82), initialEnergy: { import: 1234.5, inductive: 321 } });
    let answeredAt = 0;
    device.defineBehavior({ onRequest: () => ((answeredAt = clock.now()), undefined) });
    await clock.runFor(10 * 60_000);
    expect(device.address).toBe(profile.serial.address.rule === 'serial-last-two-plus-100' ? 147 : (profile.serial.address as { default: number }).default);
    for (const r of profile.registers) {
      const bitTable = r.table === 'coil' || r.table === 'discrete';
      let got: number;
      if (bitTable) {
        const ex = await clock.run(master.request(device.address, { fn: r.table === 'coil' ? 1 : 2, address: r.address, quantity: 1 }));
        got = (ex.response?.response as { values: boolean[] }).values[0] ? 1 : 0;
      } else {
        const words = registersOf((await clock.run(master.request(device.address, { fn: r.table === 'holding' ? 3 : 4, address: r.address, quantity: registerWords(r.type) }))).response?.response, `${profile.key} ${r.quantity}`);
        got = decode(r, words);
      }
      const want = device.read(r.quantity, answeredAt) ?? 0;
      const expected = r.bit !== undefined || bitTable ? (want !== 0 ? 1 : 0) : want;
      expect(Math.abs(got - expected), `${profile.key} ${r.table} ${r.address} ${r.quantity}: got ${got}, model ${expected}`).toBeLessThanOrEqual(tolerance(r, expected));
    }
    device.dispose();
  });

  it.each(PROFILES.map((p) => [p.key, p] as const))('%s: values follow the load', async (_key, profile) => {
    const { clock, bus } = bench(lineSettingsOf(profile));
    const load = flatLoad(45, 0.82);
    const device = createModbusDevice({ profile, serial: '20240147', endpoint: bus.attach('dev', { settings: lineSettingsOf(profile) }), clock, load });
    const t = clock.now();
    const s = device.siteLoad.at(t);
    const m = (name: Parameters<typeof device.model.read>[0]) => device.model.read(name, t)!;
    expect(m('power.active.total')).toBeCloseTo(s.p.l1 + s.p.l2 + s.p.l3, 6);
    expect(m('voltage.l1')).toBe(s.v.l1);
    expect(m('frequency')).toBe(s.f);
    device.dispose();
  });
});
