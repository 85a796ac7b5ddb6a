/**
 * The cloud as a customer meets it, asserted through the same service layer the HTTP API uses:
 * the modem joins an account with the code printed on the paper in its box; a reactive ratio
 * over the Turkish limit raises one alarm, one e-mail and one SMS to the people who asked for
 * it; a sub-user without the control right cannot switch a relay.
 */
import { ApiError } from '../../fake-cloud/api/errors.ts';
import { check, checkEqual, defineScenario } from '../api/index.ts';
import type { Site } from '../api/site.ts';

/** What a timeline step saw, kept per run for the expectations. */
const seen = new WeakMap<Site, { refusals: { what: string; status: number; message: string }[]; ownerId?: number; operatorId?: number }>();
const note = (s: Site) => {
  let n = seen.get(s);
  if (!n) seen.set(s, (n = { refusals: [] }));
  return n;
};

/** Runs a call that must be refused; notes its status and message (a success is noted as 200). */
async function refused(s: Site, what: string, call: () => unknown): Promise<void> {
  try {
    await call();
    note(s).refusals.push({ what, status: 200, message: 'accepted' });
  } catch (err) {
    if (!(err instanceof ApiError)) throw err;
    note(s).refusals.push({ what, status: err.status, message: err.message });
  }
}

const refusal = (s: Site, what: string) => {
  const r = note(s).refusals.find((x) => x.what === what);
  check(r, `no attempt '${what}' was made`);
  return r;
};

/** The owner opens the account and adds the site's modem with its authorization code. */
async function ownerAddsModem(s: Site): Promise<void> {
  const owner = await s.cloud.accounts.openAccount({ email: 'enerji@konya-osb.example', password: 'konya-osb-2026' });
  note(s).ownerId = owner.id;
  await s.cloud.service.as(owner.id).addModem({ modemNo: s.config.modemNo, code: s.main.authCode });
}

export default [
  defineScenario({
    name: 'cloud: a reactive ratio over the limit raises one alarm, one e-mail and one SMS to the chosen recipient only',
    tags: ['cloud', 'alarms', 'dashboard'],
    modes: { supported: ['virtual'], reason: 'the month-to-date reactive ratio needs hours of readings' },
    // Power factor 0.80: inductive reactive energy is 75 % of active, far over the 20 % limit.
    site: { terminal: { model: 'HT E21', sendPeriodMin: 15 }, optical: { brand: 'Makel', serial: '80012345' }, load: { baseKw: 20, peakKw: 40, powerFactor: 0.8 } },
    runFor: '3h',
    timeline: [
      {
        at: '1m',
        label: 'the owner adds the modem and chooses who gets which alarm',
        do: async (s) => {
          await ownerAddsModem(s);
          s.cloud.service.as(note(s).ownerId!).setSiteSettings(s.config.modemNo, {
            location: { name: 'Konya OSB, 3. cadde' },
            recipients: [
              { email: 'ayse@konya-osb.example', phone: '+905321234567', alarms: ['reactive-ratio'] },
              { email: 'mehmet@konya-osb.example', phone: '+905339876543', alarms: ['mains-outage'] },
            ],
          });
        },
      },
    ],
    expect: [
      {
        name: 'one open reactive-ratio alarm, its month-end forecast alarm, and no other alarm',
        check: (s) => {
          const alarms = s.cloud.alarms.list(s.config.modemNo);
          checkEqual(alarms.map((a) => [a.rule, a.state]).sort(), [['reactive-forecast', 'open'], ['reactive-ratio', 'open']], '[rule, state] of the alarms');
        },
      },
      {
        name: 'Ayşe (reactive ratio only) got one e-mail over SMTP and one SMS; Mehmet, who asked for outages only, got nothing',
        check: async (s) => {
          await s.cloud.notifier.idle();
          const mail = s.cloud.notifier.capture.messages();
          const sms = s.cloud.notifier.sms.messages();
          checkEqual(mail.map((m) => m.to), [['ayse@konya-osb.example']], 'e-mail recipients');
          checkEqual(sms.map((m) => m.to), ['+905321234567'], 'SMS recipients');
          check(/reactive/i.test(mail[0]!.subject), `the e-mail's subject does not name the alarm: '${mail[0]!.subject}'`);
          check(sms[0]!.text.includes(s.config.modemNo), `the SMS does not name the modem: '${sms[0]!.text}'`);
        },
      },
    ],
  }),
  defineScenario({
    name: 'cloud: an authorization code adds the modem once; a second use, a wrong code and a guessing spree are refused',
    tags: ['cloud', 'accounts'],
    modes: { supported: ['virtual'], reason: 'the guessing limit is counted on the clock (minutes); the scenario checks the modem read for half an hour' },
    site: { terminal: { model: 'HT E21', sendPeriodMin: 15 }, optical: { brand: 'Makel', serial: '80012346' } },
    runFor: '30m',
    timeline: [
      { at: '1m', label: 'the owner adds the modem with the code from the box', do: ownerAddsModem },
      {
        at: '2m',
        label: 'another customer tries the same code, then guesses',
        do: async (s) => {
          const other = await s.cloud.accounts.openAccount({ email: 'baska@firma.example', password: 'baska-firma-2026' });
          const as = s.cloud.service.as(other.id);
          const no = s.config.modemNo;
          await refused(s, 'second use', () => as.addModem({ modemNo: no, code: s.main.authCode }));
          for (let i = 1; i <= 6; i++) await refused(s, `guess ${i}`, () => as.addModem({ modemNo: no, code: `ZZZZ-ZZZ${i + 1}` }));
          await refused(s, 'reads the modem', () => as.readings(no));
        },
      },
    ],
    expect: [
      {
        name: 'the second use is refused (409) naming the account it belongs to',
        check: (s) => {
          const r = refusal(s, 'second use');
          checkEqual(r.status, 409, 'status of the second use');
          check(r.message.includes('is in another account'), `message: ${r.message}`);
        },
      },
      {
        name: 'wrong codes are refused (400), and the sixth guess within 15 minutes is held off (429)',
        check: (s) => {
          checkEqual([1, 2, 3, 4, 5].map((i) => refusal(s, `guess ${i}`).status), [400, 400, 400, 400, 400], 'statuses of guesses 1-5');
          check(refusal(s, 'guess 1').message.includes('wrong authorization code'), `message: ${refusal(s, 'guess 1').message}`);
          checkEqual(refusal(s, 'guess 6').status, 429, 'status of the sixth guess');
        },
      },
      {
        name: 'the other customer cannot even see the modem (404), while its readings reach the owner',
        check: (s) => {
          checkEqual(refusal(s, 'reads the modem').status, 404, 'status of a read by the other customer');
          const readings = s.cloud.service.as(note(s).ownerId!).readings(s.config.modemNo);
          check(readings.length > 0, 'the owner sees no readings');
        },
      },
    ],
  }),
  defineScenario({
    name: 'cloud: a sub-user without the control right cannot switch a relay; once granted, the relay switches at the site',
    tags: ['cloud', 'accounts', 'io'],
    modes: { supported: ['virtual'], reason: 'minutes pass between the refused and the granted command' },
    site: { terminal: { model: 'HT G21', sendPeriodMin: 15 } },
    runFor: '30m',
    timeline: [
      { at: '1m', label: 'the owner adds the modem', do: ownerAddsModem },
      {
        at: '2m',
        label: 'I/O on; an operator with view and settings rights tries to switch C1',
        do: async (s) => {
          const no = s.config.modemNo;
          const asOwner = s.cloud.service.as(note(s).ownerId!);
          asOwner.io.setSettings(no, { enabled: true });
          const operator = await asOwner.createSubUser({ email: 'operator@konya-osb.example', password: 'operator-2026' });
          note(s).operatorId = operator.id;
          asOwner.setRights(operator.id, { modems: { [no]: ['view', 'settings'] } });
          await refused(s, 'relay without control', () => s.cloud.service.as(operator.id).io.setRelay(no, { output: 1, on: true }));
        },
      },
      {
        at: '10m',
        label: 'the owner grants control; the operator switches C1 on',
        do: (s) => {
          const no = s.config.modemNo;
          s.cloud.service.as(note(s).ownerId!).setRights(note(s).operatorId!, { modems: { [no]: ['view', 'settings', 'control'] } });
          s.cloud.service.as(note(s).operatorId!).io.setRelay(no, { output: 1, on: true });
        },
      },
    ],
    expect: [
      {
        name: "the first command is refused (403) naming the missing 'control' right, and nothing was sent to the modem then",
        check: (s) => {
          const r = refusal(s, 'relay without control');
          checkEqual(r.status, 403, 'status');
          check(r.message.includes("'control'"), `message: ${r.message}`);
          const t0 = (s.trace.records[0] as { start: number }).start;
          const early = s.cloud.service.pushes(s.config.modemNo).filter((p) => p.kind === 'command' && p.createdAt < t0 + 10 * 60_000);
          checkEqual(early.length, 0, 'commands queued before control was granted');
        },
      },
      {
        name: 'after the grant C1 closed once at the site, and the cloud recorded it as a command',
        check: (s) => {
          const c1 = s.io!.outputs[0]!.relayHistory.map((h) => h.closed);
          checkEqual(c1, [true], 'C1 contact changes');
          const changes = s.cloud.service.io.changes(s.config.modemNo, { point: 'output', n: 1 });
          checkEqual(changes.map((c) => [c.on, c.cause]), [[true, 'command']], '[on, cause] of C1 at the cloud');
        },
      },
    ],
  }),
];
