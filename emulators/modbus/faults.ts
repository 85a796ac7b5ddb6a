/**
 * Faults an emulated Modbus device can show, switched on and off at run time. Faults stack: the
 * newest fault of a kind is the one that acts. Each wears off after `count` exchanges it affected
 * or at clock time `until`, and may act only on a share of exchanges (`probability`, drawn from a
 * PRNG seeded per device so runs repeat), so a scenario can say "the next two requests go
 * unanswered", "for ten minutes the relay answers late" or "one answer in ten has a bad CRC".
 */
import { StackedFaults, type ActiveFault as GenericActiveFault } from '../faults.ts';

/** Every fault kind the slave engine knows. */
export type ModbusFault =
  /** Requests are received (and logged) but neither executed nor answered. */
  | { kind: 'no-answer' }
  /** The answer leaves `delayMs` after the request instead of the profile's latency. */
  | { kind: 'late-answer'; delayMs: number }
  /** The answer's CRC is wrong (its last byte inverted). */
  | { kind: 'crc-error' }
  /**
   * The answer stops after `atByte` bytes (default: half) and the rest follows after `gapMs` of
   * silence (default: twice the line's 3.5-character gap), so a master sees two broken frames.
   */
  | { kind: 'split-response'; atByte?: number; gapMs?: number }
  /** Requests (of function `fn`, or all) are answered with exception `code`, not executed. */
  | { kind: 'exception'; code: number; fn?: number }
  /** The device is off the line: it hears nothing, executes nothing, answers nothing. */
  | { kind: 'silent' }
  /** After a firmware update, every multi-word value is sent (and written) with its words swapped. */
  | { kind: 'swapped-words' };

export type ModbusFaultKind = ModbusFault['kind'];

export type { FaultOptions } from '../faults.ts';
export type ActiveFault = GenericActiveFault<ModbusFault>;

/** The faults switched on on one device (`seed` makes `probability` draws repeatable). */
export class ModbusFaultSet extends StackedFaults<ModbusFault> {}
