/**
 * What a test or a report sees of a modem at one instant: power, SIM, registration, signal,
 * PDP contexts, the SIMCom connection state, sockets with their byte counts, and live faults.
 */
import type { RadioTechnology } from '../site/radio-coverage.ts';
import type { GsmModem } from './modem.ts';
import type { Session } from './session.ts';
import type { SimState } from './sim.ts';

/** Power state as seen from outside. */
export type PowerState = 'off' | 'booting' | 'on' | 'hung';

/** A snapshot of the module for tests and reports. */
export interface ModemStateSnapshot {
  power: PowerState;
  sim: SimState | 'initializing';
  /** `AT+CFUN` level (0 when off). */
  cfun: number;
  registration: { stat: number; technology: RadioTechnology | undefined; operator: string | undefined };
  signal: { rssi: number; ber: number };
  pdp: { cid: number; apn: string; active: boolean; address: string | undefined; lost: boolean }[];
  /** SIMCom `STATE:` of `AT+CIPSTATUS` (single connection); undefined for other modules. */
  cipState: string | undefined;
  sockets: { id: number; state: string; host: string; port: number; technology: RadioTechnology | undefined; sent: number; received: number; unread: number }[];
  /** Kinds of the live faults, newest first. */
  faults: string[];
}

/** SIMCom `STATE:` of single-connection `AT+CIPSTATUS` for a module run (IP INITIAL when off). */
export function cipStateOf(s: Session | undefined): string {
  if (!s) return 'IP INITIAL';
  if (s.cipStage === 'PDP DEACT') return 'PDP DEACT';
  const k = s.sockets.get(0);
  if (!s.settings.cipMux && k) {
    if (k.state === 'connecting') return 'TCP CONNECTING';
    if (k.state === 'connected') return 'CONNECT OK';
    return 'TCP CLOSED';
  }
  return s.cipStage;
}

/** The snapshot of `m` now. */
export function snapshotOf(m: GsmModem): ModemStateSnapshot {
  const s = m.session;
  const reg = s?.reg ?? { stat: 0, tech: undefined };
  return {
    power: m.powerState(),
    sim: m.simState(),
    cfun: s?.cfun ?? 0,
    registration: { stat: reg.stat, technology: reg.tech, operator: m.radio.isRegistered() ? m.network.operator.long : undefined },
    signal: m.radio.signal(),
    pdp: [...(s?.contexts.values() ?? [])].map((c) => ({ cid: c.cid, apn: c.apn, active: c.active, address: c.address, lost: c.lost ?? false })),
    cipState: m.profile.socketDialect === 'simcom-cip' ? cipStateOf(s) : undefined,
    sockets: [...(s?.sockets.values() ?? [])].map((k) => ({
      id: k.id,
      state: k.state,
      host: k.host,
      port: k.port,
      technology: k.technology,
      sent: k.txTotal,
      received: k.rxTotal,
      unread: k.unread,
    })),
    faults: m.faults.list(m.clock.now()).map((f) => f.fault.kind),
  };
}
