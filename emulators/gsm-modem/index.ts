/** Emulated cellular modules (SIMCom SIM800-class 2G, Quectel EC2x-class 4G): AT engine, SIM, radio and network, sockets, SMS, faults, profiles. */

export { createModem, makeImei, handlersFor, type CreateModemOptions } from './create-modem.ts';
export { GsmModem, type GsmModemParts } from './modem.ts';
export { snapshotOf, cipStateOf, type ModemStateSnapshot, type PowerState } from './snapshot.ts';
export { SimCard, makeIccid, type SimOptions, type SimState, type SimAnswer } from './sim.ts';
export { NetworkModel, OPERATORS, DEFAULT_PATHS, cellularDialers, type NetworkOptions, type Operator, type TechnologyDialers } from './network.ts';
export { ModemFaultSet, type ModemFault, type ModemFaultKind, type ModemFaultOptions, type ActiveModemFault } from './faults.ts';
export { DataCounters, type TrafficCount, type SocketTraffic } from './counters.ts';
export { CommandLog, hasCommand, type ReceivedCommand, type CommandPredicate, type SentSms } from './command-log.ts';
export { ok, error, cme, cms, numArg, strArg, formOf, argCount } from './answer.ts';
export type { CommandAnswer, LineAnswer, PromptAnswer, SilentAnswer, CommandContext, CommandHandler, ModemBehavior, DataEnding } from './answer.ts';
export type { SocketDialect } from './dialect.ts';
export { ModemSocket, type SocketState, type SocketHost, type SocketListener } from './sockets.ts';
export { Session, defaultSettings, type ModemSettings, type RegistrationState, type PdpContextState, type CipStage } from './session.ts';
export { allowedTechnologies, desiredRegistration, registrationLine, registrationUrcs, signalQuality, actOf, type RegPrefix, type RegistrationInputs } from './registration.ts';
export { latencyClassOf } from './command-classes.ts';
export {
  loadModemProfiles,
  loadModemProfile,
  findModemProfile,
  parseModemProfileText,
  shippedModemProfiles,
  ModemProfileError,
  DEFAULT_MODEM_PROFILE_DIR,
  type LoadedModemProfile,
  type ModemProfileIssue,
} from './profile-loader.ts';
export { modemProfileSchema, SOCKET_DIALECTS, TECHNOLOGIES, LATENCY_CLASSES, type ModemProfile, type BootUrc, type SocketDialectName, type LatencyClass } from './profile-schema.ts';
export { RadioCoverage, curveLevel, curveNextChange, type SignalCurve, type RadioCoverageOptions, type RadioTechnology, type Antenna } from '../site/radio-coverage.ts';
