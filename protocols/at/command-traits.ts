/**
 * What a DTE must know about a command to read its answer: which extra lines end it (SIMCom's
 * `SEND OK`, `SHUT OK`, the bare IP address of `AT+CIFSR`), which lines still belong to it after
 * its final result (`AT+CIPSTATUS` prints `STATE:` after `OK`), which answer lines announce raw
 * bytes (`+QIRD: 5`, `+CIPRXGET: 2,…`), which read SMS text, and which may prompt with `> `.
 *
 * Sources: SIM800 Series AT Command Manual V1.09 §8.2 (CIPSTART, CIPSEND, CIPCLOSE, CIPSHUT,
 * CIFSR, CIPSTATUS, CIPRXGET); Quectel TCP/IP application notes §2.3 (QISEND, QIRD);
 * 3GPP TS 27.005 §3.4 (+CMGR, +CMGL), §3.5 (+CMGS, +CMGW prompt); V.250 §6.3 (D, A, O).
 */
import { parseArgs } from './args.ts';
import type { AtCommand } from './command-line.ts';
import type { DataFollow } from './urc.ts';

/** The reading rules of one command. Every field is optional: a command without traits answers plainly. */
export interface CommandTraits {
  readonly name: string;
  /** V.250 call control: CONNECT, NO CARRIER, BUSY, NO ANSWER, NO DIALTONE end it. */
  readonly callControl?: boolean;
  /** SEND OK, SEND FAIL, DATA ACCEPT, CLOSE OK, SHUT OK (and `<n>, …` forms) end it. */
  readonly socketFinals?: boolean;
  /** A response line matching this ends the command as a `value` final (no OK follows). */
  readonly valueFinal?: RegExp;
  /** Lines matching this after the final result still belong to the command. */
  readonly trailing?: RegExp;
  /** Raw bytes announced by an answer line. */
  readonly dataAfter?: (line: string) => DataFollow | undefined;
  /** Answer lines starting with `${name}:` are followed by one line of message text. */
  readonly bodyAfterHeader?: boolean;
  /** The command answers `> ` and waits for data (any command may; this marks those that do). */
  readonly prompt?: boolean;
}

function fields(line: string): ReturnType<typeof parseArgs> | undefined {
  try {
    return parseArgs(line.slice(line.indexOf(':') + 1), 'response');
  } catch {
    return undefined;
  }
}

/** `+QIRD: <len>` or `+QIRD: <len>,"<ip>",<port>` announce data; `+QIRD: <total>,<read>,<unread>` does not. */
function qirdData(line: string): DataFollow | undefined {
  if (!line.startsWith('+QIRD:')) return undefined;
  const a = fields(line);
  if (!a || a[0]?.kind !== 'number' || a[0].value === 0) return undefined;
  if (a.length === 1 || (a.length === 3 && a[1]!.kind === 'string')) return { length: a[0].value, source: 'qird' };
  return undefined;
}

/**
 * `+CIPRXGET: 2,<len>,<left>` (single connection) or `+CIPRXGET: 2,<n>,<len>,<left>[,…]`
 * (multi-IP) announce `<len>` bytes; mode 3 announces `2·<len>` hex characters. The first length
 * is the number of bytes that follow and the second the bytes still unread, as modules behave
 * (the manual's parameter names, "requested" and "confirmed", suggest otherwise).
 */
function ciprxgetData(line: string): DataFollow | undefined {
  if (!line.startsWith('+CIPRXGET:')) return undefined;
  const a = fields(line);
  const mode = a?.[0];
  if (!a || mode?.kind !== 'number' || (mode.value !== 2 && mode.value !== 3)) return undefined;
  const len = a.length === 3 ? a[1] : a.length >= 4 ? a[2] : undefined;
  if (len?.kind !== 'number' || len.value === 0) return undefined;
  return mode.value === 2 ? { length: len.value, source: 'ciprxget' } : { length: 2 * len.value, source: 'ciprxget-hex' };
}

const TRAITS: readonly CommandTraits[] = [
  { name: 'D', callControl: true },
  { name: 'A', callControl: true },
  { name: 'O', callControl: true },
  { name: '+CMGS', prompt: true },
  { name: '+CMGW', prompt: true },
  { name: '+CMGC', prompt: true },
  { name: '+CMGR', bodyAfterHeader: true },
  { name: '+CMGL', bodyAfterHeader: true },
  { name: '+CIPSEND', prompt: true, socketFinals: true },
  { name: '+CIPCLOSE', socketFinals: true },
  { name: '+CIPSHUT', socketFinals: true },
  { name: '+CIFSR', valueFinal: /^\d{1,3}(\.\d{1,3}){3}$/ },
  { name: '+CIPSTATUS', trailing: /^(STATE: |C: |S: )/ },
  { name: '+CIPSTART', trailing: /^STATE: / },
  { name: '+CIPRXGET', dataAfter: ciprxgetData },
  { name: '+QISEND', prompt: true, socketFinals: true },
  { name: '+QISENDEX', socketFinals: true },
  { name: '+QIRD', dataAfter: qirdData },
];

/** Reading rules by command name (`+CIPSEND`, `D`). */
export const COMMAND_TRAITS: ReadonlyMap<string, CommandTraits> = new Map(TRAITS.map((t) => [t.name, t]));

/** The reading rules of a command, or undefined when it answers plainly. */
export function traitsOf(command: AtCommand): CommandTraits | undefined {
  switch (command.syntax) {
    case 'extended':
    case 'basic':
      return COMMAND_TRAITS.get(command.name);
    case 'dial':
      return COMMAND_TRAITS.get('D');
    default:
      return undefined;
  }
}
