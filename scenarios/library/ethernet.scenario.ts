/**
 * Ethernet models on the site's LAN: the E21 takes its address by DHCP, dials the cloud only
 * with an address and a route, and keeps every reading through a DHCP server that does not
 * answer and a cable pulled out for two hours.
 */
import { check, checkEqual, defineScenario } from '../api/index.ts';
import { cloudEvents, cloudReadings } from '../api/cloud-view.ts';
import type { Site } from '../api/site.ts';

const SERIAL = '80077001';
const ipLed = (s: Site) => s.trace.records.filter((r) => r.kind === 'event' && r.name === 'ip-led').map((r) => (r as { data?: { state?: string } }).data?.state);

/** Readings of one meter at the cloud: one per 15-minute poll, none twice. */
function everyPoll(s: Site, hours: number): void {
  const readings = cloudReadings(s, SERIAL).filter((r) => !r.missing);
  checkEqual(readings.length, hours * 4, 'readings at the cloud');
  const polls = readings.map((r) => Math.round(r.at / 60_000));
  checkEqual(new Set(polls).size, polls.length, 'distinct poll times');
}

export default [
  defineScenario({
    name: 'E21: the DHCP server answers only after an hour; the readings of that hour arrive once it does',
    tags: ['ethernet', 'network'],
    modes: { supported: ['virtual'], reason: 'an hour without DHCP and DHCP retry timing need virtual time' },
    site: { terminal: { model: 'HT E21', sendPeriodMin: 15 }, optical: { brand: 'Makel', serial: SERIAL } },
    runFor: '3h5m',
    timeline: [
      { at: '0s', label: 'the DHCP server stays silent', do: (s) => s.main.lan!.setDhcp('silent') },
      { at: '1h', label: 'the DHCP server answers again', do: (s) => s.main.lan!.setDhcp('on') },
    ],
    expect: [
      { name: 'every 15-minute reading of the 3 hours is at the cloud, once', check: (s) => everyPoll(s, 3) },
      {
        name: 'the IP LED blinked while acquiring an address, then stayed lit',
        check: (s) => {
          const led = ipLed(s);
          check(led.includes('blink'), `IP LED states: ${led.join(', ')}`);
          checkEqual(led.at(-1), 'on', 'IP LED at the end');
        },
      },
    ],
  }),
  defineScenario({
    name: 'E21: the Ethernet cable pulled out for two hours: IP LED off, nothing lost, nothing twice',
    tags: ['ethernet', 'network', 'fault'],
    modes: { supported: ['virtual'], reason: 'two hours unplugged need virtual time' },
    site: { terminal: { model: 'HT E21', sendPeriodMin: 15 }, optical: { brand: 'Makel', serial: SERIAL } },
    runFor: '4h5m',
    timeline: [
      { at: '50m', label: 'cable unplugged', do: (s) => s.main.lanDrop!.unplug() },
      { at: '2h50m', label: 'cable plugged back', do: (s) => s.main.lanDrop!.plug() },
    ],
    expect: [
      { name: 'every 15-minute reading of the 4 hours is at the cloud, once', check: (s) => everyPoll(s, 4) },
      {
        name: 'the IP LED went off with the cable and came back on',
        check: (s) => {
          const led = ipLed(s);
          const off = led.indexOf('off');
          check(off > 0, `IP LED states: ${led.join(', ')}`);
          checkEqual(led.at(-1), 'on', 'IP LED at the end');
        },
      },
      {
        name: 'the terminal did not restart',
        check: (s) => checkEqual(cloudEvents(s, 'terminal-start').length, 1, 'terminal starts'),
      },
    ],
  }),
];
