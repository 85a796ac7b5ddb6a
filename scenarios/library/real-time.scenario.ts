/**
 * Short scenarios that run in every mode: each asks the terminal for a readout at once (rather
 * than waiting for its 15-minute poll) and checks what reaches the cloud within seconds, so that
 * they run on wall time over ptys (`--mode pty`) and on a rig's ports (`--mode rig`) as well as
 * in virtual time. A real-time run ends as soon as the terminal's outbox is empty again
 * (`runFor` is its upper bound). Checks go through the cloud and the terminal's configuration,
 * so that a physical meter on a rig (with its own serial) passes them as its emulated stand-in
 * does.
 */
import type { Site } from '../api/site.ts';
import { check, checkEqual, defineScenario, type Mode } from '../api/index.ts';
import { cloudReadings, readingEvidence, valueOf } from '../api/cloud-view.ts';
import { cloudModbus } from '../api/cloud-modbus.ts';

const EVERY_MODE: { supported: Mode[] } = { supported: ['virtual', 'pty', 'rig'] };

/** Every configured meter has `count` readings at the cloud, each with an import register. */
function readingsOfEveryMeter(s: Site, count: number): void {
  const meters = s.configuredMeters();
  check(meters.length > 0, 'no meter in the terminal configuration');
  for (const { port, serial } of meters) {
    const rows = cloudReadings(s, serial);
    checkEqual(rows.length, count, `readings of meter ${serial} on ${port}`);
    for (const r of rows) {
      check(!r.missing, `meter ${serial}: ${r.missing?.reason}: ${r.missing?.text}`, [readingEvidence(r)]);
      check(valueOf(r, '1.8.0') !== undefined, `meter ${serial}: no 1.8.0 in reading ${r.seq}`, [readingEvidence(r)]);
    }
  }
}

/** Emulated meters only: the cloud's 1.8.0 is the text the meter sent. */
function valuesAsSent(s: Site): void {
  for (const m of s.meters) {
    const rows = cloudReadings(s, m.serial);
    m.readouts.forEach((sent, i) => {
      const got = rows[i] && valueOf(rows[i], '1.8.0');
      check(got === sent.values.get('1.8.0'), `meter ${m.serial} readout ${i}: cloud ${got}, meter sent ${sent.values.get('1.8.0')}`);
    });
  }
}

/** The terminal acknowledged the cloud's Modbus device list (it polls the declared devices). */
function deviceListApplied(s: Site): boolean {
  const v = s.cloud.service.modbusDevices(s.config.modemNo);
  return v.ackedVersion >= v.configVersion;
}

const emptyOutbox = { name: 'nothing is left in the outbox', check: (s: Site) => checkEqual(s.terminal.pendingRecords, 0, 'pending records') };
/** `polls` readouts one after the other from `at`; a real-time run ends once the cloud has acknowledged them all. */
function readoutsNow(at: string, polls = 1, before?: (s: Site) => void | Promise<void>) {
  return {
    at,
    label: polls === 1 ? 'readout now' : `${polls} readouts now`,
    do: async (s: Site) => {
      await before?.(s);
      for (let i = 0; i < polls; i++) await s.terminal.pollNow();
      await s.waitFor(() => s.terminal.pendingRecords === 0, { label: 'outbox empty' });
      s.endRun();
    },
  };
}

export default [
  defineScenario({
    name: 'real time: E21 reads a Landis ZMD310 on the optical port on demand',
    tags: ['meters', 'optical', 'real-time'],
    modes: EVERY_MODE,
    site: { terminal: { model: 'HT E21' }, optical: { brand: 'Landis', model: 'ZMD310', serial: '95316176', initialKwh: 4321 } },
    runFor: '15s',
    timeline: [readoutsNow('500ms')],
    expect: [
      { name: 'the cloud has one reading with 1.8.0', check: (s) => readingsOfEveryMeter(s, 1) },
      { name: 'the cloud’s 1.8.0 is the text the meter sent', check: valuesAsSent },
      emptyOutbox,
    ],
  }),
  defineScenario({
    name: 'real time: E21 reads three meters of three brands on one RS-485 line',
    tags: ['meters', 'rs485', 'real-time'],
    modes: EVERY_MODE,
    site: {
      terminal: { model: 'HT E21' },
      rs485: { meters: [{ brand: 'Makel', serial: '80000001' }, { brand: 'Luna', serial: '80000002' }, { brand: 'Elster', model: 'AS1440', serial: '80000003' }] },
    },
    runFor: '25s',
    timeline: [readoutsNow('500ms')],
    expect: [
      { name: 'each meter has one reading with 1.8.0', check: (s) => readingsOfEveryMeter(s, 1) },
      { name: 'the cloud’s 1.8.0 is the text each meter sent', check: valuesAsSent },
      {
        name: 'no collision on the line',
        check: (s) => check(!s.trace.records.some((r) => r.kind === 'rx' && r.flags?.includes('collision')), 'an rx record is flagged collision'),
      },
    ],
  }),
  defineScenario({
    name: 'real time: E21 reads a RAPIDUS relay and an SDM630 analyzer on RS-485',
    tags: ['modbus', 'real-time'],
    modes: EVERY_MODE,
    site: {
      terminal: { model: 'HT E21' },
      load: { baseKw: 30, peakKw: 30, powerFactor: 0.8, seed: 3 },
      modbus: { devices: [{ model: 'Klemsan RAPIDUS', address: 5 }, { model: 'Eastron SDM630', address: 7 }] },
    },
    runFor: '10s',
    timeline: [readoutsNow('1s', 1, (s) => s.waitFor(() => deviceListApplied(s), { label: 'the Modbus device list applied' }))],
    expect: [
      {
        name: 'one reading of each declared device, none missing',
        check: (s) => {
          const addresses = s.cloud.service.modbusDevices(s.config.modemNo).devices.map((d) => d.address);
          checkEqual(addresses.length, 2, 'devices declared on the cloud');
          for (const a of addresses) {
            const rows = cloudModbus(s, a);
            checkEqual(rows.length, 1, `readings of device ${a}`);
            check(!rows[0]!.missing, `device ${a}: ${rows[0]!.missing?.reason} ${rows[0]!.missing?.text ?? ''}`);
          }
        },
      },
      {
        name: 'the analyzer’s active power is the site load’s at the read time (emulated analyzer)',
        check: (s) => {
          if (!s.devices.some((d) => d.address === 7)) return;
          for (const r of cloudModbus(s, 7)) {
            const sample = s.meteredLoad.at(r.at);
            const want = sample.p.l1 + sample.p.l2 + sample.p.l3;
            const got = r.values.get('power.active.total');
            check(got !== undefined && Math.abs(got - want) < 0.02 * Math.abs(want) + 1, `P total: cloud ${got} W, load ${want} W`);
          }
        },
      },
      emptyOutbox,
    ],
  }),
  defineScenario({
    name: 'real time: a meter answering with a wrong BCC is reported missing, the next readout arrives',
    tags: ['meters', 'faults', 'real-time'],
    modes: { supported: ['virtual', 'pty'], reason: 'injects a wrong BCC into the emulated meter; a physical meter cannot be made to send one' },
    site: { terminal: { model: 'HT E21', retries: 0 }, optical: { brand: 'Landis', model: 'ZMD310', serial: '95316176' } },
    runFor: '20s',
    timeline: [readoutsNow('500ms', 2, (s) => void s.meter('95316176').inject({ kind: 'wrong-bcc' }, { count: 1 }))],
    expect: [
      {
        name: 'the first reading is missing as bcc-mismatch, with the bytes; the second has values',
        check: (s) => {
          const rows = cloudReadings(s, '95316176');
          checkEqual(rows.length, 2, 'readings at the cloud');
          check(rows[0]!.missing?.reason === 'bcc-mismatch', `first reading: ${rows[0]!.missing?.reason ?? 'has values'}`, [readingEvidence(rows[0]!)]);
          check(!rows[1]!.missing, `second reading: ${rows[1]!.missing?.reason}`, [readingEvidence(rows[1]!)]);
        },
      },
      emptyOutbox,
    ],
  }),
  defineScenario({
    name: 'real time: G21 delivers a readout through its cellular module',
    tags: ['cellular', 'real-time'],
    modes: EVERY_MODE,
    site: { terminal: { model: 'HT G21' }, optical: { brand: 'Makel', serial: '80099921' } },
    runFor: '40s',
    timeline: [readoutsNow('500ms')],
    expect: [
      { name: 'the reading reaches the cloud through the module', check: (s) => readingsOfEveryMeter(s, 1) },
      {
        name: 'the module opened a socket to the cloud',
        check: (s) => {
          const sent = s.modem!.received.map((r) => r.line);
          check(sent.some((l) => /\+CIPSTART|\+QIOPEN/i.test(l)), `commands seen: ${sent.slice(0, 12).join(' ')}`);
        },
      },
      emptyOutbox,
    ],
  }),
];
