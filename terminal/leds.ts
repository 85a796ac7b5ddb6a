/**
 * The terminal's LEDs as the manuals describe them, with their history so a scenario can assert
 * "the data LED was lit during the exchange" or "the internet LED went out during the outage".
 *
 * - power: lit while the terminal runs
 * - usb: blinks while settings change over the USB port
 * - rs485 / optical / rs232: lit during an exchange on that port
 * - ip (Ethernet): blinks while acquiring an address, lit once it has one
 * - internet: lit while the uplink to the cloud is online
 * - gsm (GSM/4G): blinks while registering, lit when registered
 * - data: lit during data exchange with the cloud
 * - in / out: lit while an input contact is closed / a relay output is on
 */
import type { Clock } from '../core/clock/index.ts';

export type LedName = 'usb' | 'power' | 'rs485' | 'optical' | 'rs232' | 'ip' | 'internet' | 'gsm' | 'in' | 'out' | 'data';
export type LedState = 'off' | 'on' | 'blink';

export interface LedChange {
  at: number;
  led: LedName;
  state: LedState;
}

export class Leds {
  private readonly states = new Map<LedName, LedState>();
  readonly history: LedChange[] = [];

  constructor(
    private readonly clock: Clock,
    readonly fitted: readonly LedName[],
  ) {
    for (const l of fitted) this.states.set(l, 'off');
  }

  get(led: LedName): LedState {
    return this.states.get(led) ?? 'off';
  }

  set(led: LedName, state: LedState): void {
    if (!this.states.has(led) || this.states.get(led) === state) return;
    this.states.set(led, state);
    const change = { at: this.clock.now(), led, state };
    this.history.push(change);
    for (const l of this.listeners) l(change);
  }

  private readonly listeners = new Set<(c: LedChange) => void>();

  /** Calls `listener` on every change; returns the unsubscribe function. */
  onChange(listener: (c: LedChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Every LED's state now. */
  snapshot(): Record<string, LedState> {
    return Object.fromEntries(this.states);
  }

  /** Whether `led` was ever in `state` within [from, to]. */
  wasIn(led: LedName, state: LedState, from: number, to: number): boolean {
    let current: LedState = 'off';
    for (const c of this.history) {
      if (c.led !== led) continue;
      if (c.at > to) break;
      if (c.at >= from && c.state === state) return true;
      current = c.state;
    }
    return current === state;
  }
}
