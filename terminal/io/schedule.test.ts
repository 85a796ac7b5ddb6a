import { describe, expect, it } from 'vitest';
import { nextSwitch, scheduledOn } from './schedule.ts';
import type { ScheduleEntry } from '../../protocols/uplink/io.ts';

// 2026-01-05 is a Monday; local time UTC+3.
const MON = Date.UTC(2026, 0, 5);
const H = 3_600_000;
const local = (dayOffset: number, h: number, m = 0) => MON + dayOffset * 24 * H + h * H + m * 60_000 - 3 * H;

describe('weekly schedule', () => {
  const entries: ScheduleEntry[] = [
    { output: 1, days: ['mon', 'wed'], on: '06:00', off: '08:30' },
    { output: 2, days: ['fri'], on: '22:00', off: '02:00' },
  ];

  it('says which outputs are on, in local time', () => {
    expect(scheduledOn(entries, 1, local(0, 5, 59), 180)).toBe(false);
    expect(scheduledOn(entries, 1, local(0, 6), 180)).toBe(true);
    expect(scheduledOn(entries, 1, local(0, 8, 29), 180)).toBe(true);
    expect(scheduledOn(entries, 1, local(0, 8, 30), 180)).toBe(false);
    expect(scheduledOn(entries, 1, local(1, 7), 180)).toBe(false);
    expect(scheduledOn(entries, 1, local(2, 7), 180)).toBe(true);
  });

  it('runs a line over midnight into the next day', () => {
    expect(scheduledOn(entries, 2, local(4, 23), 180)).toBe(true);
    expect(scheduledOn(entries, 2, local(5, 1, 59), 180)).toBe(true);
    expect(scheduledOn(entries, 2, local(5, 2), 180)).toBe(false);
    expect(scheduledOn(entries, 2, local(3, 23), 180)).toBe(false);
  });

  it('finds the next switching time, wrapping the week', () => {
    expect(nextSwitch(entries, local(0, 0), 180)).toBe(local(0, 6));
    expect(nextSwitch(entries, local(0, 6), 180)).toBe(local(0, 8, 30));
    expect(nextSwitch(entries, local(5, 2), 180)).toBe(local(7, 6));
    expect(nextSwitch([], local(0, 0), 180)).toBeUndefined();
  });
});
