import { describe, expect, it } from 'vitest';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import { createModbusDevice } from './device.ts';
import { findModbusProfile, loadModbusProfiles } from './profile-loader.ts';
import { bench, flatLoad } from './test-master.ts';

const profiles = loadModbusProfiles();

describe('many devices on one RS-485 line', () => {
  it('two devices on one address answer together: the master sees a collision', async () => {
    const { clock, bus, master } = bench();
    const load = flatLoad(50, 0.9);
    const a = createModbusDevice({ profile: 'Eastron SDM630', profiles, address: 3, serial: '1001', endpoint: bus.attach('a', { settings: MODBUS_DEFAULT }), clock, load });
    const b = createModbusDevice({ profile: 'Eastron SDM630', profiles, address: 3, serial: '1002', endpoint: bus.attach('b', { settings: MODBUS_DEFAULT }), clock, load });
    const r = await clock.run(master.request(3, { fn: 4, address: 0, quantity: 6 }, { timeoutMs: 300 }));
    expect(r.collision).toBe(true);
    expect(r.response).toBeUndefined();
    expect(a.received).toHaveLength(1);
    expect(b.received).toHaveLength(1);
    // With one of them gone, the same request is answered cleanly.
    b.goSilent(60_000);
    const clean = await clock.run(master.request(3, { fn: 4, address: 0, quantity: 6 }));
    expect(clean.collision).toBe(false);
    expect(clean.response?.slave).toBe(3);
  });

  it('247 devices on one bus each answer their own address and only that', async () => {
    const { clock, bus, master } = bench();
    const load = flatLoad(20, 0.95);
    const profile = findModbusProfile('Eastron SDM630', profiles)!;
    const devices = Array.from({ length: 247 }, (_, i) =>
      createModbusDevice({ profile, address: i + 1, serial: `${5000 + i}`, endpoint: bus.attach(`d${i + 1}`, { settings: MODBUS_DEFAULT }), clock, load }));
    expect(bus.dropCount).toBe(248);
    const answered: number[] = [];
    for (let address = 1; address <= 247; address++) {
      const r = await clock.run(master.request(address, { fn: 3, address: 0xfc00, quantity: 2 }, { timeoutMs: 200 }));
      expect(r.collision).toBe(false);
      const values = (r.response?.response as { values: number[] } | undefined)?.values;
      if (r.response?.slave === address && values?.[1] === 5000 + address - 1) answered.push(address);
    }
    expect(answered).toHaveLength(247);
    expect(devices.every((d) => d.received.length === 1 && d.received[0]!.slave === d.address)).toBe(true);
  });
});
