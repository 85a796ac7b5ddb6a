/**
 * GSM/4G terminals reaching the cloud through their module: a 6-hour loss of coverage, a SIM
 * with its PIN enabled, a 4G module on a site with no LTE, and coverage flapping all day.
 */
import { check, checkEqual, defineScenario } from '../api/index.ts';
import { cloudReadingsBySerial } from '../api/cloud-view.ts';

const SERIAL = '80099921';
const meter = { brand: 'Makel', serial: SERIAL } as const;

export default [
  defineScenario({
    name: 'G21 through 6 hours without coverage loses no reading and duplicates none',
    tags: ['cellular', 'outbox'],
    site: { terminal: { model: 'HT G21', sendPeriodMin: 15 }, optical: meter },
    modes: { supported: ['virtual'], reason: 'a 6-hour loss of coverage within 10 hours of polls needs virtual time' },
    runFor: '10h5m',
    timeline: [{ at: '2h', label: 'no coverage for 6 hours', do: (s) => void s.modem!.addFault({ kind: 'no-coverage' }, { until: s.clock.now() + 6 * 3600_000 }) }],
    expect: [
      {
        name: 'all 40 readings reach the cloud, each once, the ones taken offline included',
        check: (s) => {
          const rows = cloudReadingsBySerial(s).get(SERIAL) ?? [];
          checkEqual(rows.length, 40, 'readings at the cloud');
          checkEqual(new Set(rows.map((r) => r.at)).size, 40, 'distinct readings');
          check(rows.every((r) => !r.missing), 'a reading is missing');
        },
      },
      {
        name: 'the readings taken offline arrived after coverage came back',
        check: (s) => {
          const header = s.trace.records[0];
          const coverageBack = (header?.kind === 'header' ? header.start : 0) + 8 * 3600_000;
          const late = s.trace.records.filter((r) => r.kind === 'event' && r.source === 'cloud' && r.name === 'record-stored' && r.t >= coverageBack);
          check(late.length >= 24, `only ${late.length} records stored after the outage; 24 readings were taken during it`);
        },
      },
    ],
  }),
  defineScenario({
    name: 'a SIM with its PIN enabled is reported, and nothing else is attempted',
    tags: ['cellular', 'faults'],
    site: { terminal: { model: 'HT G21', sendPeriodMin: 15 }, optical: meter, cellular: { sim: 'pin' } },
    modes: { supported: ['virtual'], reason: 'an hour of polls with the SIM locked needs virtual time' },
    runFor: '1h',
    expect: [
      {
        name: 'the terminal reports sim-pin-required; the GSM LED is off',
        check: (s) => {
          const status = s.trace.records.filter((r) => r.kind === 'event' && r.source === 'modem').at(-1);
          checkEqual(status?.kind === 'event' ? (status.data as { state?: string; sim?: string })?.sim : undefined, 'sim-pin-required', 'SIM state reported by the terminal');
          checkEqual(s.terminal.leds.get('gsm'), 'off', 'GSM LED');
        },
      },
      {
        name: 'the module never saw a registration, attach or connect command',
        check: (s) => {
          const sent = s.modem!.received.map((r) => r.line);
          const forbidden = sent.filter((l) => /\+(CREG|CGREG|CEREG|CGATT|CSTT|CIICR|CIPSTART|QIACT|QIOPEN)/i.test(l));
          checkEqual(forbidden, [], 'commands after the SIM check');
        },
      },
      {
        name: 'the cloud received nothing, and the readings wait in the outbox',
        check: (s) => {
          checkEqual(s.cloud.service.records(s.config.modemNo).length, 0, 'records at the cloud');
          check(s.terminal.pendingRecords >= 4, `${s.terminal.pendingRecords} records pending`);
        },
      },
    ],
  }),
  defineScenario({
    name: 'a 4G module on a site without LTE falls back to 2G and delivers',
    tags: ['cellular'],
    site: { terminal: { model: 'HT G24', sendPeriodMin: 15 }, optical: meter, cellular: { lteDbm: null } },
    modes: { supported: ['virtual'], reason: 'an hour of 15-minute polls needs virtual time' },
    runFor: '1h5m',
    expect: [
      {
        name: 'four readings at the cloud, sent over GSM',
        check: (s) => {
          checkEqual(cloudReadingsBySerial(s).get(SERIAL)?.length, 4, 'readings');
          const tech = s.trace.records.filter((r) => r.kind === 'event' && r.source === 'modem').map((r) => (r.kind === 'event' ? (r.data as { technology?: string }).technology : undefined));
          check(tech.includes('2g') && !tech.includes('4g'), `technologies reported: ${[...new Set(tech)].join(', ')}`);
        },
      },
    ],
  }),
  defineScenario({
    name: 'coverage flapping every few minutes for a day loses nothing and duplicates nothing',
    tags: ['cellular', 'long'],
    site: { terminal: { model: 'HT G21', sendPeriodMin: 15 }, optical: meter, cellular: { flapping: { upMin: 7, downMin: 4 } } },
    modes: { supported: ['virtual'], reason: 'a day of coverage flapping every few minutes needs virtual time' },
    runFor: '24h30m',
    expect: [
      {
        name: 'every reading of the day is at the cloud once; later ones are at the cloud or waiting in the outbox',
        check: (s) => {
          const header = s.trace.records[0];
          const dayEnd = (header?.kind === 'header' ? header.start : 0) + 24 * 3600_000;
          const rows = cloudReadingsBySerial(s).get(SERIAL) ?? [];
          checkEqual(new Set(rows.map((r) => r.at)).size, rows.length, 'distinct readings');
          checkEqual(rows.filter((r) => r.at <= dayEnd + 60_000).length, 96, 'readings of the first 24 h at the cloud');
          const sent = s.meter(SERIAL).readouts.length;
          check(sent - rows.length <= s.terminal.pendingRecords, `${sent - rows.length} readouts neither at the cloud nor in the outbox`);
        },
      },
    ],
  }),
];
