import type { Clock } from '../core/clock/index.ts';
import { InputError } from '../core/errors.ts';
import { Medium } from './medium.ts';
import type { LineSettings } from './settings.ts';
import { SimEndpoint, type SimEndpointOptions } from './sim-endpoint.ts';
import { TapSet, type LineTap } from './tap.ts';

/** Unit loads of a standard RS-485 segment: 32 drops without repeaters. */
export const RS485_UNIT_LOADS = 32;

export interface BusDropOptions extends SimEndpointOptions {
  settings: LineSettings;
}

/**
 * A two-wire RS-485 multi-drop line: one shared, half-duplex medium. Whatever one drop sends,
 * every other drop receives; two drops sending at overlapping times garble each other for every
 * listener (collision). A drop with `echo` hears its own transmissions, as most USB–RS485
 * adapters do.
 */
export class Rs485Bus {
  private readonly taps = new TapSet();
  private readonly medium: Medium;
  private readonly drops = new Map<string, SimEndpoint>();

  constructor(
    private readonly clock: Clock,
    readonly line: string,
    private readonly options: { maxDrops?: number } = {},
  ) {
    this.medium = new Medium(clock, line, this.taps);
  }

  /** Connects a new drop with id `<line>/<name>`. */
  attach(name: string, options: BusDropOptions): SimEndpoint {
    const id = `${this.line}/${name}`;
    if (this.drops.has(id)) throw new InputError(`bus ${this.line}`, `drop '${name}' is already attached`);
    // 247 Modbus addresses + master need repeaters physically; the bus allows it when asked.
    const max = this.options.maxDrops ?? 256;
    if (this.drops.size >= max) throw new InputError(`bus ${this.line}`, `more than ${max} drops`);
    const ep = new SimEndpoint(this.clock, id, this.line, options.settings, this.medium, options);
    this.medium.attach(ep);
    this.drops.set(id, ep);
    return ep;
  }

  get dropCount(): number {
    return this.drops.size;
  }

  tap(tap: LineTap): () => void {
    return this.taps.add(tap);
  }
}
