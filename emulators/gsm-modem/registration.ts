/**
 * Registration from the radio, the SIM and the network (3GPP TS 27.007 §7.2, §10.1.20, §10.1.22):
 *
 * ```
 *   CFUN≠1 or SIM not ready ─────────────────────────────► 0 not registered, not searching
 *   a technology the module may use has service (LTE first) ─► 1 home / 5 roaming / 3 denied
 *   none has service ────────────────────────────────────► 2 searching
 * ```
 * A module with LTE uses it where the site offers it and falls back to GSM elsewhere; a 2G-only
 * module never sees LTE. `AT+QCFG="nwscanmode"` narrows the choice (0 auto, 1 GSM, 3 LTE).
 *
 * Reports: `+CREG` and `+CGREG` show the registration on either technology; `+CEREG` shows it on
 * LTE only (0 while on GSM). With `n=2` (or in the read answer with `n=2`) the LAC/TAC and cell
 * id follow, and `<AcT>` (0 GSM, 7 E-UTRAN) where the module reports it.
 */
import { CEREG, CGREG, CREG, CSQ_UNKNOWN, dbmToRssi, type Registration } from '../../protocols/at/index.ts';
import type { RadioTechnology } from '../site/radio-coverage.ts';
import type { NetworkModel } from './network.ts';
import type { RegistrationState } from './session.ts';

/** The registration commands. */
export type RegPrefix = '+CREG' | '+CGREG' | '+CEREG';

/** What decides the registration. */
export interface RegistrationInputs {
  /** Technologies the module may use now, in order of preference. */
  technologies: readonly RadioTechnology[];
  hasService: (tech: RadioTechnology) => boolean;
  simReady: boolean;
  cfun: number;
  denied: boolean;
  roaming: boolean;
}

/** The technologies a module with `available` may use in scan mode `mode` (LTE first). */
export function allowedTechnologies(available: readonly RadioTechnology[], mode: number): RadioTechnology[] {
  const order: RadioTechnology[] = (['lte', 'gsm'] as const).filter((t) => available.includes(t));
  if (mode === 1) return order.filter((t) => t === 'gsm');
  if (mode === 3) return order.filter((t) => t === 'lte');
  if (mode === 2) return [];
  return order;
}

/** The registration the module should reach. */
export function desiredRegistration(i: RegistrationInputs): RegistrationState {
  if (i.cfun !== 1 || !i.simReady) return { stat: 0, tech: undefined };
  const tech = i.technologies.find((t) => i.hasService(t));
  if (tech === undefined) return { stat: 2, tech: undefined };
  return { stat: i.denied ? 3 : i.roaming ? 5 : 1, tech };
}

/** True for home (1) and roaming (5). */
export function registered(r: RegistrationState): boolean {
  return r.stat === 1 || r.stat === 5;
}

/** `<AcT>` of a technology (27.007 §7.3). */
export function actOf(tech: RadioTechnology): number {
  return tech === 'lte' ? 7 : 0;
}

/** The registration one command reports: `+CEREG` only counts LTE. */
function statFor(prefix: RegPrefix, r: RegistrationState): RegistrationState {
  if (prefix !== '+CEREG' || r.tech === 'lte' || r.stat === 0 || r.stat === 2) return r;
  return { stat: 0, tech: undefined };
}

/**
 * A registration line: the read answer when `readN` is given (`+CREG: <n>,<stat>[,…]`), else the
 * URC for setting `n` (`+CREG: <stat>[,…]`). Cell fields appear with n=2 while camped on a cell.
 */
export function registrationLine(prefix: RegPrefix, r: RegistrationState, n: number, read: boolean, network: NetworkModel, withAct: boolean): string {
  const shown = statFor(prefix, r);
  const value: Registration = read ? { n, stat: shown.stat } : { stat: shown.stat };
  if (n >= 2 && shown.tech !== undefined) {
    const cell = shown.tech === 'lte' ? { lac: network.lteCell.tac, ci: network.lteCell.ci } : { lac: network.gsmCell.lac, ci: network.gsmCell.ci };
    value.lac = cell.lac;
    value.ci = cell.ci;
    if (withAct) value.act = actOf(shown.tech);
  }
  const codec = prefix === '+CREG' ? CREG : prefix === '+CGREG' ? CGREG : CEREG;
  return codec.format(value);
}

/**
 * The URCs a change of registration causes, for each command whose `n` is on: with n=1 when
 * its `<stat>` changes, with n=2 also when the cell or technology changes.
 */
export function registrationUrcs(
  prefixes: readonly RegPrefix[],
  regN: Readonly<Record<RegPrefix, number>>,
  before: RegistrationState,
  after: RegistrationState,
  network: NetworkModel,
  withAct: boolean,
): string[] {
  const out: string[] = [];
  for (const p of prefixes) {
    const n = regN[p];
    if (n < 1) continue;
    const a = registrationLine(p, before, n, false, network, withAct);
    const b = registrationLine(p, after, n, false, network, withAct);
    if (a !== b) out.push(b);
  }
  return out;
}

/** `+CSQ` values for a level in dBm (99,99 without a cell). GSM reports a bit error rate of 0, LTE 99. */
export function signalQuality(level: number | undefined, tech: RadioTechnology | undefined): { rssi: number; ber: number } {
  if (level === undefined) return { rssi: CSQ_UNKNOWN, ber: CSQ_UNKNOWN };
  return { rssi: dbmToRssi(level), ber: tech === 'gsm' ? 0 : CSQ_UNKNOWN };
}
