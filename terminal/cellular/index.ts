/** The cellular uplink of the HT G21–G26: AT runner, module manager (SIMCom / Quectel), socket link and dialer. */

export { AtRunner, AtCommandError, AtTimeoutError, type AtReply, type AtExchange, type CommandOptions, type AtRunnerOptions } from './at-runner.ts';
export { CLASS_TIMEOUTS, COMMAND_TIMEOUTS, timeoutFor, firstCommandName, type CommandClass } from './timeouts.ts';
export { ModemManager, CellularError, DEFAULT_MODEM_TIMING, simFrom, type ModemManagerOptions, type ModemTiming } from './modem-manager.ts';
export { CellularDialer, cellularSettingsFor, type CellularDialerOptions } from './dialer.ts';
export { CellularLink } from './cellular-link.ts';
export { SIMCOM } from './simcom.ts';
export { QUECTEL } from './quectel.ts';
export type { CellDialect, SocketEvent, ApnConfig, TechnologyPreference } from './dialect.ts';
export { gsmLedState, isSimFailure, type CellularStatus, type CellularState, type SimStatus, type RegistrationStatus, type Technology, type ModuleDialect } from './status.ts';
