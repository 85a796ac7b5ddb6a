/**
 * The RS-485 line: 32 meters of mixed brands read every period by serial number; two meters
 * answering one address collide on the line; a meter whose clock drifts.
 */
import { loadMeterProfiles } from '../../emulators/meters/profile-loader.ts';
import { check, checkEqual, defineScenario } from '../api/index.ts';
import { cloudReadings, cloudReadingsBySerial, readingEvidence, valueOf } from '../api/cloud-view.ts';

const busBrands = loadMeterProfiles()
  .map((l) => l.profile)
  .filter((p) => p.ports.rs485 > 0);
const mixed = Array.from({ length: 32 }, (_, i) => {
  const p = busBrands[i % busBrands.length]!;
  return { brand: p.brand, model: p.model, serial: String(70000001 + i), initialKwh: 500 + i * 10 };
});

export default [
  defineScenario({
    name: '32 meters of mixed brands on one RS-485 line, each read every 15 minutes for 2 hours',
    tags: ['meters', 'rs485', 'scale'],
    site: { terminal: { model: 'HT E21', sendPeriodMin: 15 }, rs485: { meters: mixed } },
    modes: { supported: ['virtual'], reason: '32 meters every 15 minutes for 2 hours need virtual time' },
    runFor: '2h14m',
    expect: [
      {
        name: 'every meter has 8 readings with values, none missing',
        check: (s) => {
          const bySerial = cloudReadingsBySerial(s);
          for (const m of mixed) {
            const rows = bySerial.get(m.serial) ?? [];
            checkEqual(rows.length, 8, `readings of meter ${m.serial} (${m.brand})`);
            const bad = rows.find((r) => r.missing);
            check(!bad, `meter ${m.serial}: ${bad?.missing?.reason}`, bad ? [readingEvidence(bad)] : []);
          }
        },
      },
      {
        name: 'each period’s sweep of the bus fits in the period',
        check: (s) => checkEqual(s.terminal.overruns, 0, 'poll periods skipped because a sweep ran over'),
      },
    ],
  }),
  defineScenario({
    name: 'two meters answering one address collide; the terminal reports the reading missing',
    tags: ['meters', 'rs485', 'faults'],
    site: {
      terminal: { model: 'HT E21', sendPeriodMin: 15 },
      rs485: { meters: [{ brand: 'Makel', serial: '80000001' }, { brand: 'Luna', serial: '80000002' }] },
    },
    modes: { supported: ['virtual'], reason: 'two meters answering at the same instant need exact line timing' },
    runFor: '31m',
    timeline: [{ at: '10m', label: 'Luna 80000002 answers every address (×3)', do: (s) => void s.meter('80000002').inject({ kind: 'foreign-address' }, { count: 3 }) }],
    expect: [
      {
        name: 'the 00:15 reading of the Makel is missing as garbled, the 00:30 one arrives',
        check: (s) => {
          const rows = cloudReadings(s, '80000001');
          checkEqual(rows.length, 2, 'readings of 80000001');
          check(rows[0]!.missing && ['garbled', 'bad-identification'].includes(rows[0]!.missing.reason), `00:15: ${rows[0]!.missing?.reason ?? 'read with values'}`, [readingEvidence(rows[0]!)]);
          check(!rows[1]!.missing, `00:30: ${rows[1]!.missing?.reason}`);
        },
      },
      {
        name: 'the trace shows the collision on the rs485 line',
        check: (s) => {
          const hit = s.trace.records.find((r) => r.kind === 'rx' && r.line === 'rs485' && r.flags?.includes('collision'));
          check(hit, 'no rx record flagged collision on rs485');
        },
      },
    ],
  }),
  defineScenario({
    name: 'a meter clock 90 s fast and drifting 500 ppm shows in the readings',
    tags: ['meters', 'faults'],
    site: { terminal: { model: 'HT E21', sendPeriodMin: 60 }, optical: { brand: 'Makel', serial: '80099921' } },
    modes: { supported: ['virtual'], reason: 'six hours of clock drift need virtual time' },
    runFor: '6h1m',
    timeline: [{ at: '1s', label: 'meter clock +90 s, +500 ppm', do: (s) => s.meter('80099921').setClockError(90_000, 500) }],
    expect: [
      {
        name: 'the meter time read at 06:00 is 90 s + 10.8 s ahead of true local time',
        check: (s) => {
          const rows = cloudReadings(s, '80099921');
          const last = rows[rows.length - 1]!;
          const t = valueOf(last, '0.9.1');
          check(t, 'no 0.9.1 in the reading', [readingEvidence(last)]);
          const [h, m, sec] = t.split(':').map(Number) as [number, number, number];
          const meterSec = h * 3600 + m * 60 + sec;
          const trueLocal = Math.floor(((last.values ? s.clock.now() : 0) - s.clock.now()) / 1000); // 0: use the read start below
          void trueLocal;
          const readLocal = new Date(Math.floor(s.meter('80099921').readouts.at(-1)!.at) + 3 * 3600_000);
          const trueSec = readLocal.getUTCHours() * 3600 + readLocal.getUTCMinutes() * 60 + readLocal.getUTCSeconds();
          const ahead = meterSec - trueSec;
          check(ahead >= 100 && ahead <= 101, `meter is ${ahead} s ahead, expected 100.8 s (90 s + 6 h × 500 ppm)`, [readingEvidence(last, `0.9.1(${t})`)]);
        },
      },
    ],
  }),
];
