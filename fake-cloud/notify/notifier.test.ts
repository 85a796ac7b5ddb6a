import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { AlarmStore } from '../alarms/alarm-store.ts';
import { Store } from '../store/store.ts';
import type { AlarmNotice } from './message-text.ts';
import { Notifier, type NotifierOptions } from './notifier.ts';
import { MemoryRecipients, type Recipient } from './recipients.ts';
import { SmtpMailer } from './smtp-mailer.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const MODEM = '24000001';
const open: Notifier[] = [];

afterEach(async () => {
  for (const n of open.splice(0)) await n.stop();
});

const PEOPLE: Recipient[] = [
  { email: 'Ayse@Example.com', phone: '+905321234567', kinds: ['mains-outage'] },
  { email: 'ops@example.com', kinds: ['*'] },
  { phone: '+905551112233', kinds: ['voltage'] },
];
/** Phones only: these tests need no SMTP connection. */
const PHONES: Recipient[] = [{ phone: '+905321234567', kinds: ['mains-outage'] }];

function bench(o: { db?: string; clock?: VirtualClock; retry?: NotifierOptions['retry']; people?: Recipient[] } = {}) {
  const clock = o.clock ?? new VirtualClock();
  const store = new Store(o.db ?? ':memory:');
  store.provisionModem({ modemNo: MODEM, secret: 'secret-24000001', model: 'HT G24' }, clock.now());
  const recipients = new MemoryRecipients();
  recipients.set(MODEM, o.people ?? PEOPLE);
  const notifier = new Notifier({ store, clock, recipients, logger, location: () => 'Konya OSB, 3. cadde', ...(o.retry ? { retry: o.retry } : {}) });
  open.push(notifier);
  return { clock, store, notifier, recipients, book: new AlarmStore(store) };
}

function notice(alarmId: number, transition: 'raised' | 'cleared' = 'raised', at = Date.UTC(2026, 0, 5, 8, 30)): AlarmNotice {
  return { alarmId, modemNo: MODEM, kind: 'mains-outage', title: 'mains outage', about: 'mains supply', transition, at, text: transition === 'raised' ? 'mains supply lost at the terminal' : 'mains supply back after 10 min', model: 'HT G24' };
}

describe('Notifier', () => {
  it('sends one e-mail over real SMTP and one SMS per recipient that takes the kind; the capture parses them', async () => {
    const { clock, notifier } = bench();
    expect(notifier.enqueue(notice(7))).toBe(3); // Ayşe: e-mail + SMS; ops: e-mail; the voltage-only number: nothing
    notifier.kick();
    await clock.settle();
    const mail = notifier.capture.messages();
    expect(mail.map((m) => m.to)).toEqual([['ayse@example.com'], ['ops@example.com']]);
    expect(mail[0]).toMatchObject({ subject: `[ALARM] modem ${MODEM}: mains outage (mains supply)`, alarmId: 7, transition: 'raised', receivedAt: clock.now() });
    expect(mail[0]!.text).toContain('Site:      Konya OSB, 3. cadde');
    expect(mail[0]!.text).toContain('Time:      2026-01-05 11:30:00 (UTC+3) = 2026-01-05T08:30:00.000Z');
    expect(mail[0]!.messageId).toMatch(/^a7-raised-email-[0-9a-f]{12}@fake-cloud\.ht-hil$/);
    expect(notifier.sms.messages()).toMatchObject([{ to: '+905321234567', alarmId: 7, text: `ALARM ${MODEM} Konya OSB, 3. cadde: mains outage, mains supply lost at the terminal. 2026-01-05 11:30 #7` }]);
    expect(notifier.outbox().map((r) => [r.channel, r.state, r.attempts])).toEqual([['email', 'sent', 1], ['sms', 'sent', 1], ['email', 'sent', 1]]);
  });

  it('a notice queued twice for one transition is sent once', async () => {
    const { clock, notifier } = bench({ people: [...PHONES, { email: 'ops@example.com', kinds: ['*'] }] });
    notifier.enqueue(notice(3));
    expect(notifier.enqueue(notice(3))).toBe(0);
    notifier.kick();
    notifier.kick();
    await clock.settle();
    expect(notifier.enqueue(notice(3))).toBe(0);
    notifier.kick();
    await clock.settle();
    expect(notifier.capture.messages()).toHaveLength(1);
    expect(notifier.sms.messages()).toHaveLength(1);
  });

  it('retries a failing SMS gateway with back-off on the clock and delivers once', async () => {
    const { clock, notifier } = bench({ people: PHONES });
    const t0 = clock.now();
    notifier.sms.failNext(2);
    notifier.enqueue(notice(1));
    notifier.kick();
    await clock.runFor(10 * 60_000);
    expect(notifier.sms.attempts.map((a) => [a.at - t0, a.ok])).toEqual([[0, false], [30_000, false], [90_000, true]]);
    expect(notifier.sms.messages()).toHaveLength(1);
    expect(notifier.outbox({ channel: 'sms' })[0]).toMatchObject({ state: 'sent', attempts: 3, lastError: 'SMS gateway: gateway error 503: service unavailable' });
  });

  it('waits out a gateway that is down; a clear never overtakes its raise', async () => {
    const { clock, notifier } = bench({ people: PHONES });
    const t0 = clock.now();
    notifier.sms.downUntil(t0 + 5 * 60_000);
    notifier.enqueue(notice(1));
    notifier.kick();
    await clock.runFor(60_000);
    notifier.enqueue(notice(1, 'cleared'));
    notifier.kick();
    await clock.runFor(20 * 60_000);
    const sms = notifier.sms.messages();
    expect(sms.map((m) => m.text.split(' ')[0])).toEqual(['ALARM', 'CLEARED']);
    expect(sms[0]!.acceptedAt - t0).toBe(30_000 + 60_000 + 120_000 + 240_000); // 7.5 min: the first retry after the gateway is back
    expect(sms[1]!.acceptedAt).toBe(sms[0]!.acceptedAt);
  });

  it('gives up after maxAttempts with a cloud event', async () => {
    const { clock, notifier, store, book } = bench({ retry: { maxAttempts: 3, firstMs: 1000 }, people: PHONES });
    const a = book.raise({ modemNo: MODEM, rule: 'mains-outage', subject: 'mains', about: 'mains supply', at: clock.now(), text: 'lost', notedAt: clock.now() });
    notifier.sms.failNext(5, 'gateway error 500');
    notifier.enqueue({ ...notice(a.id), kind: 'mains-outage' });
    notifier.kick();
    await clock.runFor(60_000);
    expect(notifier.outbox({ channel: 'sms' })[0]).toMatchObject({ state: 'failed', attempts: 3 });
    expect(store.events(MODEM, { name: 'notification-failed' })[0]!.details).toMatchObject({ alarm: a.id, channel: 'sms', recipient: '+905321234567', attempts: 3, text: 'SMS gateway: gateway error 500' });
  });

  it('retries a mail the SMTP server refuses (451) and delivers it once', async () => {
    const { clock, notifier } = bench();
    await notifier.start();
    notifier.capture.rejectNext(1);
    notifier.enqueue(notice(2));
    notifier.kick();
    await clock.runFor(60_000);
    expect(notifier.capture.rejected).toBe(1);
    expect(notifier.capture.messages().map((m) => m.to[0])).toEqual(['ops@example.com', 'ayse@example.com']);
    expect(notifier.outbox({ channel: 'email' }).map((r) => r.attempts)).toEqual([2, 1]);
  });

  it('the capture keeps one message per Message-ID (a resend of the same notice is not stored twice)', async () => {
    const { clock, notifier } = bench();
    const port = await notifier.start();
    const mailer = new SmtpMailer(clock);
    const m = { ref: 'a9-raised-email-x', to: 'ops@example.com', subject: 's', text: 't', alarmId: 9, transition: 'raised' };
    await mailer.send({ host: '127.0.0.1', port }, m);
    await mailer.send({ host: '127.0.0.1', port }, m);
    mailer.close();
    expect(notifier.capture.messages()).toHaveLength(1);
    expect(notifier.capture.has('<a9-raised-email-x@fake-cloud.ht-hil>')).toBe(true);
  });

  it('a crash between send and mark: after the restart the receivers are asked, nothing is sent twice', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ht-notify-'));
    try {
      const db = join(dir, 'cloud.db');
      const clock = new VirtualClock();
      const first = bench({ db, clock });
      first.notifier.faults.crashAfterSend = 2; // the e-mail to Ayşe is marked; her SMS goes out, then the process dies
      first.notifier.enqueue(notice(4));
      first.notifier.kick();
      await clock.settle();
      expect(first.notifier.hasCrashed).toBe(true);
      expect(first.notifier.outbox().map((r) => r.state)).toEqual(['sent', 'sending', 'pending']);
      await first.notifier.stop();
      first.store.close();

      const second = bench({ db, clock });
      await second.notifier.start();
      await clock.settle();
      expect(second.notifier.outbox().map((r) => [r.state, r.attempts])).toEqual([['sent', 1], ['sent', 1], ['sent', 1]]);
      expect(second.notifier.outbox()[1]!.lastError).toBe('found at the receiver after an interrupted send');
      expect(second.notifier.sms.messages()).toHaveLength(1);
      expect(second.notifier.capture.messages().map((m) => m.to[0])).toEqual(['ayse@example.com', 'ops@example.com']);
      await second.notifier.stop();
      second.store.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
