/**
 * The seam between the modem and a socket command family (SIMCom `AT+CIP…`, Quectel `AT+QI…`):
 * a table of command handlers and what the family prints when the network takes the PDP
 * context away.
 */
import type { CommandHandler } from './answer.ts';
import type { GsmModem } from './modem.ts';
import type { Session } from './session.ts';

/** One socket command family. */
export interface SocketDialect {
  readonly handlers: Readonly<Record<string, CommandHandler>>;
  /** The network deactivated these contexts (their sockets are already dropped): print the URCs. */
  pdpLost(modem: GsmModem, session: Session, cids: readonly number[]): void;
}
