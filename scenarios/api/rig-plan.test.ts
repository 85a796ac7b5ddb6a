import { describe, expect, it } from 'vitest';
import { parseRigFile } from '../../hil-rig/rig-file.ts';
import { defineScenario } from './scenario.ts';
import { rigPlanFor } from './modes.ts';
import { wantKey } from './rig-plan.ts';

const RIG = `
rig: bench
ports:
  - { id: head, path: /dev/serial/by-id/usb-head, role: optical-head, meters: [{ brand: Landis, model: ZMD310, serial: '95316177' }] }
  - id: bus
    path: /dev/serial/by-id/usb-bus
    role: rs485-meter-bus
    echo: true
    meters: [{ brand: Makel, serial: '80000009' }, { brand: Luna, serial: '80000002' }]
  - id: bus-emu
    path: /dev/serial/by-id/usb-bus-emu
    role: rs485-meter-bus
    emulate: { meters: [{ brand: Elster, model: AS1440 }] }
  - { id: modbus, path: /dev/serial/by-id/usb-modbus, role: rs485-modbus, modbus: [{ model: Eastron SDM630, address: 7 }] }
`;
const rig = parseRigFile(RIG, 'bench.yaml');

const scenario = (site: Parameters<typeof defineScenario>[0]['site']) => defineScenario({ name: 'x', site, runFor: '1s', expect: [] });

describe('planRig', () => {
  it('binds the terminal to its own port per role, the real devices by profile, the rest to the emulate port', () => {
    const bound = rigPlanFor(scenario({ terminal: { model: 'HT E21' }, rs485: { meters: [{ brand: 'Luna', serial: '80000002' }, { brand: 'Makel', serial: '80000001' }, { brand: 'Elster', model: 'AS1440' }] } }), rig);
    if (!('plan' in bound)) throw new Error(bound.lacking);
    expect(bound.plan.terminalPorts.rs485?.id).toBe('bus');
    const places = [...bound.plan.places.entries()].map(([k, p]) => [k, p.kind, p.port.id, p.kind === 'physical' ? p.meter?.serial : undefined]);
    expect(places).toEqual([
      ['rs485[0]', 'physical', 'bus', '80000002'],
      ['rs485[1]', 'physical', 'bus', '80000009'],
      ['rs485[2]', 'emulated', 'bus-emu', undefined],
    ]);
  });

  it('prefers the real device with the same address', () => {
    const bound = rigPlanFor(scenario({ terminal: { model: 'HT E21' }, modbus: { devices: [{ model: 'Eastron SDM630', address: 7 }] } }), rig);
    if (!('plan' in bound)) throw new Error(bound.lacking);
    const p = bound.plan.places.get('modbus[0]');
    expect(p?.kind === 'physical' && p.modbus?.address).toBe(7);
  });

  it.each([
    [{ rs232: { brand: 'Makel' } }, /has no rs232 port for the terminal to read the meter Makel C500 \(rs232\)/],
    [{ optical: { brand: 'Makel' } }, /has no meter Makel C500 \(optical\): none on port 'head' and none emulated on another optical-head port/],
    [{ rs485: { meters: [{ brand: 'Viko' }] } }, /has no meter Viko VEM-M \(rs485\[0\]\)/],
    [{ modbus: { devices: [{ model: 'Klemsan RAPIDUS', address: 5 }] } }, /has no Modbus device Klemsan RAPIDUS \(modbus\[0\]\)/],
    [{ rs485: { meters: [{ brand: 'Makel' }] }, modbus: { devices: [{ model: 'Eastron SDM630' }] } }, /meters and Modbus devices on one RS-485 line/],
  ])('names what the rig lacks (%#)', (site, reason) => {
    const bound = rigPlanFor(scenario({ terminal: { model: 'HT E21' }, ...site }), rig);
    expect('lacking' in bound && bound.lacking).toMatch(reason);
  });

  it('keeps a cellular terminal’s module emulated in process when the rig has no modem port', () => {
    const bound = rigPlanFor(scenario({ terminal: { model: 'HT G21' }, optical: { brand: 'Landis', model: 'ZMD310' } }), rig);
    expect('plan' in bound && bound.plan.terminalPorts.modem).toBeUndefined();
  });

  it('refuses a rig with a real terminal on the bench and a physical module', () => {
    const withTerminal = parseRigFile(`${RIG}terminal: { model: HT E21 }\n`, 'b.yaml');
    expect(rigPlanFor(scenario({ terminal: { model: 'HT E21' } }), withTerminal)).toEqual({ lacking: expect.stringMatching(/real HT E21 on the bench/) });
    const withModem = parseRigFile(`${RIG}  - { id: gsm, path: /dev/serial/by-id/usb-gsm, role: modem, modem: { module: SIM800C } }\n`, 'm.yaml');
    expect(rigPlanFor(scenario({ terminal: { model: 'HT G21' } }), withModem)).toEqual({ lacking: expect.stringMatching(/physical SIM800C on port 'gsm'/) });
  });

  it('keys devices by port and index', () => {
    expect(wantKey({ kind: 'modbus', index: 2, profile: {} as never })).toBe('modbus[2]');
    expect(wantKey({ kind: 'meter', port: 'rs485', index: 1, profile: {} as never, serial: '1' })).toBe('rs485[1]');
    expect(wantKey({ kind: 'meter', port: 'optical', index: 0, profile: {} as never, serial: '1' })).toBe('optical');
  });
});
