/**
 * The terminal loses power in the middle of sending (the cloud's acknowledgements are slow, so
 * records are on the way and unacknowledged), and again in the middle of a poll sweep. Nothing
 * stored in its outbox may be lost or stored twice at the cloud; at most the reading being taken
 * at the moment of a cut is never made.
 */
import { check, checkEqual, defineScenario } from '../api/index.ts';
import { cloudEvents, cloudReadingsBySerial } from '../api/cloud-view.ts';

const meters = ['Landis', 'Makel', 'EMH', 'Luna'].map((brand, i) => ({ brand, ...(brand === 'Landis' ? { model: 'ZMD310' } : {}), serial: String(60000001 + i) }));

export default defineScenario({
  name: 'terminal power cuts mid-send and mid-sweep lose no stored reading and duplicate none',
  tags: ['uplink', 'outbox', 'faults'],
  site: { terminal: { model: 'HT E21', sendPeriodMin: 15 }, rs485: { meters } },
  modes: { supported: ['virtual'], reason: 'power cuts at exact instants of a send and a sweep need virtual time' },
  runFor: '1h5m',
  timeline: [
    { at: '14m', label: 'cloud acknowledges 20 s late', do: (s) => s.cloud.uplink.setFaults({ ackDelayMs: 20_000 }) },
    { at: '15m12s', label: 'power cut while records are unacknowledged', do: (s) => s.restartTerminal({ powerCut: true, offForMs: 60_000 }) },
    { at: '20m', label: 'acknowledgements on time again', do: (s) => s.cloud.uplink.clearFaults() },
    { at: '30m4s', label: 'power cut in the middle of the sweep', do: (s) => s.restartTerminal({ powerCut: true, offForMs: 30_000 }) },
  ],
  expect: [
    {
      name: 'every reading the terminal completed is at the cloud exactly once',
      check: (s) => {
        const all = cloudReadingsBySerial(s);
        let lost = 0;
        for (const m of meters) {
          const rows = all.get(m.serial) ?? [];
          const starts = rows.map((r) => r.at);
          checkEqual(new Set(starts).size, starts.length, `distinct readings of ${m.serial} (a duplicate is a resend stored twice)`);
          // Readouts the meter sent that the terminal never stored: only one cut can hit a read in progress.
          const sent = s.meter(m.serial).readouts.length;
          check(rows.length <= sent, `${m.serial}: ${rows.length} readings stored, but the meter sent only ${sent} readouts`);
          lost += sent - rows.length;
        }
        check(lost <= 2, `${lost} readouts never reached the cloud; at most the two in progress at the cuts may be lost`);
      },
    },
    {
      name: 'the terminal reports each start, and the first restart found unsent records in its outbox',
      check: (s) => {
        const starts = cloudEvents(s, 'terminal-start');
        checkEqual(starts.length, 3, 'terminal-start events');
        const pending = (starts[1]!.details as { pendingRecords?: number }).pendingRecords ?? 0;
        check(pending > 0, 'the restart after the first cut found no unacknowledged records: the cut did not hit mid-send');
      },
    },
    {
      name: 'the outbox is empty at the end',
      check: (s) => checkEqual(s.terminal.pendingRecords, 0, 'records still pending'),
    },
  ],
});
