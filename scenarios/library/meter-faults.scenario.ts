/**
 * Each meter fault with its defined outcome at the cloud. The fault is on for the 00:15 poll
 * (three attempts: the first try and two retries) and gone for the 00:30 poll.
 *
 * | fault | outcome at the cloud |
 * |---|---|
 * | no answer, or an answer later than the reader waits | reading missing, `no-answer`; `meter-not-answering` once, `meter-answering-again` after |
 * | wrong BCC, or a byte garbled on the way | missing, `bcc-mismatch`, with the bytes |
 * | readout cut short | missing, `truncated` |
 * | meter switches to the wrong baud rate | missing, `garbled` or `no-data` (what the terminal's UART made of it) |
 * | one bad exchange only | the retry reads it: no missing reading, no event |
 * | an answer late but within the reaction time | read normally |
 */
import type { MeterFault } from '../../emulators/meters/faults.ts';
import { check, checkEqual, defineScenario, type Scenario } from '../api/index.ts';
import { cloudEvents, cloudReadings, readingEvidence } from '../api/cloud-view.ts';

const SERIAL = '95316176';
const site = { terminal: { model: 'HT E21', sendPeriodMin: 15 }, optical: { brand: 'Landis', model: 'ZMD310', serial: SERIAL } } as const;

function faultScenario(title: string, fault: MeterFault, count: number, reasons: string[] | 'ok'): Scenario {
  return defineScenario({
    name: `meter fault: ${title}`,
    tags: ['meters', 'faults'],
    site,
    modes: { supported: ['virtual'], reason: 'a fault timed around the 00:15 poll and its retries (31 minutes) needs virtual time; wrong baud rates and late answers need exact line timing' },
    runFor: '31m',
    timeline: [{ at: '14m', label: `${fault.kind} for ${count} exchange(s)`, do: (s) => void s.meter(SERIAL).inject(fault, { count }) }],
    expect: [
      {
        name: reasons === 'ok' ? 'the 00:15 reading arrives (the retry succeeds)' : `the 00:15 reading is missing with reason ${reasons.join(' or ')}`,
        check: (s) => {
          const rows = cloudReadings(s, SERIAL);
          checkEqual(rows.length, 2, 'readings at the cloud');
          const first = rows[0]!;
          if (reasons === 'ok') check(!first.missing, `reading is missing: ${first.missing?.reason}`, [readingEvidence(first)]);
          else {
            check(first.missing, 'the faulty reading arrived with values', [readingEvidence(first)]);
            check(reasons.includes(first.missing.reason), `reason ${first.missing.reason}, expected ${reasons.join(' or ')}`, [readingEvidence(first)]);
          }
        },
      },
      {
        name: 'the 00:30 reading arrives with values',
        check: (s) => {
          const second = cloudReadings(s, SERIAL)[1];
          check(second && !second.missing, `00:30 reading: ${second?.missing?.reason ?? 'absent'}`, second ? [readingEvidence(second)] : []);
        },
      },
      {
        name: reasons === 'ok' ? 'no meter-not-answering event' : 'one meter-not-answering event, then one meter-answering-again',
        check: (s) => {
          const down = cloudEvents(s, 'meter-not-answering');
          const up = cloudEvents(s, 'meter-answering-again');
          checkEqual([down.length, up.length], reasons === 'ok' ? [0, 0] : [1, 1], '[not-answering, answering-again] events');
        },
      },
    ],
  });
}

export default [
  faultScenario('no answer', { kind: 'no-answer' }, 3, ['no-answer']),
  faultScenario('answer later than the reader waits (2.5 s)', { kind: 'late-answer', delayMs: 2500 }, 3, ['no-answer']),
  faultScenario('answer late but within the reaction time (1.4 s)', { kind: 'late-answer', delayMs: 1400 }, 6, 'ok'),
  faultScenario('wrong BCC', { kind: 'wrong-bcc' }, 3, ['bcc-mismatch']),
  faultScenario('wrong BCC once: the retry reads it', { kind: 'wrong-bcc' }, 1, 'ok'),
  faultScenario('a garbled byte in the readout', { kind: 'garbled-byte', offset: 60 }, 3, ['bcc-mismatch']),
  faultScenario('readout cut after 200 bytes', { kind: 'truncated-readout', afterBytes: 200 }, 3, ['truncated']),
  faultScenario('wrong baud rate after the switch (4800 for 9600)', { kind: 'wrong-baud', baudRate: 4800 }, 3, ['garbled', 'no-data']),
];
