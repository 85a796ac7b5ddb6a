/**
 * The Turkish three-rate tariff of single-time-zone electricity meters (EPDK multi-rate tariff):
 * T1 day 06:00–17:00, T2 peak 17:00–22:00, T3 night 22:00–06:00, by the meter's own local clock.
 * A profile or scenario may give another table: a list of (from hour, tariff) switch points.
 */
export type Tariff = 't1' | 't2' | 't3' | 't4';

export interface TariffSwitch {
  /** Minute of the day (local) at which `tariff` starts. */
  fromMinute: number;
  tariff: Tariff;
}

export const TURKISH_THREE_RATE: readonly TariffSwitch[] = [
  { fromMinute: 6 * 60, tariff: 't1' },
  { fromMinute: 17 * 60, tariff: 't2' },
  { fromMinute: 22 * 60, tariff: 't3' },
];

/** The tariff in force at `minuteOfDay` (0…1439) under `table` (sorted by `fromMinute`). */
export function tariffAt(table: readonly TariffSwitch[], minuteOfDay: number): Tariff {
  let current = table[table.length - 1]!.tariff; // the last switch of the day runs past midnight
  for (const s of table) if (minuteOfDay >= s.fromMinute) current = s.tariff;
  return current;
}
