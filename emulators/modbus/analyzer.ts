/**
 * An energy analyzer's behaviour: it measures the site load it is connected to (per-phase and
 * total V, I, P, Q, S, PF, cos φ, line voltages, neutral current, frequency, THD) and counts
 * energy in the four directions, integrated exactly from the same load a meter integrates.
 * Counters show whole multiples of the profile's `energyResolution`, as the display and the
 * registers of a real analyzer do.
 */
import type { SiteLoad } from '../site/load.ts';
import type { DeviceModel } from './device-model.ts';
import { electricalValue, readSample } from './electrical.ts';
import { COUNTER_OF, EnergyCounters, type EnergyTotals } from './energy-counters.ts';
import type { AnalyzerBehaviour } from './profile-schema.ts';
import type { QuantityName } from './quantities.ts';

export interface AnalyzerModelOptions {
  /** The load the analyzer measures (a `CompensatedLoad` when it sits upstream of a capacitor bank). */
  load: SiteLoad;
  behaviour: AnalyzerBehaviour;
  /** When the counters start counting (clock ms). */
  start: number;
  /** Counter values at `start` (kWh / kvarh). */
  initialEnergy?: Partial<EnergyTotals>;
  utcOffsetMin?: number;
}

export class AnalyzerModel implements DeviceModel {
  readonly counters: EnergyCounters;
  private readonly load: SiteLoad;
  private readonly behaviour: AnalyzerBehaviour;

  constructor(o: AnalyzerModelOptions) {
    this.load = o.load;
    this.behaviour = o.behaviour;
    this.counters = new EnergyCounters(o.load, o.start, {
      phases: o.behaviour.phases,
      ...(o.initialEnergy ? { initial: o.initialEnergy } : {}),
      ...(o.utcOffsetMin !== undefined ? { utcOffsetMin: o.utcOffsetMin } : {}),
    });
  }

  /** A counter as the device shows it: floored to the energy resolution (kWh / kvarh). */
  counter(key: keyof EnergyTotals, t: number): number {
    const res = this.behaviour.energyResolution;
    const raw = this.counters.at(t)[key];
    return Math.floor(raw / res + 1e-9) * res;
  }

  read(name: QuantityName, t: number): number | undefined {
    const counter = COUNTER_OF[name];
    if (counter) return this.counter(counter, t);
    if (name.startsWith('thd.') && !this.behaviour.hasThd) return undefined;
    return electricalValue(name, readSample(this.load.at(t), { phases: this.behaviour.phases, step: Math.floor(t / 60_000) }));
  }

  accepts(): boolean {
    return false;
  }

  write(): void {}
}
