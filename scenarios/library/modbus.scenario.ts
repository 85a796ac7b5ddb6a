/**
 * Modbus devices on an HT G22: a compensation relay and an energy analyzer read every period;
 * the relay's steps following a change of the site's load, as the cloud sees them; two devices
 * on one address; a device declared on the cloud later; a device that goes silent and returns.
 */
import { check, checkEqual, defineScenario } from '../api/index.ts';
import { cloudEvents } from '../api/cloud-view.ts';
import { cloudModbus, stepsIn } from '../api/cloud-modbus.ts';

const site = {
  terminal: { model: 'HT G22', sendPeriodMin: 15 },
  load: { baseKw: 30, peakKw: 60, powerFactor: 0.8, seed: 3 },
} as const;

export default [
  defineScenario({
    name: 'G22 reads a RAPIDUS relay and an SDM630 analyzer every period; the values match the site',
    tags: ['modbus'],
    site: { ...site, modbus: { devices: [{ model: 'Klemsan RAPIDUS', address: 5 }, { model: 'Eastron SDM630', address: 7 }] } },
    modes: { supported: ['virtual'], reason: 'two hours of 15-minute polls need virtual time' },
    runFor: '2h5m',
    expect: [
      {
        name: 'eight readings of each device, none missing',
        check: (s) => {
          for (const a of [5, 7]) {
            const rows = cloudModbus(s, a);
            checkEqual(rows.length, 8, `readings of device ${a}`);
            const bad = rows.find((r) => r.missing);
            check(!bad, `device ${a}: ${bad?.missing?.reason} ${bad?.missing?.text ?? ''}`);
          }
        },
      },
      {
        name: 'the analyzer’s active power is the compensated site load’s at the read time',
        check: (s) => {
          for (const r of cloudModbus(s, 7)) {
            const sample = s.meteredLoad.at(r.at);
            const want = sample.p.l1 + sample.p.l2 + sample.p.l3;
            const got = r.values.get('power.active.total');
            check(got !== undefined && Math.abs(got - want) < 1, `P total at ${new Date(r.at).toISOString()}: cloud ${got} W, load ${want} W`);
          }
        },
      },
      {
        name: 'the relay compensates the 0.80 plant to its band: cos φ above 0.95 from the second reading on',
        check: (s) => {
          const rows = cloudModbus(s, 5).slice(1);
          const low = rows.find((r) => (r.values.get('cosphi.total') ?? 0) < 0.95);
          check(!low, `cos φ ${low?.values.get('cosphi.total')} at ${low ? new Date(low.at).toISOString() : ''}`);
          check(rows.every((r) => stepsIn(r) > 0), 'a reading shows no step switched in');
        },
      },
    ],
  }),
  defineScenario({
    name: 'the relay switches more steps in when the load triples, and the cloud sees it',
    tags: ['modbus', 'relay', 'dashboard'],
    site: { ...site, load: { baseKw: 20, peakKw: 20, powerFactor: 0.8, seed: 3 }, modbus: { devices: [{ model: 'Klemsan RAPIDUS', address: 5 }] } },
    modes: { supported: ['virtual'], reason: 'a load change between polls over 95 minutes needs virtual time' },
    runFor: '1h35m',
    timeline: [{ at: '40m', label: 'the site load triples', do: (s) => s.load.override({ from: s.clock.now(), scale: 3 }) }],
    expect: [
      {
        name: 'more steps are in after the change, and cos φ is back above 0.95 by 01:30',
        check: (s) => {
          const rows = cloudModbus(s, 5);
          const at30 = rows.find((r) => new Date(r.at).getUTCMinutes() === 30 && new Date(r.at).getUTCHours() === 0)!;
          const at90 = rows.find((r) => new Date(r.at).getUTCHours() === 1 && new Date(r.at).getUTCMinutes() === 30)!;
          check(at30 && at90, 'readings at 00:30 and 01:30 missing');
          check(stepsIn(at90) > stepsIn(at30), `steps in: ${stepsIn(at30)} at 00:30, ${stepsIn(at90)} at 01:30`);
          check((at90.values.get('cosphi.total') ?? 0) > 0.95, `cos φ at 01:30: ${at90.values.get('cosphi.total')}`);
        },
      },
    ],
  }),
  defineScenario({
    name: 'two relays answering one Modbus address: the terminal reports the collision',
    tags: ['modbus', 'faults'],
    site: { ...site, modbus: { devices: [{ model: 'Klemsan RAPIDUS', address: 47 }, { model: 'Klemsan REMO-Q', address: 47, declared: false }] } },
    modes: { supported: ['virtual'], reason: 'two devices answering at the same instant need exact line timing' },
    runFor: '20m',
    expect: [
      {
        name: 'a modbus-address-collision event names address 47',
        check: (s) => {
          const ev = cloudEvents(s, 'modbus-address-collision');
          check(ev.length > 0, 'no collision event at the cloud');
          checkEqual((ev[0]!.details as { address?: number }).address, 47, 'address in the event');
        },
      },
    ],
  }),
  defineScenario({
    name: 'a device declared on the cloud while the terminal runs is read from the next period on',
    tags: ['modbus', 'settings'],
    site: { ...site, modbus: { devices: [{ model: 'Klemsan RAPIDUS', address: 5 }, { model: 'Eastron SDM630', address: 7, declared: false }] } },
    modes: { supported: ['virtual'], reason: 'a settings change between polls over an hour needs virtual time' },
    runFor: '1h5m',
    timeline: [
      {
        at: '20m',
        label: 'the analyzer is added in the modem settings',
        do: (s) => void s.cloud.service.setModbusDevices(s.config.modemNo, { devices: [{ address: 5, type: 'compensation-relay', model: 'Klemsan RAPIDUS' }, { address: 7, type: 'analyzer', model: 'Eastron SDM630' }] }),
      },
    ],
    expect: [
      {
        name: 'the analyzer is read at 00:30, 00:45 and 01:00, with no terminal restart',
        check: (s) => {
          const rows = cloudModbus(s, 7);
          checkEqual(rows.length, 3, 'analyzer readings');
          checkEqual(cloudEvents(s, 'terminal-start').length, 1, 'terminal starts');
        },
      },
    ],
  }),
  defineScenario({
    name: 'an analyzer that goes silent for 25 minutes and returns',
    tags: ['modbus', 'faults'],
    site: { ...site, modbus: { devices: [{ model: 'Eastron SDM630', address: 7 }] } },
    modes: { supported: ['virtual'], reason: 'a device silent for 25 minutes needs virtual time' },
    runFor: '1h5m',
    timeline: [{ at: '25m', label: 'analyzer silent for 25 min (until 00:50)', do: (s) => void s.device(7).goSilent(25 * 60_000) }],
    expect: [
      {
        name: 'the 00:30 and 00:45 readings are missing as no-answer; the cloud has one not-answering and one answering-again event',
        check: (s) => {
          const rows = cloudModbus(s, 7);
          checkEqual(rows.map((r) => r.missing?.reason ?? 'ok'), ['ok', 'no-answer', 'no-answer', 'ok'], 'readings 00:15 … 01:00');
          checkEqual([cloudEvents(s, 'modbus-device-not-answering').length, cloudEvents(s, 'modbus-device-answering-again').length], [1, 1], 'events');
        },
      },
    ],
  }),
];
