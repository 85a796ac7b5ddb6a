/**
 * Expectations of a scenario: named checks on what arrived at the cloud, what the notification
 * outbox holds and what the terminal shows. A failed check throws `ExpectationFailure` with
 * evidence pointing at the line, the time and the bytes.
 */
import { HtHilError } from '../../core/errors.ts';
import type { Evidence } from './results.ts';

export class ExpectationFailure extends HtHilError {
  constructor(
    message: string,
    readonly evidence: Evidence[] = [],
  ) {
    super('E_EXPECT', message);
  }
}

/** Fails the current expectation unless `condition` holds. */
export function check(condition: unknown, message: string, evidence: Evidence[] = []): asserts condition {
  if (!condition) throw new ExpectationFailure(message, evidence);
}

/** Fails unless `actual` equals `expected` (strict, or deep for plain data). */
export function checkEqual<T>(actual: T, expected: T, what: string, evidence: Evidence[] = []): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new ExpectationFailure(`${what}: expected ${e}, got ${a}`, evidence);
}
