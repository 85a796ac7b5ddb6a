/**
 * Sorts the lines a DTE receives, given the command line in progress (or none), into echo,
 * response (information or intermediate text of that command), final result, or URC.
 *
 * Rules, in order, for each non-empty line:
 *  1. A line announced as message text (after `+CMGR:`/`+CMGL:`) is response, unless it is a
 *     final result code or another header.
 *  2. While a command is in progress and before any answer, a line equal to the command line
 *     is its echo.
 *  3. Finals: the command's own enders (`SEND OK`, `SHUT OK`, `CLOSE OK`, `DATA ACCEPT`, the
 *     address of `AT+CIFSR`), then `OK`, `ERROR`, `+CME ERROR`, `+CMS ERROR`, `CONNECT[ <text>]`
 *     (and the digits of `ATV0` when numeric). `NO CARRIER`, `BUSY`, `NO ANSWER`, `NO DIALTONE`
 *     are finals only for ATD/ATA/ATO; otherwise URCs (a call or link ended).
 *  4. A URC from the table is a URC, except when its prefix is shared with a command on the
 *     line: then the URC's own rule decides (see `URCS[].rule`, e.g. `+CREG:` answers
 *     `AT+CREG?` only in the `<n>,<stat>` shape).
 *  5. A `+NAME:` line answers the command when NAME is on the line; with only extended
 *     commands on the line, another NAME is a URC this table does not know.
 *  6. Any other line during a command is its response (IMEI, ATI text, `STATE: …`).
 *  7. After the final result, lines matching the command's trailing pattern (`STATE:`, `C:` of
 *     `AT+CIPSTATUS`) are still its response; the first other line ends the command.
 *  8. With no command in progress every line is a URC (known or not).
 */
import { parseCommandLine, type AtCommand, type ExtendedCommand } from './command-line.ts';
import { traitsOf, type CommandTraits } from './command-traits.ts';
import { isConnectLine, parseNumericResultCode, parseResultCode, parseSocketResult, type FinalResult } from './result-codes.ts';
import { findUrc, type DataFollow, type Dialect, type UrcDefinition, type UrcOptions } from './urc.ts';

/** Settings of the module on the other side. */
export interface ClassifierOptions extends UrcOptions {
  /** Which module family's URCs to recognise (default both). */
  dialect?: Dialect | 'any';
  /** `ATV0`: result codes are digits. */
  numeric?: boolean;
}

/** The verdict on one line. `data` announces raw bytes; `body` says the next line belongs to this URC. */
export type Classification =
  | { kind: 'echo' }
  | { kind: 'response'; command?: string; afterFinal?: true; data?: DataFollow }
  | { kind: 'final'; result: FinalResult }
  | { kind: 'urc'; urc?: UrcDefinition; data?: DataFollow; body?: true };

interface Active {
  text: string;
  commands: AtCommand[];
  traits: CommandTraits[];
  echoSeen: boolean;
  answered: boolean;
  finalSeen: boolean;
  seen: Map<string, number>;
  bodyHeader?: string;
}

const CALL_END = new Set(['no-carrier', 'busy', 'no-answer', 'no-dialtone']);

/**
 * A stateful line classifier: `begin(line)` when a command line is sent, then `classify` each
 * received line in order. The command ends by itself at its final result (or after its
 * trailing lines); `end()` forgets it early (a time-out).
 */
export class LineClassifier {
  private active: Active | undefined;
  private previousCommands: AtCommand[] = [];

  private readonly options: ClassifierOptions;

  constructor(options: ClassifierOptions = {}) {
    this.options = { ...options };
  }

  /** Switches numeric result codes (`ATV0`) on or off. */
  setNumeric(numeric: boolean): void {
    this.options.numeric = numeric;
  }

  /**
   * A command line was sent (as typed, without its terminator). A line that does not parse
   * still gets its echo recognised; its answers are then read as plain responses.
   */
  begin(line: string): void {
    const text = line.replace(/[\r\n]+$/, '');
    let commands: AtCommand[] = [];
    try {
      const parsed = parseCommandLine(text);
      commands = parsed.kind === 'repeat' ? this.previousCommands : parsed.commands;
    } catch {
      commands = [];
    }
    this.previousCommands = commands;
    this.active = {
      text,
      commands,
      traits: commands.map(traitsOf).filter((t): t is CommandTraits => t !== undefined),
      echoSeen: false,
      answered: false,
      finalSeen: false,
      seen: new Map(),
    };
  }

  /** Forgets the command in progress. */
  end(): void {
    this.active = undefined;
  }

  /** The command line in progress (until its final result and trailing lines), or undefined. */
  get inProgress(): string | undefined {
    return this.active?.text;
  }

  /** True while a command waits for its final result: a `> ` prompt may come. */
  get awaitingFinal(): boolean {
    return this.active !== undefined && !this.active.finalSeen;
  }

  /** Classifies one received line (without its line end). Empty lines should not be passed. */
  classify(line: string): Classification {
    const a = this.active;
    if (a?.bodyHeader !== undefined) {
      const header = a.bodyHeader;
      delete a.bodyHeader;
      if (this.finalOf(line, a) === undefined && !line.startsWith(header)) return { kind: 'response', command: header.slice(0, -1) };
    }
    if (a && !a.finalSeen) return this.during(line, a);
    if (a && a.traits.some((t) => t.trailing?.test(line))) return { kind: 'response', afterFinal: true };
    this.active = undefined;
    return this.unsolicited(line);
  }

  private finalOf(line: string, a: Active): FinalResult | undefined {
    for (const t of a.traits) {
      if (t.socketFinals) {
        const r = parseSocketResult(line);
        if (r) return r;
      }
      if (t.valueFinal?.test(line)) return { kind: 'value', text: line };
    }
    const r = parseResultCode(line) ?? (this.options.numeric ? parseNumericResultCode(line) : undefined);
    if (r && CALL_END.has(r.kind) && !a.traits.some((t) => t.callControl)) return undefined;
    return r;
  }

  private during(line: string, a: Active): Classification {
    if (!a.echoSeen && !a.answered && line === a.text) {
      a.echoSeen = true;
      return { kind: 'echo' };
    }
    const final = this.finalOf(line, a);
    if (final) {
      a.finalSeen = true;
      if (!a.traits.some((t) => t.trailing)) this.active = undefined;
      return { kind: 'final', result: final };
    }
    const urc = findUrc(line, this.options.dialect);
    if (urc) {
      const owner = urc.command === undefined ? undefined : this.commandNamed(a, urc.command);
      if (!owner) return this.urcVerdict(line, urc);
      const seen = a.seen.get(urc.command!) ?? 0;
      if (!urc.isResponse?.(line, { form: owner.form, args: owner.args, seen })) return this.urcVerdict(line, urc);
    }
    const m = /^([+#$%^*][A-Za-z0-9!%\-./_ ]*?):/.exec(line);
    if (m) {
      const name = m[1]!.toUpperCase();
      const mine = a.commands.some((c) => c.syntax === 'extended' && c.name === name);
      if (!mine && a.commands.every((c) => c.syntax === 'extended')) return { kind: 'urc' };
      a.seen.set(name, (a.seen.get(name) ?? 0) + 1);
      if (mine && a.traits.some((t) => t.name === name && t.bodyAfterHeader)) a.bodyHeader = `${name}:`;
    }
    a.answered = true;
    const data = this.dataAfter(line, a);
    const command = m ? m[1]!.toUpperCase() : undefined;
    return { kind: 'response', ...(command === undefined ? {} : { command }), ...(data === undefined ? {} : { data }) };
  }

  private dataAfter(line: string, a: Active): DataFollow | undefined {
    for (const t of a.traits) {
      const d = t.dataAfter?.(line);
      if (d) return d;
    }
    return undefined;
  }

  private commandNamed(a: Active, name: string): ExtendedCommand | undefined {
    return a.commands.find((c): c is ExtendedCommand => c.syntax === 'extended' && c.name === name);
  }

  private urcVerdict(line: string, urc: UrcDefinition): Classification {
    const data = urc.data?.(line, this.options);
    return { kind: 'urc', urc, ...(data === undefined ? {} : { data }), ...(urc.body?.(line) ? { body: true as const } : {}) };
  }

  private unsolicited(line: string): Classification {
    if (isConnectLine(line)) return { kind: 'urc', urc: findUrc(line)! };
    const urc = findUrc(line, this.options.dialect);
    return urc ? this.urcVerdict(line, urc) : { kind: 'urc' };
  }
}
