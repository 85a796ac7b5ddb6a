/**
 * The part of the module handling that differs between SIMCom (CIP) and Quectel (QI) modules:
 * PDP context, one TCP socket, and how socket URCs are read. Both run through an `AtRunner`.
 */
import type { AtRunner } from './at-runner.ts';
import type { ModuleDialect, Technology } from './status.ts';

/** A socket or bearer event found in a URC. */
export type SocketEvent =
  | { kind: 'data-ready' }
  | { kind: 'closed'; reason: string }
  | { kind: 'pdp-lost'; reason: string };

/** APN settings of the data SIM. */
export interface ApnConfig {
  apn: string;
  user?: string;
  password?: string;
}

/** The dialect-specific operations. */
export interface CellDialect {
  readonly name: ModuleDialect;
  /** Registration read commands, most specific last (`+CREG`, `+CGREG`[, `+CEREG`]). */
  readonly registrationCommands: readonly string[];
  /** Largest payload of one send command. */
  readonly maxSend: number;
  /** Settings after the SIM is ready (scan mode, receive mode). */
  configure(at: AtRunner, technologies: TechnologyPreference): Promise<void>;
  /** Activates the PDP context; resolves with the module's address. */
  attach(at: AtRunner, apn: ApnConfig): Promise<string>;
  /** Deactivates the PDP context (also clears a context the network dropped). */
  detach(at: AtRunner): Promise<void>;
  /** Opens the TCP socket; rejects naming why (refused, time-out, no context). */
  open(at: AtRunner, host: string, port: number): Promise<void>;
  /** Sends one chunk (≤ `maxSend`). */
  send(at: AtRunner, chunk: Uint8Array): Promise<void>;
  /** Reads what the module holds for the socket (empty when nothing). */
  read(at: AtRunner): Promise<Uint8Array>;
  /** Closes the socket (and frees it after a remote close). */
  close(at: AtRunner): Promise<void>;
  /** The socket event a URC stands for, if any. */
  socketEvent(urc: string): SocketEvent | undefined;
  /** The technology a registration read says, for the module's command prefix. */
  technologyOf(prefix: string, act: number | undefined): Technology;
}

/** Which radios a module may use: 2G only, 4G with 2G fallback (the G24–G26), or 4G only. */
export type TechnologyPreference = '2g' | '4g-fallback-2g' | '4g';
