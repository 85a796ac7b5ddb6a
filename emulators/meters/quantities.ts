/**
 * The closed vocabulary of quantities an emulated IEC 62056-21 meter provides.
 *
 * A brand profile binds each readout line (an OBIS code) to one of these names; the meter engine
 * keeps one value per name and renders it in the line's format. The profile schema rejects any
 * name that is not listed here, so adding a quantity is a deliberate change to this file.
 *
 * Naming: `<family>.<subject>[.<tariff or phase>]`, tariffs `t1`..`t4` (Turkish practice: T1 day,
 * T2 peak, T3 night, T4 spare), phases `l1`..`l3`. Reactive energy follows the Turkish readouts:
 * OBIS 5.8.x is inductive (quadrant I), 8.8.x capacitive (quadrant IV), 6.8.x and 7.8.x are the
 * export-side quadrants II and III.
 */

/** What the value is, for grouping in reports and for picking generators in the engine. */
export type QuantityKind =
  | 'energy'
  | 'demand'
  | 'power'
  | 'voltage'
  | 'current'
  | 'frequency'
  | 'power-factor'
  | 'identity'
  | 'clock'
  | 'status'
  | 'counter'
  | 'event'
  | 'config';

/** Canonical unit; `null` for dimensionless values (counters, power factor, text, dates). */
export type QuantityUnit = 'kWh' | 'kvarh' | 'kW' | 'kvar' | 'V' | 'A' | 'Hz' | 'min' | null;

/**
 * The JavaScript shape of the value the engine stores: `number`; `text` (serials, status words
 * kept as hex text because Turkish status registers are 64 bits wide); calendar values; and
 * `interval` (a start and an end date-time, as the Turkish outage and warning logs print them).
 */
export type QuantityValue = 'number' | 'text' | 'date' | 'time' | 'datetime' | 'interval';

/** One entry of the vocabulary. */
export interface QuantityDef<N extends string = string> {
  readonly name: N;
  readonly unit: QuantityUnit;
  readonly kind: QuantityKind;
  readonly value: QuantityValue;
  readonly description: string;
}

type Tariff = 'total' | 't1' | 't2' | 't3' | 't4';
type Phase = 'l1' | 'l2' | 'l3';

const TARIFFS: readonly Tariff[] = ['total', 't1', 't2', 't3', 't4'];
const PHASES: readonly Phase[] = ['l1', 'l2', 'l3'];

function q<N extends string>(name: N, unit: QuantityUnit, kind: QuantityKind, value: QuantityValue, description: string): QuantityDef<N> {
  return { name, unit, kind, value, description };
}

/** `base.total`, `base.t1` .. `base.t4`: one register per tariff plus the sum. */
function perTariff<B extends string>(base: B, unit: QuantityUnit, kind: QuantityKind, what: string): QuantityDef<`${B}.${Tariff}`>[] {
  return TARIFFS.map((t) => q(`${base}.${t}` as const, unit, kind, 'number', t === 'total' ? `${what}, all tariffs` : `${what}, tariff ${t.toUpperCase()}`));
}

/** `base.l1` .. `base.l3`: one value per phase. */
function perPhase<B extends string>(base: B, unit: QuantityUnit, kind: QuantityKind, value: QuantityValue, what: string): QuantityDef<`${B}.${Phase}`>[] {
  return PHASES.map((p) => q(`${base}.${p}` as const, unit, kind, value, `${what}, phase ${p.toUpperCase()}`));
}

/** Max demand per tariff, each with the time stamp of the peak (`<name>.at`). */
type DemandName<B extends string> = B | `${B}.at` | `${B}.${Exclude<Tariff, 'total'>}` | `${B}.${Exclude<Tariff, 'total'>}.at`;
function maxDemand<B extends string>(base: B, what: string): QuantityDef<DemandName<B>>[] {
  const out: QuantityDef<DemandName<B>>[] = [
    q(base, 'kW', 'demand', 'number', `${what}, all tariffs`),
    q(`${base}.at` as const, null, 'demand', 'datetime', `time stamp of the ${what}`),
  ];
  for (const t of ['t1', 't2', 't3', 't4'] as const) {
    out.push(q(`${base}.${t}` as const, 'kW', 'demand', 'number', `${what}, tariff ${t.toUpperCase()}`));
    out.push(q(`${base}.${t}.at` as const, null, 'demand', 'datetime', `time stamp of the ${what}, tariff ${t.toUpperCase()}`));
  }
  return out;
}

/** Every quantity a meter engine provides. Order is documentation order only. */
export const QUANTITIES = [
  // identity
  q('meter.serial', null, 'identity', 'text', 'serial number (OBIS 0.0.0, also C.1.0); the RS-485 address of most meters'),
  q('meter.serial.secondary', null, 'identity', 'text', 'second identification number (OBIS 0.0.1)'),
  q('firmware.version', null, 'identity', 'text', 'firmware / program version (OBIS 0.2.0)'),
  q('meter.productionDate', null, 'identity', 'date', 'production date (Turkish OBIS 96.1.3)'),
  q('meter.calibrationDate', null, 'identity', 'date', 'calibration date (Turkish OBIS 96.2.5)'),
  // clock
  q('meter.date', null, 'clock', 'date', 'meter date (OBIS 0.9.2)'),
  q('meter.time', null, 'clock', 'time', 'meter time (OBIS 0.9.1)'),
  q('meter.weekday', null, 'clock', 'number', 'day of week 1 = Monday .. 7 = Sunday (OBIS 0.9.5)'),
  // status
  q('meter.status', null, 'status', 'text', 'error / status register as hex digits (OBIS F.F or F.F.0)'),
  q('meter.status.secondary', null, 'status', 'text', 'second status register as hex digits (OBIS F.F.1)'),
  q('battery.status', null, 'status', 'number', 'battery state, 1 = good, 0 = low (Turkish OBIS 96.6.1)'),
  // configuration
  q('demand.period', 'min', 'config', 'number', 'demand integration period (OBIS 0.8.0)'),
  q('loadProfile.period', 'min', 'config', 'number', 'load profile capture period (OBIS 0.8.4)'),
  // energy registers
  ...perTariff('energy.import', 'kWh', 'energy', 'active energy import (+A, OBIS 1.8.x)'),
  ...perTariff('energy.export', 'kWh', 'energy', 'active energy export (-A, OBIS 2.8.x)'),
  ...perTariff('energy.reactive.import', 'kvarh', 'energy', 'reactive energy import (+R, OBIS 3.8.x)'),
  ...perTariff('energy.reactive.export', 'kvarh', 'energy', 'reactive energy export (-R, OBIS 4.8.x)'),
  ...perTariff('energy.reactive.inductive', 'kvarh', 'energy', 'inductive reactive energy, quadrant I (OBIS 5.8.x)'),
  ...perTariff('energy.reactive.q2', 'kvarh', 'energy', 'reactive energy quadrant II (OBIS 6.8.x)'),
  ...perTariff('energy.reactive.q3', 'kvarh', 'energy', 'reactive energy quadrant III (OBIS 7.8.x)'),
  ...perTariff('energy.reactive.capacitive', 'kvarh', 'energy', 'capacitive reactive energy, quadrant IV (OBIS 8.8.x)'),
  // demand
  ...maxDemand('demand.max.import', 'maximum active import demand (OBIS 1.6.x)'),
  ...maxDemand('demand.max.export', 'maximum active export demand (OBIS 2.6.x)'),
  q('demand.cumulative.import', 'kW', 'demand', 'number', 'cumulative maximum import demand (OBIS 1.2.x)'),
  q('demand.cumulative.export', 'kW', 'demand', 'number', 'cumulative maximum export demand (OBIS 2.2.x)'),
  q('demand.average.import', 'kW', 'demand', 'number', 'average active import demand of the last period (OBIS 1.5.0)'),
  q('demand.average.export', 'kW', 'demand', 'number', 'average active export demand of the last period (OBIS 2.5.0)'),
  q('demand.average.reactive.inductive', 'kvar', 'demand', 'number', 'average inductive reactive demand of the last period (OBIS 5.5.0)'),
  q('demand.average.reactive.capacitive', 'kvar', 'demand', 'number', 'average capacitive reactive demand of the last period (OBIS 8.5.0)'),
  // instantaneous values
  q('power.active.total', 'kW', 'power', 'number', 'instantaneous active power import, sum of phases (OBIS 1.7.0 or 16.7.0)'),
  ...perPhase('power.active', 'kW', 'power', 'number', 'instantaneous active power import (OBIS 21/41/61.7.0)'),
  q('power.active.export.total', 'kW', 'power', 'number', 'instantaneous active power export (OBIS 2.7.0)'),
  ...perPhase('power.active.export', 'kW', 'power', 'number', 'instantaneous active power export (OBIS 22/42/62.7.0)'),
  q('power.reactive.total', 'kvar', 'power', 'number', 'instantaneous reactive power (OBIS 3.7.0)'),
  ...perPhase('power.reactive', 'kvar', 'power', 'number', 'instantaneous reactive power (OBIS 23/43/63.7.0)'),
  ...perPhase('voltage', 'V', 'voltage', 'number', 'instantaneous voltage (OBIS 32/52/72.7.0)'),
  ...perPhase('current', 'A', 'current', 'number', 'instantaneous current (OBIS 31/51/71.7.0)'),
  q('frequency', 'Hz', 'frequency', 'number', 'network frequency (OBIS 14.7.0)'),
  ...perPhase('frequency', 'Hz', 'frequency', 'number', 'network frequency measured on a phase (OBIS 34/54/74.7.0)'),
  q('pf.total', null, 'power-factor', 'number', 'power factor, all phases (OBIS 13.7.0)'),
  ...perPhase('pf', null, 'power-factor', 'number', 'power factor (OBIS 33/53/73.7.0)'),
  // billing
  q('billing.reset.count', null, 'counter', 'number', 'number of billing period resets (OBIS 0.1.0)'),
  q('billing.reset.at', null, 'event', 'datetime', 'time of a billing period reset (OBIS 0.1.2*n)'),
  q('tariff.lastChange', null, 'event', 'datetime', 'time of the last tariff program change (Turkish OBIS 96.2.2)'),
  // outages and warnings
  q('outage.count', null, 'counter', 'number', 'number of supply outages, three-phase (Turkish OBIS 96.7.0, elsewhere C.7.0)'),
  ...perPhase('outage.count', null, 'counter', 'number', 'number of outages (Turkish OBIS 96.7.1/2/3)'),
  q('outage.interval', null, 'event', 'interval', 'start and end of a three-phase outage (Turkish OBIS 96.77.0*n)'),
  ...perPhase('outage.interval', null, 'event', 'interval', 'start and end of an outage (Turkish OBIS 96.77.1/2/3*n)'),
  q('outage.last.start', null, 'event', 'datetime', 'start of the last supply outage'),
  q('outage.last.end', null, 'event', 'datetime', 'end of the last supply outage'),
  q('warning.voltage.count', null, 'counter', 'number', 'number of voltage warnings (Turkish OBIS 96.77.4)'),
  q('warning.voltage.interval', null, 'event', 'interval', 'start and end of a voltage warning (Turkish OBIS 96.77.4*n)'),
  q('warning.current.count', null, 'counter', 'number', 'number of current warnings (Turkish OBIS 96.77.5)'),
  q('warning.current.interval', null, 'event', 'interval', 'start and end of a current warning (Turkish OBIS 96.77.5*n)'),
  q('warning.magnetic.count', null, 'counter', 'number', 'number of magnetic field warnings (Turkish OBIS 96.77.6)'),
  q('warning.magnetic.interval', null, 'event', 'interval', 'start and end of a magnetic field warning (Turkish OBIS 96.77.6*n)'),
  q('cover.top.last', null, 'event', 'datetime', 'last opening of the meter cover (Turkish OBIS 96.70)'),
  q('cover.terminal.last', null, 'event', 'datetime', 'last opening of the terminal cover (Turkish OBIS 96.71)'),
  q('cover.terminal.count', null, 'counter', 'number', 'number of terminal cover openings (second group of Turkish OBIS 96.71)'),
] as const;

/** A quantity name. */
export type QuantityName = (typeof QUANTITIES)[number]['name'];

/** All names, in vocabulary order. */
export const QUANTITY_NAMES: readonly QuantityName[] = QUANTITIES.map((d) => d.name);

const BY_NAME: ReadonlyMap<string, QuantityDef<QuantityName>> = new Map(QUANTITIES.map((d) => [d.name, d]));

/** True when `name` is in the vocabulary. */
export function isQuantityName(name: unknown): name is QuantityName {
  return typeof name === 'string' && BY_NAME.has(name);
}

/** The definition of a quantity, or `undefined` for a name outside the vocabulary. */
export function quantityDef(name: string): QuantityDef<QuantityName> | undefined {
  return BY_NAME.get(name);
}

/** Up to `max` vocabulary names closest to `name` (edit distance), for "did you mean" hints. */
export function closestQuantityNames(name: string, max = 3): QuantityName[] {
  const scored = QUANTITY_NAMES.map((n) => ({ n, d: editDistance(name, n) }));
  scored.sort((a, b) => a.d - b.d || a.n.localeCompare(b.n));
  const limit = Math.max(3, Math.floor(name.length / 2));
  return scored.filter((s) => s.d <= limit).slice(0, max).map((s) => s.n);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = cur;
  }
  return prev[b.length]!;
}
