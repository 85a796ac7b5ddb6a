/**
 * The G-series site side: mains outages (reported by AC models only), a weekly relay schedule
 * that keeps running while the network is down, and a relay commanded from the cloud.
 */
import { check, checkEqual, defineScenario } from '../api/index.ts';
import { cloudEvents } from '../api/cloud-view.ts';

const HOUR = 3_600_000;
const start = (s: { trace: { records: readonly { kind: string }[] } }) => {
  const h = s.trace.records[0] as { kind: string; start?: number };
  return h.kind === 'header' ? h.start! : 0;
};

export default [
  defineScenario({
    name: 'G21 reports a 40-minute mains outage with its start and end',
    tags: ['io', 'outage'],
    site: { terminal: { model: 'HT G21', sendPeriodMin: 15 }, optical: { brand: 'Makel', serial: '80099921' } },
    modes: { supported: ['virtual'], reason: 'a 40-minute mains outage within 2 hours needs virtual time' },
    runFor: '2h',
    timeline: [{ at: '50m', label: 'mains off for 40 minutes', do: (s) => s.mains.scheduleOutage(s.clock.now(), s.clock.now() + 40 * 60_000) }],
    expect: [
      {
        name: 'one outage-start at 00:50 and one outage-end at 01:30 at the cloud',
        check: (s) => {
          const t0 = start(s);
          const begin = cloudEvents(s, 'outage-start');
          const end = cloudEvents(s, 'outage-end');
          checkEqual([begin.length, end.length], [1, 1], '[outage-start, outage-end] events');
          const b = (begin[0]!.details as { startedAt: number }).startedAt - t0;
          const e = (end[0]!.details as { endedAt: number }).endedAt - t0;
          check(Math.abs(b - 50 * 60_000) <= 1000, `outage start reported at +${b / 1000} s, expected +3000 s`);
          check(e >= 90 * 60_000 && e <= 90 * 60_000 + 5000, `outage end reported at +${e / 1000} s, expected +5400 s (the terminal boots after mains returns)`);
        },
      },
      {
        name: 'no reading is stored for the periods the site was dark, and readings resume',
        check: (s) => {
          const rows = s.cloud.service.records(s.config.modemNo, { kind: 'meter-reading' });
          const t0 = start(s);
          const dark = rows.filter((r) => r.at > t0 + 50 * 60_000 && r.at < t0 + 90 * 60_000);
          checkEqual(dark.length, 0, 'readings during the outage');
          check(rows.some((r) => r.at > t0 + 90 * 60_000), 'no reading after mains returned');
        },
      },
    ],
  }),
  defineScenario({
    name: 'G23 (DC supplied) does not report mains outages',
    tags: ['io', 'outage'],
    site: { terminal: { model: 'HT G23', sendPeriodMin: 15 } },
    modes: { supported: ['virtual'], reason: 'a 40-minute mains outage within 2 hours needs virtual time' },
    runFor: '2h',
    timeline: [{ at: '50m', label: 'mains off for 40 minutes', do: (s) => s.mains.scheduleOutage(s.clock.now(), s.clock.now() + 40 * 60_000) }],
    expect: [
      {
        name: 'no outage events, and the terminal kept running',
        check: (s) => {
          checkEqual([cloudEvents(s, 'outage-start').length, cloudEvents(s, 'outage-end').length], [0, 0], '[outage-start, outage-end] events');
          checkEqual(cloudEvents(s, 'terminal-start').length, 1, 'terminal starts');
        },
      },
    ],
  }),
  defineScenario({
    name: 'a weekly schedule switches C1 on time through a 4-hour network outage',
    tags: ['io', 'schedule', 'cellular'],
    site: { terminal: { model: 'HT G24', sendPeriodMin: 15 } },
    modes: { supported: ['virtual'], reason: 'a 12-hour schedule through a 4-hour outage needs virtual time' },
    runFor: '12h',
    timeline: [
      {
        at: '10m',
        label: 'I/O on, C1 on Mondays 06:00–07:00 and 08:00–09:00 local',
        do: (s) =>
          void s.cloud.service.io.setSettings(s.config.modemNo, {
            enabled: true,
            schedule: [
              { output: 1, days: ['mon'], on: '06:00', off: '07:00' },
              { output: 1, days: ['mon'], on: '08:00', off: '09:00' },
            ],
          }),
      },
      { at: '1h', label: 'no coverage for 4 hours', do: (s) => void s.modem!.addFault({ kind: 'no-coverage' }, { until: s.clock.now() + 4 * HOUR }) },
    ],
    expect: [
      {
        name: 'C1 switched at 03:00, 04:00, 05:00 and 06:00 UTC (06–09 local), all reported to the cloud',
        check: (s) => {
          const t0 = start(s);
          const changes = s.cloud.service.io.changes(s.config.modemNo, { point: 'output', n: 1 }).map((c) => [c.on, c.cause, (c.at - t0) / HOUR]);
          checkEqual(changes, [[true, 'schedule', 3], [false, 'schedule', 4], [true, 'schedule', 5], [false, 'schedule', 6]], 'C1 changes [on, cause, hour]');
        },
      },
      {
        name: 'the load on C1 ran for the two scheduled hours',
        check: (s) => {
          const c1 = s.io!.outputs[0]!;
          const hist = c1.relayHistory.map((h) => h.closed);
          checkEqual(hist, [true, false, true, false], 'C1 contact history');
        },
      },
    ],
  }),
];
