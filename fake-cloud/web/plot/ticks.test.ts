import { describe, expect, it } from 'vitest';
import { localDateTime, localParts, niceTicks, offsetName, tickLabel, timeTicks } from './ticks.ts';
import { mulberry32 } from '../../../core/random.ts';

const H = 3_600_000;
const TR = 180;
/** Local midnight of 5 Jan 2026 in Turkey (UTC+3). */
const DAY0 = Date.UTC(2026, 0, 4, 21);


describe('niceTicks', () => {
  it('gives round steps covering the range', () => {
    expect(niceTicks(0, 9.3)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(0, 23)).toEqual([0, 5, 10, 15, 20, 25]);
    expect(niceTicks(-3, 12)).toEqual([-5, 0, 5, 10, 15]);
    expect(niceTicks(0, 0.7)).toEqual([0, 0.2, 0.4, 0.6, 0.8]);
    expect(niceTicks(0, 12, 5)).toEqual([0, 2.5, 5, 7.5, 10, 12.5]);
  });

  it('widens an empty range and survives non-finite input', () => {
    expect(niceTicks(0, 0)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(niceTicks(5, 5).length).toBeGreaterThanOrEqual(2);
    expect(niceTicks(Number.NaN, 1)).toEqual([0, 1]);
    expect(niceTicks(10, 0)).toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('covers any range with evenly spaced, round values (seeded fuzz)', () => {
    const rnd = mulberry32(7);
    const bad: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const scale = 10 ** Math.floor(rnd() * 12 - 4);
      const lo = (rnd() - 0.3) * scale;
      const hi = lo + rnd() * scale + 1e-12 * scale;
      const t = niceTicks(lo, hi, 5);
      const step = t[1]! - t[0]!;
      const ok =
        t.length >= 2 && t.length <= 12 &&
        t[0]! <= lo + Math.abs(lo) * 1e-9 && t.at(-1)! >= hi - Math.abs(hi) * 1e-9 &&
        t.every((v, k) => k === 0 || Math.abs(v - t[k - 1]! - step) < step * 1e-6) &&
        t.every((v) => String(v).length < 20);
      if (!ok) bad.push(`${lo}..${hi}: ${t.join(' ')}`);
    }
    expect(bad).toEqual([]);
  });

  it('labels ticks with the decimals of their step', () => {
    const t = niceTicks(0, 12);
    expect(t.map((v) => tickLabel(v, t))).toEqual(['0.0', '2.5', '5.0', '7.5', '10.0', '12.5']);
    const u = niceTicks(0, 100);
    expect(u.map((v) => tickLabel(v, u))).toEqual(['0', '20', '40', '60', '80', '100']);
  });
});

describe('timeTicks', () => {
  it('marks every 3 local hours of a Turkish day', () => {
    const t = timeTicks(DAY0, DAY0 + 24 * H, TR, 10);
    expect(t.map((x) => x.label)).toEqual(['00:00', '03:00', '06:00', '09:00', '12:00', '15:00', '18:00', '21:00', '00:00']);
    expect(t[0]!.t).toBe(DAY0);
    expect(t[1]!.t - t[0]!.t).toBe(3 * H);
  });

  it('marks local days across a month, and months across a year', () => {
    const jan = timeTicks(DAY0 - 4 * 24 * H, Date.UTC(2026, 0, 31, 21), TR, 10);
    expect(jan.map((x) => x.label)).toEqual(['01.01', '06.01', '11.01', '16.01', '21.01', '26.01', '01.02']);
    expect(localParts(jan[0]!.t, TR)).toMatchObject({ day: 1, hour: 0, minute: 0 });
    const year = timeTicks(Date.UTC(2025, 11, 31, 21), Date.UTC(2026, 11, 31, 21), TR, 8);
    expect(year.map((x) => x.label)).toEqual(['Jan 2026', 'Mar 2026', 'May 2026', 'Jul 2026', 'Sep 2026', 'Nov 2026', 'Jan 2027']);
  });

  it('shows the date at midnight when the axis spans days', () => {
    const t = timeTicks(DAY0 + 12 * H, DAY0 + 37 * H, TR, 5);
    expect(t.map((x) => x.label)).toEqual(['12:00', '18:00', '06.01', '06:00', '12:00']);
  });

  it('gives nothing for an empty axis', () => {
    expect(timeTicks(DAY0, DAY0, TR)).toEqual([]);
    expect(timeTicks(DAY0, DAY0 - 1, TR)).toEqual([]);
  });

  it('stays inside the axis, in order, within the tick budget (seeded fuzz)', () => {
    const rnd = mulberry32(11);
    const spans = [10 * 60_000, H, 6 * H, 24 * H, 7 * 24 * H, 31 * 24 * H, 400 * 24 * H, 3000 * 24 * H];
    const bad: string[] = [];
    for (let i = 0; i < 400; i++) {
      const from = DAY0 + Math.floor(rnd() * 400 * 24 * H);
      const to = from + Math.floor(spans[i % spans.length]! * (0.5 + rnd()));
      const off = [0, 180, -300, 330][i % 4]!;
      const max = 2 + Math.floor(rnd() * 10);
      const t = timeTicks(from, to, off, max);
      const ok =
        t.length > 0 && t.length <= max &&
        t.every((x, k) => x.t >= from && x.t <= to && (k === 0 || x.t > t[k - 1]!.t) && /^(\d\d:\d\d|\d\d\.\d\d|[A-Z][a-z]{2} \d{4})$/.test(x.label));
      if (!ok) bad.push(`${from}..${to} @${off} max ${max}: ${t.map((x) => x.label).join(' ')}`);
    }
    expect(bad).toEqual([]);
  });
});

describe('local time', () => {
  it('formats in local time and names the offset', () => {
    expect(localDateTime(DAY0 + 13 * H + 5 * 60_000, TR)).toBe('05.01.2026 13:05');
    expect(offsetName(180)).toBe('UTC+03:00');
    expect(offsetName(-330)).toBe('UTC-05:30');
  });
});
