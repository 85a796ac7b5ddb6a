import type { Clock } from '../core/clock/index.ts';
import { Medium } from './medium.ts';
import type { LineSettings } from './settings.ts';
import { SimEndpoint, type SimEndpointOptions } from './sim-endpoint.ts';
import { TapSet, type LineTap } from './tap.ts';

export interface WireEndOptions extends SimEndpointOptions {
  /** Id of this end; defaults to `<line>/a` and `<line>/b`. */
  id?: string;
  settings: LineSettings;
}

/**
 * A point-to-point, full-duplex line (RS-232 with TX and RX crossed, an optical head on a meter).
 * Each direction is its own medium, so both ends may talk at once; each byte arrives one
 * character time (at the sender's settings) after the previous one.
 */
export class VirtualWire {
  readonly a: SimEndpoint;
  readonly b: SimEndpoint;
  private readonly taps = new TapSet();

  constructor(clock: Clock, readonly line: string, a: WireEndOptions, b: WireEndOptions) {
    const aToB = new Medium(clock, line, this.taps);
    const bToA = new Medium(clock, line, this.taps);
    this.a = new SimEndpoint(clock, a.id ?? `${line}/a`, line, a.settings, aToB, a);
    this.b = new SimEndpoint(clock, b.id ?? `${line}/b`, line, b.settings, bToA, b);
    aToB.attach(this.b);
    bToA.attach(this.a);
    if (this.a.echo) aToB.attach(this.a);
    if (this.b.echo) bToA.attach(this.b);
  }

  /** Records every transmission (and every reception that differs from it). */
  tap(tap: LineTap): () => void {
    return this.taps.add(tap);
  }
}
