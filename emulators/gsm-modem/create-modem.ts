/**
 * `createModem`: a module by profile or name, on an endpoint, with a SIM, the site's radio,
 * the network and a dialer to the cloud. The handler table is assembled from the profile: the
 * common V.250/27.007/27.005 commands, the registration commands it lists, and its socket family.
 */
import type { Clock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { LinkDialer } from '../../lines/net/link.ts';
import { luhnOk } from '../../protocols/at/index.ts';
import { RadioCoverage, type RadioCoverageOptions } from '../site/radio-coverage.ts';
import type { CommandHandler } from './answer.ts';
import { GENERAL_HANDLERS } from './commands/general.ts';
import { networkHandlers, QUECTEL_NETWORK_HANDLERS } from './commands/network.ts';
import { QUECTEL_POWER_HANDLERS, SIMCOM_POWER_HANDLERS } from './commands/power.ts';
import { QUECTEL_DIALECT } from './commands/quectel-ip.ts';
import { SIMCOM_DIALECT } from './commands/simcom-ip.ts';
import { QUECTEL_SIM_HANDLERS, SIMCOM_SIM_HANDLERS, SIM_HANDLERS } from './commands/sim.ts';
import { SMS_HANDLERS } from './commands/sms.ts';
import { DataCounters } from './counters.ts';
import { GsmModem } from './modem.ts';
import { NetworkModel, type NetworkOptions, type TechnologyDialers } from './network.ts';
import { findModemProfile, shippedModemProfiles, type LoadedModemProfile } from './profile-loader.ts';
import type { ModemProfile } from './profile-schema.ts';
import { SimCard, type SimOptions } from './sim.ts';

/** Options of `createModem`. */
export interface CreateModemOptions {
  /** The module: a profile, or a name `findModemProfile` knows ('SIM800C', 'quectel/ec25-e'). */
  profile: ModemProfile | string;
  /** Profiles to look a name up in (default: the shipped ones). */
  profiles?: readonly LoadedModemProfile[];
  endpoint: Endpoint;
  clock: Clock;
  /** Where sockets go: one dialer, or one per technology (`cellularDialers`; a `TcpDialer` in real mode). */
  dialer: LinkDialer | TechnologyDialers;
  /** The SIM card, or how to make one (default: ready, PIN lock off). */
  sim?: SimCard | SimOptions;
  /** The site's coverage (default: GSM −75 dBm and LTE −79 dBm everywhere, rod antenna). */
  radio?: RadioCoverage | RadioCoverageOptions;
  /** The mobile network (default: Turkcell, home, any APN). */
  network?: NetworkModel | NetworkOptions;
  /** IMEI, 15 digits with a valid check digit (default: from the profile's TAC and `id`). */
  imei?: string;
  /** Start autobauding (`AT+IPR=0`): the module follows the first AT it hears and prints no start-up URCs. */
  autobaud?: boolean;
  /** Switch on at once (default true). */
  powerOn?: boolean;
  /** Names the modem in traces and errors (default `modem`). */
  id?: string;
  /** Markers for the run's time axis (faults, power events). */
  note?: (text: string) => void;
  /** Traffic counters to continue (default: new). */
  counters?: DataCounters;
}

/** A valid IMEI: the TAC, six digits from `seed`, the Luhn digit. */
export function makeImei(tac: string, seed: string): string {
  let h = 2166136261;
  for (let i = 0; i < seed.length; i++) h = Math.imul(h ^ seed.charCodeAt(i), 16777619) >>> 0;
  const body = tac + String(h % 1_000_000).padStart(6, '0');
  for (let d = 0; d <= 9; d++) if (luhnOk(body + d)) return body + d;
  throw new InputError('IMEI', `cannot complete ${body}`);
}

/** The command handlers of a profile. */
export function handlersFor(profile: ModemProfile): Map<string, CommandHandler> {
  const simcom = profile.socketDialect === 'simcom-cip';
  const tables: Readonly<Record<string, CommandHandler>>[] = [
    GENERAL_HANDLERS,
    SIM_HANDLERS,
    simcom ? SIMCOM_SIM_HANDLERS : QUECTEL_SIM_HANDLERS,
    networkHandlers(profile.access.registration),
    SMS_HANDLERS,
    simcom ? SIMCOM_POWER_HANDLERS : QUECTEL_POWER_HANDLERS,
    simcom ? SIMCOM_DIALECT.handlers : QUECTEL_DIALECT.handlers,
  ];
  if (profile.access.scanMode) tables.push(QUECTEL_NETWORK_HANDLERS);
  else if (!simcom) tables.push({ '+QNWINFO': QUECTEL_NETWORK_HANDLERS['+QNWINFO']! });
  const out = new Map<string, CommandHandler>();
  for (const t of tables) for (const [k, h] of Object.entries(t)) out.set(k, h);
  return out;
}

/** Builds a modem (switched on unless `powerOn: false`). Throws an InputError for an unknown module or a bad option. */
export function createModem(o: CreateModemOptions): GsmModem {
  const profile = typeof o.profile === 'string' ? findModemProfile(o.profile, o.profiles ?? shippedModemProfiles()) : o.profile;
  if (!profile) throw new InputError('modem', `no module profile is named '${String(o.profile)}'`);
  const id = o.id ?? 'modem';
  const imei = o.imei ?? makeImei(profile.identity.imeiTac, id);
  if (!/^\d{15}$/.test(imei) || !luhnOk(imei)) throw new InputError('modem', `IMEI ${imei} must be 15 digits with a valid check digit`);
  const radio = o.radio instanceof RadioCoverage ? o.radio : new RadioCoverage({ start: o.clock.now(), ...(o.radio ?? { gsm: { kind: 'constant', dbm: -75 }, lte: { kind: 'constant', dbm: -79 } }) });
  const dialer = o.dialer;
  const dialers: TechnologyDialers = typeof dialer === 'function' ? dialer : () => dialer;
  const modem = new GsmModem({
    id,
    profile,
    clock: o.clock,
    endpoint: o.endpoint,
    dialers,
    sim: o.sim instanceof SimCard ? o.sim : new SimCard(o.sim),
    radio,
    network: o.network instanceof NetworkModel ? o.network : new NetworkModel(o.network),
    counters: o.counters ?? new DataCounters(),
    imei,
    autobaud: o.autobaud ?? false,
    handlers: handlersFor(profile),
    dialect: profile.socketDialect === 'simcom-cip' ? SIMCOM_DIALECT : QUECTEL_DIALECT,
    note: o.note,
  });
  if (o.powerOn !== false) modem.powerOn();
  return modem;
}
