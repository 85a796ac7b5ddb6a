/**
 * What a command handler (or a test's behavior) answers: information lines and a final result,
 * or a `> ` prompt and what to do with the data typed after it.
 */
import type { AtCommand, DataEnd, FinalResult } from '../../protocols/at/index.ts';
import type { GsmModem } from './modem.ts';
import type { Session } from './session.ts';

/** How the data after a prompt ended: Ctrl-Z, the announced length, too long, or ESC. */
export type DataEnding = 'ctrl-z' | 'length' | 'overflow' | 'cancelled';

/** A plain answer. */
export interface LineAnswer {
  /** Information lines before the final result. */
  lines?: readonly string[];
  /** The final result (default OK). A result other than OK ends the command line. */
  result?: FinalResult;
  /** Raw bytes after a header line, before the final result (`+QIRD: 5` then the bytes). */
  block?: { header: string; data: Uint8Array };
  /** Lines written right after the final result (`STATE:` after the OK of `AT+CIPSTATUS`). */
  trailing?: readonly string[];
  /** Runs once the final result is written (start a connection, restart the module). */
  after?: () => void;
}

/** A `> ` prompt; `onData` answers once the data is complete. */
export interface PromptAnswer {
  prompt: DataEnd;
  onData: (bytes: Uint8Array, ended: DataEnding) => CommandAnswer | Promise<CommandAnswer>;
}

/** Nothing at all is sent for this command line (a module that swallows it). */
export type SilentAnswer = { silent: true; after?: () => void };

export type CommandAnswer = LineAnswer | PromptAnswer | SilentAnswer;

/** What a handler knows. */
export interface CommandContext {
  readonly modem: GsmModem;
  readonly session: Session;
}

/** Executes one command of a command line. */
export type CommandHandler = (cmd: AtCommand, ctx: CommandContext) => CommandAnswer | Promise<CommandAnswer>;

/**
 * A one-off behavior put in front of the module's own (newest first): return an answer to take
 * the command over, or undefined to let the next behavior or the module answer it.
 */
export interface ModemBehavior {
  onCommand(cmd: AtCommand, ctx: CommandContext): CommandAnswer | Promise<CommandAnswer> | undefined;
}

/** OK with optional information lines. */
export const ok = (lines?: readonly string[]): LineAnswer => (lines ? { lines } : {});
/** Plain ERROR. */
export const error = (): LineAnswer => ({ result: { kind: 'error' } });
/** `+CME ERROR: <code>` (shown per AT+CMEE). */
export const cme = (code: number): LineAnswer => ({ result: { kind: 'cme-error', code } });
/** `+CMS ERROR: <code>`. */
export const cms = (code: number): LineAnswer => ({ result: { kind: 'cms-error', code } });

/** The argument at `i` as a number, or undefined when absent or not a number. */
export function numArg(cmd: AtCommand, i: number): number | undefined {
  if (cmd.syntax !== 'extended') return undefined;
  const a = cmd.args[i];
  return a?.kind === 'number' ? a.value : undefined;
}

/** The argument at `i` as a string (quoted, or bare), or undefined. */
export function strArg(cmd: AtCommand, i: number): string | undefined {
  if (cmd.syntax !== 'extended') return undefined;
  const a = cmd.args[i];
  if (a?.kind === 'string') return a.value;
  if (a?.kind === 'bare') return a.text;
  if (a?.kind === 'number') return a.text ?? String(a.value);
  return undefined;
}

/** The form of an extended command (`execute` for others). */
export function formOf(cmd: AtCommand): 'execute' | 'set' | 'read' | 'test' {
  return cmd.syntax === 'extended' ? cmd.form : 'execute';
}

/** Number of arguments of an extended command. */
export function argCount(cmd: AtCommand): number {
  return cmd.syntax === 'extended' ? cmd.args.length : 0;
}
