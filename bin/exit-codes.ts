/**
 * Exit codes of `ht-hil`, stable for CI scripts:
 *
 * | code | meaning |
 * |---|---|
 * | 0 | success: every scenario passed, the command did what it was asked |
 * | 1 | a scenario or check failed (the report says which) |
 * | 2 | usage error: unknown command or option, bad option value |
 * | 3 | environment: a Debian package, device or permission is missing |
 * | 4 | bad input: a file (trace, profile, rig file, scenario) is invalid; the message names where |
 * | 70 | internal error (a bug: please report it with the log) |
 */
export const EXIT = {
  ok: 0,
  failed: 1,
  usage: 2,
  environment: 3,
  input: 4,
  internal: 70,
} as const;

export const EXIT_CODES_HELP = `Exit codes:
  0   success
  1   a scenario or check failed (see the report)
  2   usage error
  3   environment: missing Debian package, device or permission
  4   bad input file (the message names file, line and field)
  70  internal error`;
