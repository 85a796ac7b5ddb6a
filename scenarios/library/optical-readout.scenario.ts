import { check, checkEqual, defineScenario } from '../api/index.ts';

/** The first vertical slice: an HT E21 reads a Landis ZMD310 on its optical port every 15 minutes. */
export default defineScenario({
  name: 'E21 reads a Landis ZMD310 on the optical port every 15 minutes for 2 hours',
  tags: ['meters', 'optical'],
  site: {
    terminal: { model: 'HT E21', sendPeriodMin: 15 },
    optical: { brand: 'Landis', model: 'ZMD310', serial: '95316176', initialKwh: 4321 },
  },
  modes: { supported: ['virtual'], reason: 'two hours of 15-minute polls need virtual time' },
  runFor: '2h5m', // the 02:00 reading needs a few seconds on the line and the uplink
  expect: [
    {
      name: 'the cloud holds 8 readings of 1.8.0, one per period, rising',
      check: ({ cloud, config }) => {
        const rows = cloud.service.readings(config.modemNo, { meter: '95316176', address: '1.8.0' });
        checkEqual(rows.length, 8, 'readings of 1.8.0');
        for (let i = 1; i < rows.length; i++) check(Number(rows[i]!.value) > Number(rows[i - 1]!.value), `1.8.0 did not rise between readings ${i - 1} and ${i}`);
      },
    },
    {
      name: 'the last 1.8.0 at the cloud equals the meter register at the read time',
      check: ({ cloud, config, meter }) => {
        const rows = cloud.service.readings(config.modemNo, { meter: '95316176', address: '1.8.0' });
        const last = rows[rows.length - 1]!;
        const m = meter('95316176');
        const now = m.value('energy.import.total') as number;
        check(Number(last.value) <= now && Number(last.value) > now - 10, `cloud ${last.value}, meter now ${now.toFixed(3)}`);
      },
    },
    {
      name: 'nothing is left in the outbox',
      check: ({ terminal }) => checkEqual(terminal.pendingRecords, 0, 'pending records'),
    },
  ],
});
