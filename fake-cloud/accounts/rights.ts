/**
 * Per-modem rights and the one rule table that says which right a request on a modem needs.
 * The HTTP middleware (every `/api/modems/:no/...` route, present and future) and the scoped
 * service (`CloudService.as(userId)`) both ask `ruleFor(method, subPath)`.
 *
 * ```
 * method                 path below /api/modems/:no   right      what
 * POST                   /relays/:output              control    a relay command
 * GET, HEAD, OPTIONS     (any)                        view       reading the modem's data
 * (any other)            (any)                        settings   a change to the modem
 * ```
 * The first line that matches wins. An account's owner holds every right on the account's
 * modems; a sub-user holds what the owner granted per modem. `control` and `settings` include
 * `view` (granting either grants view too).
 */
import { ApiError } from '../api/errors.ts';

/** What a user may do with a modem. */
export const MODEM_RIGHTS = ['view', 'control', 'settings'] as const;
export type ModemRight = (typeof MODEM_RIGHTS)[number];

/** One line of the rule table. */
export interface AccessRule {
  /** HTTP methods the line applies to; `*` is any. */
  methods: readonly string[] | '*';
  /** Path below `/api/modems/:no` (`''` is the modem itself); `:x` matches one segment, `*` any path. */
  path: string;
  right: ModemRight;
  /** What such a request does, for the 403 message. */
  what: string;
}

/** The rule table; the first matching line wins. */
export const ACCESS_RULES: readonly AccessRule[] = [
  { methods: ['POST'], path: '/relays/:output', right: 'control', what: 'a relay command' },
  { methods: ['GET', 'HEAD', 'OPTIONS'], path: '*', right: 'view', what: "reading the modem's data" },
  { methods: '*', path: '*', right: 'settings', what: 'a change to the modem' },
];

const matchers = ACCESS_RULES.map((r) => ({ rule: r, test: pathMatcher(r.path) }));

function pathMatcher(pattern: string): (path: string) => boolean {
  if (pattern === '*') return () => true;
  const re = new RegExp(`^${pattern.split('/').map((seg) => (seg.startsWith(':') ? '[^/]+' : seg.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))).join('/')}/?$`);
  return (path) => re.test(path);
}

/** The rule for a request: `method` (any case) and the path below `/api/modems/:no`. */
export function ruleFor(method: string, subPath: string): AccessRule {
  const m = method.toUpperCase();
  const path = subPath === '/' ? '' : subPath;
  for (const { rule, test } of matchers) {
    if ((rule.methods === '*' || rule.methods.includes(m)) && test(path)) return rule;
  }
  // The table's last line matches everything.
  throw new Error('access rule table has no catch-all line');
}

/** Rights as stored: a sorted, de-duplicated list that holds `view` whenever it holds anything. */
export function normalizeRights(rights: Iterable<ModemRight>): ModemRight[] {
  const set = new Set(rights);
  if (set.size > 0) set.add('view');
  return MODEM_RIGHTS.filter((r) => set.has(r));
}

/** Rights from their stored form (`view,control`); unknown names are dropped. */
export function parseRights(text: string): ModemRight[] {
  return normalizeRights(text.split(',').filter((r): r is ModemRight => (MODEM_RIGHTS as readonly string[]).includes(r)));
}

/**
 * Throws the refusal for a missing right: 403 naming the right and the modem
 * (`no 'control' right on modem 21000010 (a relay command needs it)`).
 */
export function requireRight(held: readonly ModemRight[], modemNo: string, rule: Pick<AccessRule, 'right' | 'what'>): void {
  if (held.includes(rule.right)) return;
  throw new ApiError(403, `no '${rule.right}' right on modem ${modemNo} (${rule.what} needs it)`);
}
