/**
 * A week of 15-minute readings: the cloud must hold every reading once, each value as the meter
 * sent it, and the energy it derives must be the meter's own: the week's consumption from the
 * cloud's readings equals the meter's register advance, which equals the integral of the site
 * load between the two read times, per tariff as well as in total.
 */
import { integrate } from '../../emulators/site/load.ts';
import { tariffAt, TURKISH_THREE_RATE } from '../../emulators/meters/tariff.ts';
import { check, checkEqual, defineScenario } from '../api/index.ts';
import { cloudReadingsBySerial, milli, readingEvidence, valueOf } from '../api/cloud-view.ts';

const METERS = [
  { port: 'optical', brand: 'Landis', model: 'ZMD310', serial: '95316176', total: '1.8.0', tariffs: ['1.8.1', '1.8.2', '1.8.3'] },
  { port: 'rs485', brand: 'Makel', model: 'C500', serial: '80099921', total: '1.8.0', tariffs: ['1.8.1', '1.8.2', '1.8.3'] },
] as const;
const PERIODS = 7 * 96;

export default defineScenario({
  name: 'a week of 15-minute readings: cloud energy totals equal the meters’ registers exactly',
  tags: ['meters', 'long', 'energy'],
  site: {
    terminal: { model: 'HT E21', sendPeriodMin: 15 },
    load: { baseKw: 3, peakKw: 35, powerFactor: 0.9, seed: 7 },
    optical: { brand: 'Landis', model: 'ZMD310', serial: '95316176', initialKwh: 1200 },
    rs485: { meters: [{ brand: 'Makel', model: 'C500', serial: '80099921', initialKwh: 3400 }] },
  },
  modes: { supported: ['virtual'], reason: 'a week of 15-minute readings needs virtual time' },
  runFor: '7d5m',
  expect: [
    {
      name: `each meter has ${PERIODS} readings at the cloud, each once, none missing`,
      check: (s) => {
        const all = cloudReadingsBySerial(s);
        for (const m of METERS) {
          const rows = all.get(m.serial) ?? [];
          checkEqual(rows.length, PERIODS, `readings of ${m.serial}`);
          const bad = rows.find((r) => r.missing);
          check(!bad, `${m.serial}: ${bad?.missing?.reason}`, bad ? [readingEvidence(bad)] : []);
          checkEqual(new Set(rows.map((r) => r.at)).size, PERIODS, `distinct read times of ${m.serial}`);
        }
      },
    },
    {
      name: 'every value at the cloud is the text the meter sent',
      check: (s) => {
        const all = cloudReadingsBySerial(s);
        for (const m of METERS) {
          const rows = all.get(m.serial)!;
          const sent = s.meter(m.serial).readouts;
          checkEqual(sent.length, rows.length, `readouts of ${m.serial} vs readings stored`);
          rows.forEach((r, i) => {
            for (const [address, value] of sent[i]!.values) {
              if (valueOf(r, address) !== value) check(false, `${m.serial} ${address}: cloud ${valueOf(r, address)}, meter sent ${value}`, [readingEvidence(r, address)]);
            }
          });
        }
      },
    },
    {
      name: 'the week’s consumption at the cloud equals the integral of the load, in total and per tariff',
      check: (s) => {
        const all = cloudReadingsBySerial(s);
        for (const m of METERS) {
          const rows = all.get(m.serial)!;
          const sent = s.meter(m.serial).readouts;
          const first = rows[0]!;
          const last = rows[rows.length - 1]!;
          const cloudTotal = milli(valueOf(last, m.total)!) - milli(valueOf(first, m.total)!);
          // The meter integrated the load from the first readout to the last.
          const from = sent[0]!.at;
          const to = sent[sent.length - 1]!.at;
          const perTariff = { t1: 0, t2: 0, t3: 0 } as Record<string, number>;
          const sums = integrate(s.load, from, to, (start, ms, sample) => {
            const local = new Date(start + 3 * 3600_000);
            const tariff = tariffAt(TURKISH_THREE_RATE, local.getUTCHours() * 60 + local.getUTCMinutes());
            perTariff[tariff]! += (Math.max(0, sample.p.l1 + sample.p.l2 + sample.p.l3) * ms) / 3_600_000;
          });
          const resolution = m.brand === 'Landis' ? 10n : 1n; // thousandths of kWh shown: ZMD310 prints 2 decimals
          const integral = BigInt(Math.round(sums.importWh));
          const diff = cloudTotal - integral;
          check(diff >= -2n * resolution && diff <= 2n * resolution, `${m.serial}: cloud total ${cloudTotal} Wh, load integral ${integral} Wh`, [readingEvidence(last, m.total)]);
          m.tariffs.forEach((address, i) => {
            const got = milli(valueOf(last, address)!) - milli(valueOf(first, address)!);
            const want = BigInt(Math.round(perTariff[`t${i + 1}`]!));
            const d = got - want;
            check(d >= -2n * resolution && d <= 2n * resolution, `${m.serial} ${address}: cloud ${got} Wh, load integral in tariff ${want} Wh`, [readingEvidence(last, address)]);
          });
        }
      },
    },
  ],
});
