/**
 * Timing of IEC 62056-21, shared by the terminal (master) and the emulated meters. Times in ms.
 * Pure numbers: waiting is the caller's business, with its Clock.
 *
 * Sources: IEC 62056-21:2002 6.3.x ("The time between the reception of a message and the
 * transmission of an answer is: (20 ms) 200 ms ≤ tr ≤ 1 500 ms (see item 12) of 6.3.14). If a
 * response has not been received, the waiting time of the transmitting equipment after
 * transmission of the identification message, before it continues with the transmission, is:
 * 1 500 ms < tt ≤ 2 200 ms. The time between two characters in a character sequence is:
 * ta < 1 500 ms."), and NOTE 1 of the mode C flow diagram (inactivity time-out 60 s to 120 s),
 * as quoted verbatim by several public implementations. The battery wake-up numbers are the
 * standard's "normal" wake-up method as restated by two independent implementations.
 */

/** tr minimum: a meter answers no sooner than this after the end of the message it answers. */
export const REACTION_TIME_MIN_MS = 200;
/** tr minimum of a meter whose FLAG id has a lower-case third letter (see `isFastReaction`). */
export const REACTION_TIME_FAST_MIN_MS = 20;
/** tr maximum: a meter answers no later than this. */
export const REACTION_TIME_MAX_MS = 1500;

/** tt lower bound (exclusive): silence after the identification message before the sender may go on. */
export const NO_RESPONSE_WAIT_MIN_MS = 1500;
/** tt upper bound (inclusive). */
export const NO_RESPONSE_WAIT_MAX_MS = 2200;

/** ta: the gap between two characters of one message is less than this. */
export const INTER_CHARACTER_MAX_MS = 1500;

/** Inactivity time-out of a meter in any state: after 60 s…120 s without a valid message it returns to the start. */
export const INACTIVITY_TIMEOUT_MIN_MS = 60_000;
export const INACTIVITY_TIMEOUT_MAX_MS = 120_000;

/**
 * Baud switch after the acknowledgement/option select message. The standard names no separate
 * window: the meter changes rate after the option select and answers at the new rate after its
 * reaction time tr, so the master must have switched within tr minimum of the end of the option
 * select (200 ms, or 20 ms for a fast-reaction meter), and the meter must not send at the new
 * rate earlier than that. This value is derived from tr, not quoted.
 */
export const BAUD_SWITCH_DEADLINE_MS = REACTION_TIME_MIN_MS;
export const BAUD_SWITCH_DEADLINE_FAST_MS = REACTION_TIME_FAST_MIN_MS;

/** Battery-operated meters, normal wake-up: NUL characters for 2.1 s…2.3 s … */
export const WAKEUP_NUL_MIN_MS = 2100;
export const WAKEUP_NUL_MAX_MS = 2300;
/** … then 1.5 s…1.7 s of silence before the request message. */
export const WAKEUP_PAUSE_MIN_MS = 1500;
export const WAKEUP_PAUSE_MAX_MS = 1700;

/** Character format of modes A–E: 1 start, 7 data, even parity, 1 stop bit. */
export const CHARACTER_FORMAT = Object.freeze({ dataBits: 7, parity: 'even', stopBits: 1 } as const);

/** Minimum reaction time of a meter, given whether it announced fast reaction. */
export function reactionTimeMinMs(fastReaction: boolean): number {
  return fastReaction ? REACTION_TIME_FAST_MIN_MS : REACTION_TIME_MIN_MS;
}
