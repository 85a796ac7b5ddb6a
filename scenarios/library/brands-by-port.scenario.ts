/**
 * Every emulated brand read over every port its profile supports, by an HT E21: the cloud must
 * receive, each period, the very register values the meter put on the line.
 */
import { loadMeterProfiles } from '../../emulators/meters/profile-loader.ts';
import { check, checkEqual, defineScenario, type Scenario } from '../api/index.ts';
import { cloudReadings, readingEvidence, valueOf } from '../api/cloud-view.ts';

const profiles = loadMeterProfiles().map((l) => l.profile);
const scenarios: Scenario[] = [];

for (const p of profiles) {
  const ports = (['optical', 'rs232', 'rs485'] as const).filter((port) => (port === 'rs485' ? p.ports.rs485 > 0 : p.ports[port]));
  for (const port of ports) {
    const serial = p.serialNumber.example;
    const meter = { brand: p.brand, model: p.model, serial, initialKwh: 2500 };
    const energy = p.readout.find((l) => l.quantity === 'energy.import.total' && !l.obis.includes('*'))?.obis;
    scenarios.push(
      defineScenario({
        name: `${p.brand} ${p.model} over ${port}: readings arrive at the cloud as sent`,
        tags: ['meters', 'brands', port],
        site: {
          terminal: { model: 'HT E21', sendPeriodMin: 15 },
          ...(port === 'rs485' ? { rs485: { meters: [meter] } } : { [port]: meter }),
        },
        modes: { supported: ['virtual'], reason: 'three 15-minute polls (46 minutes) need virtual time' },
        runFor: '46m',
        expect: [
          {
            name: 'three readings, each with the identification of the brand',
            check: (site) => {
              const rows = cloudReadings(site, serial);
              checkEqual(rows.length, 3, 'readings at the cloud');
              for (const r of rows) check(!r.missing, `reading ${r.seq} is missing`, [readingEvidence(r)]);
              for (const r of rows) checkEqual(r.flag, p.flag, `FLAG id of reading ${r.seq}`);
            },
          },
          {
            name: 'every value at the cloud is the text the meter sent',
            check: (site) => {
              const sent = site.meter(serial).readouts;
              const rows = cloudReadings(site, serial);
              checkEqual(sent.length, rows.length, 'readouts sent vs readings stored');
              rows.forEach((r, i) => {
                for (const [address, value] of sent[i]!.values) {
                  const got = valueOf(r, address);
                  check(got === value, `${address}: cloud has ${JSON.stringify(got)}, meter sent ${JSON.stringify(value)}`, [readingEvidence(r, address)]);
                }
              });
              if (energy) check(rows.every((r) => valueOf(r, energy) !== undefined), `every reading has ${energy}`);
            },
          },
        ],
      }),
    );
  }
}

export default scenarios;
