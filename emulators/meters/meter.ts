/**
 * An emulated IEC 62056-21 meter: a brand profile, the measuring state on the site load, the
 * protocol engine on a serial endpoint, and faults. The test surface follows the mock-device
 * habit: every frame received is logged with its time; `expectRequest` waits (in clock time) for
 * one that matches.
 */
import type { Clock } from '../../core/clock/index.ts';
import { TimeoutError } from '../../core/errors.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { Frame } from '../../protocols/iec62056-21/index.ts';
import type { SiteLoad } from '../site/load.ts';
import { MeterEngine, type MeterPort } from './engine.ts';
import { FaultSet, type ActiveFault, type MeterFault } from './faults.ts';
import { MeterState } from './meter-state.ts';
import type { MeterProfile } from './profile-schema.ts';
import type { QuantityName } from './quantities.ts';

export interface EmulatedMeterOptions {
  clock: Clock;
  endpoint: Endpoint;
  profile: MeterProfile;
  serial: string;
  port: MeterPort;
  load: SiteLoad;
  initialKwh?: number;
  /** Custom device address; default the serial with the profile's prefix. */
  address?: string;
  utcOffsetMin?: number;
  note?: (text: string) => void;
}

/** A readout the meter sent: its data sets by address, with the time it rendered them. */
export interface SentReadout {
  at: number;
  values: Map<string, string>;
}

export interface ReceivedFrame {
  frame: Frame;
  at: number;
}

export class EmulatedMeter {
  readonly state: MeterState;
  readonly faults = new FaultSet();
  readonly engine: MeterEngine;
  readonly profile: MeterProfile;
  readonly port: MeterPort;
  readonly received: ReceivedFrame[] = [];
  /** Every readout sent, oldest first (the first value of each data set). */
  readonly readouts: SentReadout[] = [];
  private waiters: { match: (f: Frame) => boolean; resolve: (r: ReceivedFrame) => void }[] = [];

  constructor(private readonly o: EmulatedMeterOptions) {
    this.profile = o.profile;
    this.port = o.port;
    const lpPeriod = o.profile.loadProfile.supported ? o.profile.loadProfile.periodMin : undefined;
    this.state = new MeterState({
      serial: o.serial,
      load: o.load,
      start: o.clock.now(),
      ...(o.initialKwh !== undefined ? { initialKwh: o.initialKwh } : {}),
      ...(o.utcOffsetMin !== undefined ? { utcOffsetMin: o.utcOffsetMin } : {}),
      ...(lpPeriod !== undefined ? { loadProfilePeriodMin: lpPeriod } : {}),
    });
    const channels = o.profile.loadProfile.channels;
    if (channels?.length) this.state.profileChannels = channels.map((c) => c.quantity);
    this.engine = new MeterEngine({
      clock: o.clock,
      endpoint: o.endpoint,
      profile: o.profile,
      state: this.state,
      faults: this.faults,
      port: o.port,
      ...(o.address !== undefined ? { address: o.address } : {}),
      ...(o.note ? { note: o.note } : {}),
      onFrame: (frame, at) => this.onFrame(frame, at),
      onReadout: (sets, at) => this.readouts.push({ at, values: new Map(sets.flat().map((d) => [d.address, d.values[0]?.value ?? ''])) }),
    });
  }

  get serial(): string {
    return this.state.serial;
  }

  /** The register value now, as the meter itself holds it (not as read over the line). */
  value(q: QuantityName): ReturnType<MeterState['value']> {
    return this.state.value(q, this.o.clock.now());
  }

  /** Switches a fault on, for `count` exchanges or until clock time `until`. */
  inject(fault: MeterFault, options: { count?: number; until?: number } = {}): ActiveFault {
    this.o.note?.(`fault on: meter ${this.serial} ${fault.kind}${options.count !== undefined ? ` ×${options.count}` : ''}`);
    return this.faults.add(fault, options);
  }

  /** Mains supply of the meter. */
  setPowered(on: boolean): void {
    this.state.setPowered(this.o.clock.now(), on);
  }

  /** Sets the meter's clock error: `offsetMs` now, drifting by `ppm`. */
  setClockError(offsetMs: number, ppm = 0): void {
    this.state.setClockError(this.o.clock.now(), offsetMs, ppm);
  }

  /** Resolves with the first frame from now on that matches, or rejects after `withinMs` of clock time. */
  expectRequest(withinMs: number, match: (f: Frame) => boolean = () => true): Promise<ReceivedFrame> {
    return new Promise((resolve, reject) => {
      const w = { match, resolve: (r: ReceivedFrame) => (timer.cancel(), resolve(r)) };
      const timer = this.o.clock.setTimer(
        withinMs,
        () => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new TimeoutError(`meter ${this.serial}: no matching request within ${withinMs} ms`));
        },
        `meter ${this.serial}: expectRequest`,
      );
      this.waiters.push(w);
    });
  }

  clearReceived(): void {
    this.received.length = 0;
  }

  dispose(): void {
    this.engine.dispose();
  }

  private onFrame(frame: Frame, at: number): void {
    const r = { frame, at };
    this.received.push(r);
    for (const w of [...this.waiters]) {
      if (w.match(frame)) {
        this.waiters = this.waiters.filter((x) => x !== w);
        w.resolve(r);
      }
    }
  }
}
