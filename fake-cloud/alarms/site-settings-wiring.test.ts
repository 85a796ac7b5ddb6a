/**
 * The alarms wired to a fake cloud as the cloud wires them: recipients, site location and send
 * period come from the modem's site settings (`CloudService.site`).
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { FakeCloud } from '../fake-cloud.ts';
import type { RecipientSource } from '../notify/recipients.ts';
import { T0, cloudAlarms, logger } from './test-support.ts';

describe('alarms on the cloud’s site settings', () => {
  it('the site settings are a RecipientSource', () => {
    const cloud = new FakeCloud({ clock: new VirtualClock(), logger });
    const source: RecipientSource = cloud.service.site;
    expect(source.recipients('00000000')).toEqual([]);
    return cloud.stop();
  });

  it('tells the people of the site settings, with the site’s location; counts silence in its send period', async () => {
    const clock = new VirtualClock();
    const cloud = new FakeCloud({ clock, logger });
    const { alarms, notifier, stop } = cloudAlarms(cloud, clock);
    try {
      cloud.provisionModem({ modemNo: '24000009', secret: 'secret-24000009', model: 'HT G24' });
      cloud.service.setSiteSettings('24000009', {
        location: { name: 'Konya OSB, 3. cadde' },
        sendPeriodMin: 30,
        recipients: [{ email: 'Ayse@Example.com', alarms: ['mains-outage'] }, { phone: '+905321234567', alarms: 'all' }, { phone: '+905551112233', alarms: ['voltage'] }],
      });
      alarms.contact('24000009');
      expect(alarms.silenceDue('24000009')).toBe(T0 + 90 * 60_000);
      const record = { seq: 1, at: T0 + 1000, kind: 'event', body: { name: 'outage-start', details: { startedAt: T0 + 1000 } } };
      cloud.store.storeRecord({ modemNo: '24000009', record, receivedAt: T0 + 2000, upTo: 1 });
      alarms.handleRecord('24000009', record);
      await clock.settle();
      expect(notifier.capture.messages().map((m) => m.to)).toEqual([['ayse@example.com']]);
      expect(notifier.capture.messages()[0]!.text).toContain('Site:      Konya OSB, 3. cadde');
      expect(notifier.sms.messages().map((m) => m.to)).toEqual(['+905321234567']);
    } finally {
      await stop();
      await cloud.stop();
    }
  });
});
