/** Matchers and disambiguation rules shared by the URC tables. */
import { parseArgs, type AtArg } from './args.ts';
import { registrationShape } from './messages/registration.ts';
import type { Dialect, UrcContext } from './urc.ts';

/** Both dialects. */
export const BOTH: readonly Dialect[] = ['simcom', 'quectel'];
/** SIMCom only. */
export const SIMCOM: readonly Dialect[] = ['simcom'];
/** Quectel only. */
export const QUECTEL: readonly Dialect[] = ['quectel'];

/** Line starts with `p`. */
export const prefix = (p: string) => (line: string) => line.startsWith(p);
/** Line is exactly `s`. */
export const exact = (s: string) => (line: string) => line === s;
/** Line matches `r`. */
export const regex = (r: RegExp) => (line: string) => r.test(line);

/** The fields after the first colon, or undefined when they do not parse. */
export function argsAfterColon(line: string): AtArg[] | undefined {
  const colon = line.indexOf(':');
  try {
    return parseArgs(line.slice(colon + 1), 'response');
  } catch {
    return undefined;
  }
}

/** Answers the test form, and the read form with its first line of this prefix. */
export const testOrFirstRead = (_line: string, ctx: UrcContext): boolean => ctx.form === 'test' || (ctx.form === 'read' && ctx.seen === 0);
/** Answers only the test form. */
export const testOnly = (_line: string, ctx: UrcContext): boolean => ctx.form === 'test';
/** Answers the test form, and the read form in the `<n>,<stat>` shape. */
export const registration = (p: string) => (line: string, ctx: UrcContext): boolean => ctx.form === 'test' || (ctx.form === 'read' && registrationShape(line, p) === 'read');
/** Answers the test form, and the read form when the first field is an integer. */
export const firstFieldNumber = (line: string, ctx: UrcContext): boolean => ctx.form === 'test' || (ctx.form === 'read' && argsAfterColon(line)?.[0]?.kind === 'number');

/** `+CUSD`: answers the test form, and the read form as a single integer. */
export function cusdResponse(line: string, ctx: UrcContext): boolean {
  if (ctx.form === 'test') return true;
  const a = argsAfterColon(line);
  return ctx.form === 'read' && a?.length === 1 && a[0]!.kind === 'number';
}

/** `+CIPRXGET`: answers the test form, the read form (first line, one field), and the mode asked for in the set form. */
export function ciprxgetResponse(line: string, ctx: UrcContext): boolean {
  if (ctx.form === 'test') return true;
  const a = argsAfterColon(line);
  if (!a || a[0]?.kind !== 'number') return false;
  if (ctx.form === 'read') return ctx.seen === 0 && a.length === 1;
  const mode = ctx.args[0];
  return ctx.form === 'set' && mode?.kind === 'number' && mode.value >= 2 && mode.value <= 4 && a[0].value === mode.value;
}
