/**
 * Faults an emulated meter can show, switched on and off at run time. A fault wears off after
 * `count` exchanges or at clock time `until`, so a scenario can say "the next two requests go
 * unanswered" or "for ten minutes the meter answers late". The newest fault of a kind wins.
 */
import { StackedFaults, type ActiveFault as GenericActiveFault } from '../faults.ts';

export type MeterFault =
  /** The meter ignores requests (dead, wrong address configured, cable cut). */
  | { kind: 'no-answer' }
  /** Answers after `delayMs` instead of its reaction time (beyond the master's timeout). */
  | { kind: 'late-answer'; delayMs: number }
  /** The readout's BCC is wrong. */
  | { kind: 'wrong-bcc' }
  /** The readout stops after `afterBytes` bytes. */
  | { kind: 'truncated-readout'; afterBytes: number }
  /** One byte of the readout at `offset` is replaced by `value` (default: bit 0 flipped). */
  | { kind: 'garbled-byte'; offset: number; value?: number }
  /** After the option select, the meter talks at `baudRate` instead of the one agreed. */
  | { kind: 'wrong-baud'; baudRate: number }
  /** Programming mode commands are answered with NAK, or with `(ERROR)`. */
  | { kind: 'programming-nak' }
  | { kind: 'programming-error' }
  /** The meter answers requests for any address (two meters configured alike on one bus). */
  | { kind: 'foreign-address' };

export type MeterFaultKind = MeterFault['kind'];

export type ActiveFault = GenericActiveFault<MeterFault>;

/** The faults switched on on one meter. */
export class FaultSet extends StackedFaults<MeterFault> {}
