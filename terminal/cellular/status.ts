/**
 * What the terminal knows of its cellular module, for its status page, its logs and its GSM LED.
 */
import type { LedState } from '../leds.ts';

/** The module manager's state. */
export type CellularState =
  | 'off'
  | 'starting'
  | 'sim-check'
  | 'sim-failure'
  | 'registering'
  | 'registered'
  | 'attaching'
  | 'online'
  | 'resetting'
  | 'failed';

/** The SIM as the module reports it. PIN, PUK and absence are field failures; nothing else is tried. */
export type SimStatus = 'unknown' | 'ready' | 'sim-pin-required' | 'sim-puk-required' | 'sim-absent' | 'sim-error';

/** The registration as the module reports it. `no-coverage`: no cell heard (CSQ 99) for a while. */
export type RegistrationStatus = 'unknown' | 'not-registered' | 'searching' | 'denied' | 'no-coverage' | 'registered-home' | 'roaming';

/** The radio access in use: 2G (GSM/GPRS) or 4G (LTE). */
export type Technology = '2g' | '4g';

/** The module's dialect family. */
export type ModuleDialect = 'simcom' | 'quectel';

/** A snapshot of the cellular uplink. */
export interface CellularStatus {
  state: CellularState;
  sim: SimStatus;
  registration: RegistrationStatus;
  technology: Technology | undefined;
  /** Last `+CSQ`: rssi 0..31 or 99, and the level in dBm (undefined for 99). */
  signal: { rssi: number; dbm: number | undefined } | undefined;
  /** The module's dialect, once known. */
  dialect: ModuleDialect | undefined;
  /** The module's model text (`AT+CGMM`). */
  model: string | undefined;
  /** The address of the active PDP context. */
  ip: string | undefined;
  lastError: string | undefined;
  /** Module resets (AT+CFUN=1,1 or a power cycle) so far. */
  resets: number;
  /** Clock ms of the last change. */
  since: number;
}

/** True for a SIM state that stops the uplink until the SIM is changed. */
export function isSimFailure(sim: SimStatus): boolean {
  return sim === 'sim-pin-required' || sim === 'sim-puk-required' || sim === 'sim-absent' || sim === 'sim-error';
}

/**
 * The GSM LED rule of the manuals: blinks while the module registers, lit once registered
 * (registered, attaching, online), off while the module is off, failed, or stopped at the SIM.
 */
export function gsmLedState(s: Pick<CellularStatus, 'state' | 'registration'>): LedState {
  if (s.state === 'off' || s.state === 'failed' || s.state === 'sim-failure') return 'off';
  if (s.registration === 'registered-home' || s.registration === 'roaming') return 'on';
  return 'blink';
}
