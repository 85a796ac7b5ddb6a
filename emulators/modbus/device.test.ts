import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import { compensate } from '../site/compensated-load.ts';
import { createModbusDevice, lineSettingsOf } from './device.ts';
import { serialNumberValue } from './identity.ts';
import { findModbusProfile, loadModbusProfiles } from './profile-loader.ts';
import { flatLoad } from './test-master.ts';

const profiles = loadModbusProfiles();

function drop() {
  const clock = new VirtualClock();
  const bus = new Rs485Bus(clock, 'rs485');
  return { clock, endpoint: bus.attach(`d${Math.random().toString(36).slice(2)}`, { settings: MODBUS_DEFAULT }) };
}

describe('createModbusDevice', () => {
  it('finds a profile by name and takes its default address', () => {
    const { clock, endpoint } = drop();
    const d = createModbusDevice({ profile: 'klemsan rapidus', profiles, endpoint, clock, load: flatLoad(10, 0.9) });
    expect(d.profile.model).toBe('RAPIDUS');
    expect(d.address).toBe(1);
    expect(d.relay).toBeDefined();
    expect(lineSettingsOf(d.profile)).toEqual(MODBUS_DEFAULT);
    d.dispose();
  });

  it('resolves a screenless Grup Arge address from the serial, and refuses a contradicting one', () => {
    const { clock, endpoint } = drop();
    const load = flatLoad(10, 0.9);
    const d = createModbusDevice({ profile: 'grup-arge/screenless-compensation-relay', profiles, serial: '2023010512', endpoint, clock, load });
    expect(d.address).toBe(112);
    expect(d.read('device.serial', clock.now())).toBe(serialNumberValue('2023010512'));
    expect(serialNumberValue('2023010512')).toBe(23010512);
    expect(() => createModbusDevice({ profile: 'grup-arge/screenless-compensation-relay', profiles, serial: '2023010512', address: 5, endpoint, clock, load })).toThrow(InputError);
    expect(() => createModbusDevice({ profile: 'grup-arge/screenless-compensation-relay', profiles, endpoint, clock, load })).toThrow(/serial/);
    const byAddress = createModbusDevice({ profile: 'grup-arge/screenless-compensation-relay', profiles, address: 133, endpoint, clock, load });
    expect(byAddress.serial.endsWith('33')).toBe(true);
    d.dispose();
    byAddress.dispose();
  });

  it('refuses an unknown model', () => {
    const { clock, endpoint } = drop();
    expect(() => createModbusDevice({ profile: 'Acme Nothing', profiles, endpoint, clock, load: flatLoad(1, 1) })).toThrow(InputError);
  });

  it('lets a relay switch the bank of a compensated load it is given', async () => {
    const { clock, endpoint } = drop();
    const ga = findModbusProfile('grup-arge/screenless-compensation-relay', profiles)!;
    const view = compensate(flatLoad(100, 0.8), { stepKvar: [30, 30] });
    const d = createModbusDevice({ profile: ga, profiles, serial: '0347', endpoint, clock, load: view });
    expect(d.siteLoad).toBe(view);
    // The relay believes its profile's twelve steps; outputs 3-12 have no capacitor, show no
    // change when switched and are marked faulty, until steps 1 and 2 are found.
    await clock.runFor(10 * 60_000);
    expect(view.bank.isIn(1) && view.bank.isIn(2)).toBe(true);
    expect(d.relay!.read('relay.step.1.power', clock.now())).toBeCloseTo(30, 0);
    expect(d.relay!.isFaulty(12)).toBe(true);
    d.dispose();
    const before = d.relay!.switchings.length;
    await clock.runFor(10 * 60_000);
    expect(d.relay!.switchings.length).toBe(before);
  });
});
