/**
 * The weekly relay schedule, as the terminal keeps it: which outputs are on at a time, and when
 * the next switching time is. Times are the terminal's own clock; the schedule's local time is
 * UTC + `utcOffsetMin` (no daylight saving: Turkey keeps UTC+3 all year). A line whose `off`
 * is earlier than its `on` runs over midnight into the next day.
 */
import type { ScheduleEntry, Weekday } from '../../protocols/uplink/io.ts';
import { WEEKDAYS } from '../../protocols/uplink/io.ts';

const DAY = 86_400_000;

function minutes(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));
}

/** The on-windows [start, end) in clock ms of `entries` that may touch the days around `t`. */
function windows(entries: readonly ScheduleEntry[], t: number, utcOffsetMin: number, daysAhead: number): { output: number; start: number; end: number }[] {
  const off = utcOffsetMin * 60_000;
  const today = Math.floor((t + off) / DAY);
  const out: { output: number; start: number; end: number }[] = [];
  for (let d = today - 1; d <= today + daysAhead; d++) {
    const weekday: Weekday = WEEKDAYS[(((d + 4) % 7) + 7) % 7]!;
    for (const e of entries) {
      if (!e.days.includes(weekday)) continue;
      const on = minutes(e.on);
      let offMin = minutes(e.off);
      if (offMin <= on) offMin += 24 * 60;
      out.push({ output: e.output, start: d * DAY + on * 60_000 - off, end: d * DAY + offMin * 60_000 - off });
    }
  }
  return out;
}

/** Whether the schedule has output `output` on at `t`. */
export function scheduledOn(entries: readonly ScheduleEntry[], output: number, t: number, utcOffsetMin: number): boolean {
  return windows(entries, t, utcOffsetMin, 0).some((w) => w.output === output && w.start <= t && t < w.end);
}

/** The first switching time strictly after `t` (within 8 days), or undefined for an empty schedule. */
export function nextSwitch(entries: readonly ScheduleEntry[], t: number, utcOffsetMin: number): number | undefined {
  let best: number | undefined;
  for (const w of windows(entries, t, utcOffsetMin, 8)) {
    for (const x of [w.start, w.end]) if (x > t && (best === undefined || x < best)) best = x;
  }
  return best;
}

/** The outputs a schedule names. */
export function scheduledOutputs(entries: readonly ScheduleEntry[]): number[] {
  return [...new Set(entries.map((e) => e.output))].sort((a, b) => a - b);
}
