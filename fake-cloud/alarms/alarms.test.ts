import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { AlarmBench, MODEM, T0 } from './test-support.ts';

const MIN = 60_000;
const benches: AlarmBench[] = [];
function bench(o: ConstructorParameters<typeof AlarmBench>[0] = {}): AlarmBench {
  const b = new AlarmBench(o);
  benches.push(b);
  return b;
}
afterEach(async () => {
  for (const b of benches.splice(0)) if (b.store.db.open) await b.close();
});

describe('alarm state machine', () => {
  it('a mains outage is raised once and cleared once, at the outage’s own times', async () => {
    const b = bench();
    const from = T0 + MIN;
    expect(b.lines(b.event(from, 'outage-start', { startedAt: from }))).toEqual(['mains-outage mains raised']);
    expect(b.event(from + 1000, 'outage-start', { startedAt: from })).toEqual([]); // told again: no second alarm
    expect(b.alarms.list(MODEM, { state: 'open' })).toMatchObject([{ rule: 'mains-outage', subject: 'mains', raisedAt: from, raisedText: 'mains supply lost at the terminal', title: 'mains outage', state: 'open' }]);
    const end = from + 10 * MIN + 2000;
    expect(b.lines(b.event(end, 'outage-end', { startedAt: from, endedAt: end, durationMs: end - from }))).toEqual(['mains-outage mains cleared']);
    expect(b.event(end, 'outage-end', { startedAt: from, endedAt: end, durationMs: end - from })).toEqual([]);
    const [a] = b.alarms.list(MODEM);
    expect(a).toMatchObject({ state: 'cleared', clearedAt: end, clearedText: 'mains supply back after 10 min 2 s', clearDetails: { value: 602, unit: 's' }, cleared: '2026-01-05T00:11:02.000Z' });
    expect(b.alarms.list(MODEM, { state: 'open' })).toEqual([]);
    // a new outage is a new alarm
    b.event(end + MIN, 'outage-start', { startedAt: end + MIN });
    expect(b.alarms.all({ state: 'open' }).map((x) => x.id)).toEqual([a!.id + 1]);
  });

  it('a late resend of an older fact does not undo a newer one', () => {
    const b = bench();
    b.event(T0 + MIN, 'outage-start', { startedAt: T0 + MIN });
    b.event(T0 + 5 * MIN, 'outage-end', { startedAt: T0 + MIN, endedAt: T0 + 5 * MIN });
    expect(b.event(T0 + MIN, 'outage-start', { startedAt: T0 + MIN })).toEqual([]);
    expect(b.alarms.all({ state: 'open' })).toEqual([]);
  });

  it('open alarms and rule memory survive a restart of a file-backed cloud', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'ht-alarms-'));
    try {
      const db = join(dir, 'cloud.db');
      const clock = new VirtualClock();
      const first = bench({ db, clock });
      first.alarms.setRules(MODEM, { 'meter-not-answering': { afterFailures: 2 } });
      first.event(T0 + MIN, 'outage-start', { startedAt: T0 + MIN });
      first.meter(T0 + 2 * MIN, '30012345', { reason: 'no-answer', text: 'no answer' });
      await first.close();

      const second = bench({ db, clock });
      expect(second.event(T0 + 3 * MIN, 'outage-start', { startedAt: T0 + 3 * MIN })).toEqual([]); // still the open one
      expect(second.lines(second.meter(T0 + 4 * MIN, '30012345', { reason: 'no-answer', text: 'no answer' }))).toEqual(['meter-not-answering meter:30012345 raised']); // the second failure in a row
      const t = second.event(T0 + 6 * MIN, 'outage-end', { startedAt: T0 + MIN, endedAt: T0 + 6 * MIN });
      expect(t[0]!.alarm).toMatchObject({ id: 1, state: 'cleared', raisedAt: T0 + MIN });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a record that fails validation or a rule that throws never reaches the uplink', () => {
    const b = bench();
    expect(b.record('event', T0, { name: 'Bad Name' })).toEqual([]);
    expect(b.record('no-such-kind', T0, {})).toEqual([]);
    // reading with a value the reactive rule cannot use: judged, not thrown
    expect(() => b.meter(T0, '1', [{ address: '5.8.0', value: 'garbage', unit: 'kvarh' }])).not.toThrow();
  });

  it('the state machine holds under random facts (seeded fuzz): transitions alternate, one open at most', () => {
    const b = bench();
    let seed = 0x5eed;
    const rand = () => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    let at = T0;
    for (let i = 0; i < 2000; i++) {
      at += Math.floor(rand() * 5 * MIN) - MIN; // sometimes older than the last fact
      const pick = rand();
      if (pick < 0.25) b.event(at, rand() < 0.5 ? 'outage-start' : 'outage-end', rand() < 0.8 ? { startedAt: at } : { startedAt: 'x' });
      else if (pick < 0.5) b.record('io', at, { point: 'input', n: 1 + Math.floor(rand() * 3), on: rand() < 0.5 });
      else if (pick < 0.75) b.meter(at, `M${Math.floor(rand() * 3)}`, rand() < 0.5 ? [{ address: '32.7.0', value: String(180 + rand() * 100), unit: 'V' }] : { reason: 'no-answer', text: '' });
      else b.record(rand() < 0.5 ? 'event' : 'modbus-reading', at, { garbage: rand() });
    }
    const all = b.alarms.all({ limit: 10_000 });
    expect(all.length).toBeGreaterThan(50);
    const problems: string[] = [];
    const open = new Map<string, number>();
    for (const a of all) {
      const key = `${a.rule} ${a.subject}`;
      if (a.state === 'open') open.set(key, (open.get(key) ?? 0) + 1);
      else if (a.clearedAt! < a.raisedAt) problems.push(`alarm ${a.id} cleared before it was raised`);
    }
    for (const [key, n] of open) if (n > 1) problems.push(`${n} open alarms for ${key}`);
    // per key, the transitions alternate raised, cleared, raised, …
    const seen = new Map<string, string>();
    for (const t of b.alarms.transitions) {
      const key = `${t.alarm.rule} ${t.alarm.subject}`;
      if ((seen.get(key) ?? 'cleared') === t.transition) problems.push(`${key}: ${t.transition} twice in a row`);
      seen.set(key, t.transition);
    }
    expect(problems).toEqual([]);
  });
});

describe('modem silence', () => {
  it('raised after N send periods without contact, cleared at the next contact; a cloud start gives grace', async () => {
    const clock = new VirtualClock();
    const b = bench({ clock });
    b.alarms.contact(MODEM);
    expect(b.alarms.silenceDue(MODEM)).toBe(T0 + 45 * MIN);
    await clock.runFor(44 * MIN);
    b.alarms.contact(MODEM); // heard from: counted anew
    await clock.runFor(44 * MIN);
    expect(b.alarms.all()).toEqual([]);
    await clock.runFor(2 * MIN);
    expect(b.alarms.all()).toMatchObject([{ rule: 'modem-silent', state: 'open', raisedAt: T0 + 89 * MIN, raisedText: 'no contact for 45 min (3 send periods of 15 min); last contact 2026-01-05T00:44:00.000Z' }]);
    expect(clock.pendingTimers).toBe(0); // nothing more to wait for
    await clock.runFor(MIN);
    b.alarms.contact(MODEM);
    expect(b.alarms.all()).toMatchObject([{ state: 'cleared', clearedAt: T0 + 91 * MIN, clearedText: 'in contact again after 47 min of silence' }]);
    // settings: 2 periods of 60 min
    b.alarms.setRules(MODEM, { sendPeriodMin: 60, 'modem-silent': { periods: 2 } });
    expect(b.alarms.silenceDue(MODEM)).toBe(T0 + 91 * MIN + 120 * MIN);
    b.alarms.setRules(MODEM, { 'modem-silent': { enabled: false } });
    expect(b.alarms.silenceDue(MODEM)).toBeUndefined();
  });

  it('counts in the send period of the modem’s site settings when they hold one', () => {
    const clock = new VirtualClock();
    const b = bench({ clock, sendPeriodMin: (no) => (no === MODEM ? 30 : null) });
    b.alarms.contact(MODEM);
    expect(b.alarms.silenceDue(MODEM)).toBe(T0 + 90 * MIN);
  });
});
