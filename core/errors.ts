/**
 * Error types shared by every room. An error says where (a file, field, line or byte offset)
 * and what was expected, so a report can point at it.
 */

/** Base class: every error of ours carries a stable `code` for reports and exit codes. */
export class HtHilError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
  }
}

/** Bad input from outside (a profile, a rig file, a frame, an option). `where` names the place. */
export class InputError extends HtHilError {
  readonly where: string;
  constructor(where: string, message: string, options?: { cause?: unknown }) {
    super('E_INPUT', `${where}: ${message}`, options);
    this.where = where;
  }
}

/** Something needed on the machine is missing (a Debian package, a device). */
export class EnvironmentError extends HtHilError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('E_ENV', message, options);
  }
}

/** An operation did not finish within its (virtual or real) time limit. */
export class TimeoutError extends HtHilError {
  constructor(message: string) {
    super('E_TIMEOUT', message);
  }
}

/** An operation was given up because its owner closed or aborted it. */
export class CancelledError extends HtHilError {
  constructor(message = 'cancelled') {
    super('E_CANCELLED', message);
  }
}

export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
