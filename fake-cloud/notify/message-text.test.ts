import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { Store } from '../store/store.ts';
import { localTime, mailBody, mailSubject, smsText, type AlarmNotice } from './message-text.ts';
import { MemoryRecipients, wants } from './recipients.ts';
import { SmsGateway } from './sms-gateway.ts';

const n: AlarmNotice = {
  alarmId: 12, modemNo: 'G24-000001', kind: 'reactive-ratio', title: 'reactive ratio over the limit', about: 'meter 30012345, inductive',
  transition: 'raised', at: Date.UTC(2026, 0, 31, 21, 15), text: 'inductive ratio 31.42 % (96.1 kvarh / 305.9 kWh since 2026-02-01), over the limit of 20 %',
  value: 31.4213, limit: 20, unit: '%', model: 'HT E21',
};

describe('message text', () => {
  it('e-mail: modem, site, what, value, limit, local and UTC time, alarm id', () => {
    expect(mailSubject(n)).toBe('[ALARM] modem G24-000001: reactive ratio over the limit (meter 30012345, inductive)');
    expect(mailBody(n, { location: 'Konya OSB' }).split('\n')).toEqual([
      'Alarm raised: reactive ratio over the limit',
      '',
      'Modem:     G24-000001 (HT E21)',
      'Site:      Konya OSB',
      'About:     meter 30012345, inductive',
      `What:      ${n.text}`,
      'Value:     31.42 %',
      'Limit:     20 %',
      'Time:      2026-02-01 00:15:00 (UTC+3) = 2026-01-31T21:15:00.000Z',
      'Alarm id:  12 (reactive-ratio)',
      '',
      'SmartPower energy monitoring system',
    ]);
    expect(mailBody({ ...n, transition: 'cleared', value: undefined, limit: undefined })).not.toMatch(/Value|Limit|Site/);
  });

  it('SMS: one line; times in any offset', () => {
    expect(smsText({ ...n, transition: 'cleared', text: 'inductive ratio 12 %, within the limit of 20 %' })).toBe('CLEARED G24-000001: reactive ratio over the limit, inductive ratio 12 %, within the limit of 20 %. 2026-02-01 00:15 #12');
    expect(localTime(Date.UTC(2026, 0, 5), 0)).toBe('2026-01-05 00:00:00 (UTC)');
    expect(localTime(Date.UTC(2026, 0, 5), 330)).toBe('2026-01-05 05:30:00 (UTC+5.5)');
    expect(localTime(Date.UTC(2026, 0, 5), -300)).toBe('2026-01-04 19:00:00 (UTC-5)');
  });
});

describe('recipients and the SMS gateway', () => {
  it('checks addresses and numbers, naming the entry; kinds filter, * takes all', () => {
    const r = new MemoryRecipients();
    expect(() => r.set('1', [{ email: 'no-at-sign', kinds: [] }])).toThrow("recipients of 1[0].email: expected an e-mail address, got 'no-at-sign'");
    expect(() => r.set('1', [{ email: 'a@b.co', kinds: [] }, { phone: '05321234567', kinds: [] }])).toThrow(/recipients of 1\[1\]\.phone: expected an E\.164 number/);
    expect(() => r.set('1', [{ kinds: ['*'] }])).toThrow('expected an email or a phone');
    r.set('1', [{ phone: '+905321234567', kinds: ['voltage'] }]);
    expect(r.recipients('1')).toHaveLength(1);
    expect(r.recipients('2')).toEqual([]);
    expect(wants({ kinds: ['voltage'] }, 'voltage')).toBe(true);
    expect(wants({ kinds: ['voltage'] }, 'mains-outage')).toBe(false);
    expect(wants({ kinds: ['*'] }, 'mains-outage')).toBe(true);
  });

  it('the gateway refuses a bad number or text, accepts a reference once', async () => {
    const g = new SmsGateway(new Store(), new VirtualClock());
    await expect(g.send({ ref: 'r1', to: '0532', text: 'x' })).rejects.toThrow("SMS gateway: invalid destination '0532': expected an E.164 number");
    await expect(g.send({ ref: 'r1', to: '+905321234567', text: '' })).rejects.toThrow('text length 0: expected 1..1530');
    const a = await g.send({ ref: 'r1', to: '+905321234567', text: 'hello' });
    const b = await g.send({ ref: 'r1', to: '+905321234567', text: 'hello again' });
    expect(b).toEqual(a);
    expect(g.messages()).toHaveLength(1);
    expect(g.attempts.map((x) => x.ok)).toEqual([false, false, true, true]);
  });
});
