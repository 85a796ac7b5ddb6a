/**
 * The closed vocabulary of quantities an emulated Modbus device can expose.
 *
 * A device profile maps registers to these names; the device engine computes a value for each
 * name from the emulated site (mains, load, capacitor bank, counters). A name outside this list
 * is rejected when a profile is loaded, so a typo never becomes a silently dead register.
 *
 * Conventions every engine and profile follows:
 * - Each quantity has one canonical unit. A register may carry a value in another unit of the
 *   same family (Wh for an energy counter, mA for a current, var for a step power); the register
 *   declares that unit and `unitFactor` converts it.
 * - Signed cos φ: positive = inductive (lagging current), negative = capacitive (leading).
 *   A register with the opposite sign convention uses a negative `scale`.
 * - Reactive power: positive = inductive (consumed), negative = capacitive.
 * - Per-step and per-point numbers start at 1 (`relay.step.1.state` is the first capacitor step).
 */

/** The three phase conductors. */
export const PHASES = ['l1', 'l2', 'l3'] as const;
/** Line-to-line pairs, in the order meters list them. */
export const LINE_PAIRS = ['l12', 'l23', 'l31'] as const;
/** Alarm conditions a compensation relay reports, one boolean quantity each. */
export const RELAY_ALARMS = [
  'over-compensation',
  'under-compensation',
  'step-fault',
  'over-voltage',
  'under-voltage',
  'over-temperature',
  'thd',
] as const;
/** The highest capacitor step number the vocabulary names. */
export const MAX_RELAY_STEPS = 20;
/** The highest input/output point number the vocabulary names (I/O modules). */
export const MAX_IO_POINTS = 16;

export type Phase = (typeof PHASES)[number];
export type LinePair = (typeof LINE_PAIRS)[number];
export type RelayAlarm = (typeof RELAY_ALARMS)[number];
export type StepNumber =
  | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16 | 17 | 18 | 19 | 20;
export type IoPointNumber = 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11 | 12 | 13 | 14 | 15 | 16;

/** Every quantity name a profile may use. */
export type QuantityName =
  | `voltage.${Phase | LinePair}`
  | `current.${Phase | 'n'}`
  | `power.${'active' | 'reactive' | 'apparent'}.${Phase | 'total'}`
  | `pf.${Phase | 'total'}`
  | `cosphi.${Phase | 'total'}`
  | 'frequency'
  | `thd.${'voltage' | 'current'}.${Phase}`
  | 'energy.import'
  | 'energy.export'
  | 'energy.reactive.import'
  | 'energy.reactive.export'
  | 'energy.reactive.inductive'
  | 'energy.reactive.capacitive'
  | 'relay.cosphi.target'
  | 'relay.cosphi.measured'
  | 'relay.ratio.inductive'
  | 'relay.ratio.capacitive'
  | `relay.step.${StepNumber}.state`
  | `relay.step.${StepNumber}.power`
  | 'relay.steps.mask'
  | `relay.alarm.${RelayAlarm}`
  | 'relay.alarms.mask'
  | 'relay.ct.ratio'
  | 'relay.vt.ratio'
  | 'relay.temperature'
  | 'relay.delay.switch'
  | 'relay.delay.discharge'
  | `io.input.${IoPointNumber}.state`
  | `io.output.${IoPointNumber}.state`
  | 'io.inputs.mask'
  | 'io.outputs.mask'
  | 'sensor.temperature'
  | 'sensor.humidity'
  | 'sensor.illuminance'
  | 'device.serial'
  | 'device.firmware'
  | 'device.model'
  | 'device.address'
  | 'device.baud'
  | 'device.parity';

/** Canonical units. `none` is a dimensionless number (cos φ, a ratio, a code, a bit mask). */
export type CanonicalUnit = 'V' | 'A' | 'W' | 'var' | 'VA' | 'kvar' | 'Hz' | '%' | 'kWh' | 'kvarh' | 's' | '°C' | 'lx' | 'baud' | 'none';

/**
 * Units a register may declare for a quantity of each canonical unit, with the factor that turns
 * a value in that unit into the canonical unit (1 Wh = 0.001 kWh).
 */
export const UNIT_FACTORS: Readonly<Record<CanonicalUnit, Readonly<Record<string, number>>>> = {
  V: { V: 1, kV: 1000 },
  A: { A: 1, mA: 0.001, kA: 1000 },
  W: { W: 1, kW: 1000, MW: 1_000_000 },
  var: { var: 1, kvar: 1000, Mvar: 1_000_000 },
  VA: { VA: 1, kVA: 1000, MVA: 1_000_000 },
  kvar: { kvar: 1, var: 0.001 },
  Hz: { Hz: 1 },
  '%': { '%': 1 },
  kWh: { kWh: 1, Wh: 0.001, MWh: 1000 },
  kvarh: { kvarh: 1, varh: 0.001, Mvarh: 1000 },
  s: { s: 1, ms: 0.001 },
  '°C': { '°C': 1 },
  lx: { lx: 1 },
  baud: { baud: 1 },
  none: { none: 1 },
};

/**
 * What a quantity is: a live measurement, a counter that only grows, a setting the device keeps,
 * an on/off state, a bit mask (bit n-1 = item n), or an identity/communication parameter.
 */
export type QuantityKind = 'measurement' | 'counter' | 'setting' | 'state' | 'bitmask' | 'identity';

/** Which device class a quantity belongs to; `electrical` and `device` fit every class. */
export type QuantityDomain = 'electrical' | 'relay' | 'io' | 'sensor' | 'device';

/** One entry of the vocabulary. */
export interface QuantityInfo {
  readonly name: QuantityName;
  readonly unit: CanonicalUnit;
  readonly kind: QuantityKind;
  readonly domain: QuantityDomain;
  readonly description: string;
}

function build(): Map<QuantityName, QuantityInfo> {
  const map = new Map<QuantityName, QuantityInfo>();
  const add = (name: QuantityName, unit: CanonicalUnit, kind: QuantityKind, domain: QuantityDomain, description: string): void => {
    map.set(name, { name, unit, kind, domain, description });
  };
  const up = (p: string): string => p.toUpperCase();
  for (const p of PHASES) add(`voltage.${p}`, 'V', 'measurement', 'electrical', `${up(p)}-N voltage, RMS`);
  for (const l of LINE_PAIRS) add(`voltage.${l}`, 'V', 'measurement', 'electrical', `L${l[1]}-L${l[2]} voltage, RMS`);
  for (const p of [...PHASES, 'n'] as const) add(`current.${p}`, 'A', 'measurement', 'electrical', `${up(p)} current, RMS`);
  const powers = [['active', 'W', 'active power, + = import'], ['reactive', 'var', 'reactive power, + = inductive'], ['apparent', 'VA', 'apparent power']] as const;
  for (const [kind, unit, text] of powers) {
    for (const p of [...PHASES, 'total'] as const) add(`power.${kind}.${p}`, unit, 'measurement', 'electrical', `${p === 'total' ? 'Three-phase total' : up(p)} ${text}`);
  }
  for (const p of [...PHASES, 'total'] as const) {
    add(`pf.${p}`, 'none', 'measurement', 'electrical', `${p === 'total' ? 'Total' : up(p)} power factor P/|S|, sign of the active power (+ = import)`);
    add(`cosphi.${p}`, 'none', 'measurement', 'electrical', `${p === 'total' ? 'Total' : up(p)} displacement factor cos φ, + = inductive`);
  }
  add('frequency', 'Hz', 'measurement', 'electrical', 'Mains frequency');
  for (const p of PHASES) {
    add(`thd.voltage.${p}`, '%', 'measurement', 'electrical', `${up(p)} voltage total harmonic distortion`);
    add(`thd.current.${p}`, '%', 'measurement', 'electrical', `${up(p)} current total harmonic distortion`);
  }
  add('energy.import', 'kWh', 'counter', 'electrical', 'Imported (consumed) active energy');
  add('energy.export', 'kWh', 'counter', 'electrical', 'Exported (delivered) active energy');
  add('energy.reactive.import', 'kvarh', 'counter', 'electrical', 'Reactive energy counted while importing (Q1+Q2)');
  add('energy.reactive.export', 'kvarh', 'counter', 'electrical', 'Reactive energy counted while exporting (Q3+Q4)');
  add('energy.reactive.inductive', 'kvarh', 'counter', 'electrical', 'Inductive reactive energy of a consumer (Q1)');
  add('energy.reactive.capacitive', 'kvarh', 'counter', 'electrical', 'Capacitive reactive energy of a consumer (Q4)');
  add('relay.cosphi.target', 'none', 'setting', 'relay', 'Target cos φ, signed (+ = inductive)');
  add('relay.cosphi.measured', 'none', 'measurement', 'relay', 'cos φ the relay regulates on, signed (+ = inductive)');
  add('relay.ratio.inductive', '%', 'measurement', 'relay', 'Inductive reactive energy as a percentage of active energy');
  add('relay.ratio.capacitive', '%', 'measurement', 'relay', 'Capacitive reactive energy as a percentage of active energy');
  for (let n = 1; n <= MAX_RELAY_STEPS; n++) {
    const s = n as StepNumber;
    add(`relay.step.${s}.state`, 'none', 'state', 'relay', `Capacitor step ${n} switched in (1) or out (0)`);
    add(`relay.step.${s}.power`, 'kvar', 'setting', 'relay', `Capacitor step ${n} rated or learned power`);
  }
  add('relay.steps.mask', 'none', 'bitmask', 'relay', 'Switched-in steps, bit n-1 = step n');
  for (const a of RELAY_ALARMS) add(`relay.alarm.${a}`, 'none', 'state', 'relay', `Alarm: ${a.replace('-', ' ')} (1 = active)`);
  add('relay.alarms.mask', 'none', 'bitmask', 'relay', 'Active alarms as a device-defined bit mask');
  add('relay.ct.ratio', 'none', 'setting', 'relay', 'Current transformer ratio (primary/secondary)');
  add('relay.vt.ratio', 'none', 'setting', 'relay', 'Voltage transformer ratio');
  add('relay.temperature', '°C', 'measurement', 'relay', 'Temperature inside the relay or panel');
  add('relay.delay.switch', 's', 'setting', 'relay', 'Delay between two step switchings');
  add('relay.delay.discharge', 's', 'setting', 'relay', 'Time a step stays out before it may switch in again');
  for (let n = 1; n <= MAX_IO_POINTS; n++) {
    const i = n as IoPointNumber;
    add(`io.input.${i}.state`, 'none', 'state', 'io', `Digital input ${n} (1 = contact closed)`);
    add(`io.output.${i}.state`, 'none', 'state', 'io', `Digital output ${n} (1 = energised)`);
  }
  add('io.inputs.mask', 'none', 'bitmask', 'io', 'Inputs, bit n-1 = input n');
  add('io.outputs.mask', 'none', 'bitmask', 'io', 'Outputs, bit n-1 = output n');
  add('sensor.temperature', '°C', 'measurement', 'sensor', 'Ambient temperature');
  add('sensor.humidity', '%', 'measurement', 'sensor', 'Relative humidity');
  add('sensor.illuminance', 'lx', 'measurement', 'sensor', 'Illuminance');
  add('device.serial', 'none', 'identity', 'device', 'Serial number as a number');
  add('device.firmware', 'none', 'identity', 'device', 'Firmware version as the device encodes it');
  add('device.model', 'none', 'identity', 'device', 'Model or product code');
  add('device.address', 'none', 'identity', 'device', 'Modbus address (1…247)');
  add('device.baud', 'baud', 'identity', 'device', 'Serial baud rate (a register may hold a code; see `codes`)');
  add('device.parity', 'none', 'identity', 'device', 'Parity/stop-bit setting as the device encodes it');
  return map;
}

const TABLE: ReadonlyMap<QuantityName, QuantityInfo> = build();

/** Every quantity name, in vocabulary order. */
export const QUANTITY_NAMES: readonly QuantityName[] = Object.freeze([...TABLE.keys()]);

/** True when `name` is in the vocabulary. */
export function isQuantityName(name: string): name is QuantityName {
  return TABLE.has(name as QuantityName);
}

/** The entry for a name; throws a TypeError for a name outside the vocabulary (a programming error). */
export function quantityInfo(name: QuantityName): QuantityInfo {
  const info = TABLE.get(name);
  if (!info) throw new TypeError(`'${String(name)}' is not a quantity name`);
  return info;
}

/** Factor from `unit` to the quantity's canonical unit, or undefined when the unit does not fit it. */
export function unitFactor(name: QuantityName, unit: string): number | undefined {
  return UNIT_FACTORS[quantityInfo(name).unit][unit];
}

/** The capacitor step number a `relay.step.N.*` name refers to, else undefined. */
export function relayStepOf(name: QuantityName): number | undefined {
  const m = /^relay\.step\.(\d+)\./.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The I/O point number an `io.input.N.*`/`io.output.N.*` name refers to, else undefined. */
export function ioPointOf(name: QuantityName): { dir: 'input' | 'output'; n: number } | undefined {
  const m = /^io\.(input|output)\.(\d+)\./.exec(name);
  return m ? { dir: m[1] as 'input' | 'output', n: Number(m[2]) } : undefined;
}

/** True when the name needs phase L2 or L3 (per-phase L2/L3 values and line-to-line values). */
export function needsThreePhases(name: QuantityName): boolean {
  return /\.(l2|l3|l12|l23|l31)$/.test(name);
}

/** The vocabulary names closest to `name` by edit distance (for "did you mean" hints). */
export function closestQuantityNames(name: string, count = 3): QuantityName[] {
  return QUANTITY_NAMES.map((q) => ({ q, d: editDistance(name, q) }))
    .sort((a, b) => a.d - b.d || a.q.localeCompare(b.q))
    .slice(0, count)
    .map((x) => x.q);
}

function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      cur.push(Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost));
    }
    prev = cur;
  }
  return prev[b.length]!;
}
