/**
 * The terminal's Modbus master and poller against the emulated relays and analyzers on one
 * RS-485 bus: values, merged requests, a full 247-device line, and an address collision.
 */
import { describe, expect, it } from 'vitest';
import { validateRecordBody } from '../../protocols/uplink/records.ts';
import { mismatches, ModbusRig, registerSet, steadyLoad } from './modbus-rig.ts';

describe('Modbus polling of emulated devices', () => {
  it('reads a Grup Arge relay and an SDM630 analyzer every period, with the values they show', async () => {
    const rig = new ModbusRig();
    const load = steadyLoad(60, 0.82);
    const relay = rig.device('grup-arge/screenless-compensation-relay', { serial: '2024010347', load });
    const sdm = rig.device('Eastron SDM630', { address: 1, load: relay.siteLoad });
    expect(relay.address).toBe(147);
    const relaySet = registerSet('compensation-relay');
    const sdmSet = registerSet('analyzer', 'Eastron SDM630');
    rig.declare([
      { address: 147, type: 'compensation-relay', port: 'rs485', set: relaySet },
      { address: 1, type: 'analyzer', port: 'rs485', set: sdmSet },
    ]);
    for (let i = 0; i < 4; i++) {
      await rig.period();
      // compared at once: the emulated counters answer for the present only
      for (const [body, device, set] of [[rig.readings(147)[i]!, relay, relaySet], [rig.readings(1)[i]!, sdm, sdmSet]] as const) {
        expect(validateRecordBody('modbus-reading', body).ok).toBe(true);
        expect(body.missing).toBeUndefined();
        expect(body.values).toHaveLength(set.values.length);
        expect(mismatches(body, device, set)).toEqual([]);
      }
    }
    const relayReadings = rig.readings(147);
    const sdmReadings = rig.readings(1);
    expect(relayReadings).toHaveLength(4);
    expect(sdmReadings).toHaveLength(4);
    // periods are 15 minutes apart, and the counters move between them
    expect(relayReadings[1]!.readStart - relayReadings[0]!.readStart).toBe(15 * 60_000);
    const energy = sdmReadings.map((b) => b.values!.find((v) => v.name === 'energy.import')!.value);
    expect(energy[3]!).toBeGreaterThan(energy[0]!);
    // the relay switched its steps during the first hour: its mask shows steps in
    expect(relayReadings[3]!.values!.find((v) => v.name === 'relay.steps.mask')!.value).toBeGreaterThan(0);
    expect(rig.events()).toEqual([]);
    expect(rig.requests).toBe(4 * (7 + 3));
  });

  it('merges near ranges: the SDM630 map in 3 requests instead of 9, the same values', async () => {
    const load = steadyLoad(25, 0.93);
    const merged = new ModbusRig();
    const unmerged = new ModbusRig();
    const set = registerSet('analyzer', 'Eastron SDM630');
    const a = merged.device('Eastron SDM630', { address: 5, load });
    const b = unmerged.device('Eastron SDM630', { address: 5, load });
    merged.declare([{ address: 5, type: 'analyzer', port: 'rs485', set }]);
    unmerged.declare([{ address: 5, type: 'analyzer', port: 'rs485', set: { ...set, limits: { ...set.limits, mergeGap: 0 } } }]);
    await merged.period();
    await unmerged.period();
    expect(merged.requests).toBe(3);
    expect(unmerged.requests).toBe(9);
    expect(a.received.map((r) => `${r.fn}:${'address' in r.request! ? r.request.address : ''}`)).toEqual(['3:64512', '4:0', '4:200']);
    expect(b.received).toHaveLength(9);
    const names = (x: ModbusRig) => x.readings()[0]!.values!.map((v) => v.name).sort();
    expect(names(merged)).toEqual(names(unmerged));
    expect(mismatches(merged.readings()[0]!, a, set)).toEqual([]);
    // the relay's map has holes it will not answer reads over: adjacent ranges only
    const relayRig = new ModbusRig();
    const relay = relayRig.device('grup-arge/screenless-compensation-relay', { serial: '7700000112', load });
    relayRig.declare([{ address: 112, type: 'compensation-relay', port: 'rs485', set: registerSet('compensation-relay') }]);
    await relayRig.period();
    expect(relayRig.requests).toBe(7);
    expect(relay.received).toHaveLength(7);
    expect(relayRig.readings()[0]!.missing).toBeUndefined();
  });

  it('reads 247 devices on one line every period', async () => {
    const rig = new ModbusRig({ responseTimeoutMs: 300 });
    const load = steadyLoad(20, 0.95);
    const set = registerSet('energy-meter');
    const devices = Array.from({ length: 247 }, (_, i) => rig.device('Eastron SDM630', { address: i + 1, load, name: `m${i + 1}` }));
    rig.declare(devices.map((d) => ({ address: d.address, type: 'energy-meter' as const, port: 'rs485' as const, set })));
    await rig.period();
    await rig.period();
    const readings = rig.readings();
    expect(readings).toHaveLength(2 * 247);
    expect(readings.every((r) => r.missing === undefined && r.values!.length === set.values.length)).toBe(true);
    expect(new Set(readings.slice(0, 247).map((r) => r.address)).size).toBe(247);
    expect(devices.every((d) => d.received.length === 2)).toBe(true);
    expect(rig.requests).toBe(2 * 247);
    // one period of 247 devices fits well inside the shortest send period (1 minute)
    expect(readings[246]!.readEnd - readings[0]!.readStart).toBeLessThan(60_000);
    expect(mismatches(readings[300]!, devices[300 - 247]!, set)).toEqual([]);
  });

  it('two relays on one address: the answers collide and the terminal names the address', async () => {
    const rig = new ModbusRig();
    const load = steadyLoad();
    rig.device('grup-arge/screenless-compensation-relay', { serial: '2024010347', load, name: 'relay-a' });
    const b = rig.device('grup-arge/screenless-compensation-relay', { serial: '2023110247', load, name: 'relay-b' });
    rig.declare([{ address: 147, type: 'compensation-relay', port: 'rs485', set: registerSet('compensation-relay') }]);
    await rig.period();
    await rig.period();
    expect(rig.readings(147).map((r) => r.missing?.reason)).toEqual(['collision', 'collision']);
    expect(rig.events()).toEqual(['modbus-device-not-answering 147', 'modbus-address-collision 147']);
    const ev = rig.records.find((r) => r.kind === 'event' && r.body.name === 'modbus-address-collision')!;
    expect(ev.kind === 'event' && ev.body.details).toMatchObject({ port: 'rs485', address: 147, how: 'garbled answer' });
    // the second relay's address is changed in its menu: the line is clean again
    b.dispose();
    await rig.period();
    expect(rig.readings(147)[2]!.missing).toBeUndefined();
    expect(rig.events().slice(2)).toEqual(['modbus-device-answering-again 147']);
  });
});
