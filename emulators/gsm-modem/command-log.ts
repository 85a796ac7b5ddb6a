/**
 * The modem's test surface for what it received: every command line with its time, timed
 * expectations on virtual time (zwave-js `expectHostMessage` style), the SMS outbox.
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { HtHilError, TimeoutError } from '../../core/errors.ts';
import type { AtCommand } from '../../protocols/at/index.ts';
import type { RadioTechnology } from '../site/radio-coverage.ts';

/** One command line as the module received it. */
export interface ReceivedCommand {
  /** Clock time the line's terminator arrived. */
  at: number;
  /** The line as typed, without its terminator (`AT+CSQ`). */
  line: string;
  /** The parsed commands; undefined when the line does not parse (answered ERROR). */
  commands: AtCommand[] | undefined;
}

export type CommandPredicate = (c: ReceivedCommand) => boolean;

/** A predicate for lines holding a command of this name (`+CIPSEND`, `E`, `D`). */
export function hasCommand(name: string): CommandPredicate {
  const want = name.toUpperCase();
  return (c) => c.commands?.some((x) => (x.syntax === 'extended' || x.syntax === 'basic' ? x.name === want : x.syntax === 'dial' ? want === 'D' : `S${x.register}` === want)) ?? false;
}

interface Waiter {
  predicate: CommandPredicate;
  resolve: (c: ReceivedCommand) => void;
  timer: Timer;
}

/** Received command lines and expectations on them. */
export class CommandLog {
  /** Lines received since the last `clear()`, oldest first. */
  readonly received: ReceivedCommand[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(
    private readonly clock: Clock,
    private readonly label: string,
  ) {}

  push(c: ReceivedCommand): void {
    this.received.push(c);
    for (const w of [...this.waiters]) {
      if (!w.predicate(c)) continue;
      this.waiters.delete(w);
      w.timer.cancel();
      w.resolve(c);
    }
  }

  /** Resolves with the next matching line arriving after this call; rejects with a TimeoutError after `withinMs` of clock time. */
  expect(withinMs: number, predicate: CommandPredicate = () => true): Promise<ReceivedCommand> {
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        predicate,
        resolve,
        timer: this.clock.setTimer(
          withinMs,
          () => {
            this.waiters.delete(w);
            reject(new TimeoutError(`${this.label}: no matching command within ${withinMs} ms`));
          },
          `${this.label}: expectCommand`,
        ),
      };
      this.waiters.add(w);
    });
  }

  /** The first received line that matches; throws naming `what` when none did. */
  assert(predicate: CommandPredicate, what = 'a matching command'): ReceivedCommand {
    const hit = this.received.find(predicate);
    if (!hit) throw new HtHilError('E_ASSERT', `${this.label}: expected ${what}; received ${this.received.length} line(s), none matched`);
    return hit;
  }

  clear(): void {
    this.received.length = 0;
  }
}

/** One SMS the terminal sent through the module. */
export interface SentSms {
  /** Clock time the module accepted it (`+CMGS: <mr>`). */
  at: number;
  /** Destination as given to `AT+CMGS` (text mode); undefined in PDU mode. */
  to?: string;
  /** The text (text mode), as typed. */
  text?: string;
  /** The PDU as typed, hex (PDU mode; not decoded). */
  pdu?: string;
  /** Message reference the module answered. */
  reference: number;
  technology: RadioTechnology | undefined;
}
