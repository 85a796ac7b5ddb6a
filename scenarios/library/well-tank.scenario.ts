/**
 * The well–tank automation (product manual: "input states can drive another modem's relay
 * output"): the tank's float on modem A's IN1 closes at the low mark; the cloud's rule switches
 * the well pump on modem B's C1 until the float opens at the high mark. Two terminals, one
 * account, the cloud in between — and once, the well's modem loses its network for an hour.
 */
import { check, checkEqual, defineScenario } from '../api/index.ts';
import type { Site } from '../api/site.ts';

const HOUR = 3_600_000;
const TANK = '21000010';
const WELL = '25000020';

const plant = {
  float: { modemNo: TANK, input: 1 },
  pump: { modemNo: WELL, output: 1, kw: 5.5 },
  capacityM3: 50,
  levelM3: 30,
  consumptionM3h: 6,
  pumpM3h: 18,
  lowM3: 10,
  highM3: 40,
};

const automate = (s: Site) => {
  const io = s.cloud.service.io;
  io.setSettings(TANK, { enabled: true });
  io.setSettings(WELL, { enabled: true });
  io.addRule({ from: { modemNo: TANK, input: 1 }, to: { modemNo: WELL, output: 1 } });
};

/** The pump's relay changes as the cloud recorded them (reported back by the well's modem). */
const pumpAtCloud = (s: Site) => s.cloud.service.io.changes(WELL, { point: 'output', n: 1 });
const floatAtCloud = (s: Site) => s.cloud.service.io.changes(TANK, { point: 'input', n: 1 });

export default [
  defineScenario({
    name: 'well–tank: the float on the tank modem runs the pump on the well modem, filling the tank twice a day',
    tags: ['io', 'automation', 'cellular'],
    site: { terminal: { model: 'HT G21', modemNo: TANK }, peers: [{ model: 'HT G25', modemNo: WELL }], plant: { wellTank: plant } },
    modes: { supported: ['virtual'], reason: 'a day of tank levels needs virtual time' },
    runFor: '24h',
    timeline: [{ at: '1m', label: 'I/O on for both modems; rule: tank IN1 drives well C1', do: automate }],
    expect: [
      {
        name: 'every low mark started the pump and every high mark stopped it, within seconds, as the cloud recorded it',
        check: (s) => {
          const float = floatAtCloud(s).map((c) => ({ on: c.on, at: c.at }));
          const pump = pumpAtCloud(s);
          // 30 m³ → 10 m³ at 6 m³/h (3 h 20 min), then +12 m³/h to 40 m³ (2 h 30 min), then 5 h down: ~3 fills a day.
          check(float.filter((f) => f.on).length >= 2, `the float closed ${float.filter((f) => f.on).length} times in a day, expected at least 2`);
          checkEqual(pump.map((c) => c.cause), pump.map(() => 'automation'), 'causes of the pump relay changes');
          const closes = float.filter((f) => f.on);
          const starts = pump.filter((c) => c.on);
          checkEqual(starts.length, closes.length, 'pump starts for float closes');
          for (const [i, c] of closes.entries()) {
            const lag = starts[i]!.at - c.at;
            check(lag >= 0 && lag < 10_000, `pump start ${i + 1} came ${lag / 1000} s after the float closed (expected under 10 s)`);
          }
        },
      },
      {
        name: 'the tank stays between its marks: never dry, never overflowing',
        check: (s) => {
          const t = s.tank!;
          check(t.min > 9.9, `lowest level ${t.min.toFixed(2)} m³, the low mark is 10 m³`);
          check(t.max < 40.1, `highest level ${t.max.toFixed(2)} m³, the high mark is 40 m³`);
          checkEqual([t.dryMs, t.overflowMs], [0, 0], '[dry, overflow] time');
        },
      },
    ],
  }),
  defineScenario({
    name: 'well–tank: the well modem offline for an hour at the low mark; the pump starts once it reconnects, the tank never runs dry',
    tags: ['io', 'automation', 'cellular', 'fault'],
    site: { terminal: { model: 'HT G21', modemNo: TANK }, peers: [{ model: 'HT G25', modemNo: WELL }], plant: { wellTank: plant } },
    modes: { supported: ['virtual'], reason: 'eight hours with an hour offline need virtual time' },
    runFor: '8h',
    timeline: [
      { at: '1m', label: 'I/O on for both modems; rule: tank IN1 drives well C1', do: automate },
      { at: '3h', label: 'the well modem loses its network for 1 hour', do: (s) => s.terminalOf(WELL).setNetwork(false, 'well site network outage') },
      { at: '4h', label: 'the well modem is back', do: (s) => s.terminalOf(WELL).setNetwork(true) },
    ],
    expect: [
      {
        name: 'the float closed at 3 h 20 min; the pump started after the network came back at 4 h, within the uplink back-off (15 min at most)',
        check: (s) => {
          const t0 = (s.trace.records[0] as { start: number }).start;
          const closes = floatAtCloud(s).filter((c) => c.on);
          check(closes.length >= 1, 'the float never closed');
          const closedAt = closes[0]!.at - t0;
          check(Math.abs(closedAt - (3 * HOUR + 20 * 60_000)) < 10_000, `float closed at +${(closedAt / 60_000).toFixed(1)} min, expected +200 min`);
          const start = pumpAtCloud(s).find((c) => c.on);
          check(start, 'the pump never started');
          const startedAt = start.at - t0;
          check(startedAt >= 4 * HOUR && startedAt <= 4 * HOUR + 15 * 60_000, `pump started at +${(startedAt / 60_000).toFixed(1)} min, expected within 240..255 min`);
        },
      },
      {
        name: 'the late start only cost level: it fell at 6 m³/h from the low mark until the pump started, no dry run',
        check: (s) => {
          const t = s.tank!;
          const t0 = (s.trace.records[0] as { start: number }).start;
          const start = pumpAtCloud(s).find((c) => c.on);
          check(start, 'the pump never started');
          const lateMin = (start.at - t0) / 60_000 - 200;
          const expected = 10 - (6 * lateMin) / 60;
          check(Math.abs(t.min - expected) < 0.05, `lowest level ${t.min.toFixed(2)} m³, expected ${expected.toFixed(2)} m³ (10 m³ less ${lateMin.toFixed(1)} min at 6 m³/h)`);
          checkEqual(t.dryMs, 0, 'dry-run time');
        },
      },
    ],
  }),
];
