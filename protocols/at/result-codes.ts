/**
 * Final result codes: the V.250 set in verbose (`ATV1`) and numeric (`ATV0`) form, `+CME ERROR`
 * and `+CMS ERROR`, and the socket results that end SIMCom and Quectel socket commands
 * (`SEND OK`, `0, SEND OK`, `DATA ACCEPT:5`, `CLOSE OK`, `SHUT OK`).
 *
 * Numeric codes (SIM800 Series AT Command Manual V1.09 §2.2.25, after V.250 §6.2.6):
 * OK 0, CONNECT 1, RING 2, NO CARRIER 3, ERROR 4, NO DIALTONE 6, BUSY 7, NO ANSWER 8,
 * PROCEEDING 9. RING is unsolicited and PROCEEDING intermediate: neither ends a command.
 */
import { cmeErrorCode, cmeErrorText, cmsErrorCode, cmsErrorText } from './error-codes.ts';

/** What ended a command. `value` is a response line that itself ends its command (`AT+CIFSR`). */
export type FinalResult =
  | { kind: 'ok' }
  | { kind: 'connect'; text?: string }
  | { kind: 'no-carrier' }
  | { kind: 'error' }
  | { kind: 'no-dialtone' }
  | { kind: 'busy' }
  | { kind: 'no-answer' }
  | { kind: 'cme-error'; code?: number; text?: string }
  | { kind: 'cms-error'; code?: number; text?: string }
  | { kind: 'send-ok'; link?: number }
  | { kind: 'send-fail'; link?: number }
  | { kind: 'data-accept'; link?: number; length: number }
  | { kind: 'close-ok'; link?: number }
  | { kind: 'shut-ok' }
  | { kind: 'value'; text: string };

/** The V.250 result codes with both forms; `final` is false for RING and PROCEEDING. */
export const RESULT_CODES: readonly { verbose: string; numeric: number; final: boolean }[] = [
  { verbose: 'OK', numeric: 0, final: true },
  { verbose: 'CONNECT', numeric: 1, final: true },
  { verbose: 'RING', numeric: 2, final: false },
  { verbose: 'NO CARRIER', numeric: 3, final: true },
  { verbose: 'ERROR', numeric: 4, final: true },
  { verbose: 'NO DIALTONE', numeric: 6, final: true },
  { verbose: 'BUSY', numeric: 7, final: true },
  { verbose: 'NO ANSWER', numeric: 8, final: true },
  { verbose: 'PROCEEDING', numeric: 9, final: false },
];

const SIMPLE: Readonly<Record<string, FinalResult>> = {
  OK: { kind: 'ok' },
  'NO CARRIER': { kind: 'no-carrier' },
  ERROR: { kind: 'error' },
  'NO DIALTONE': { kind: 'no-dialtone' },
  BUSY: { kind: 'busy' },
  'NO ANSWER': { kind: 'no-answer' },
};

const NUMERIC: Readonly<Record<string, FinalResult>> = {
  '0': { kind: 'ok' },
  '1': { kind: 'connect' },
  '3': { kind: 'no-carrier' },
  '4': { kind: 'error' },
  '6': { kind: 'no-dialtone' },
  '7': { kind: 'busy' },
  '8': { kind: 'no-answer' },
};

/** True for `CONNECT` and `CONNECT <text>` (not the SIMCom socket lines `CONNECT OK` / `CONNECT FAIL`). */
export function isConnectLine(line: string): boolean {
  return line === 'CONNECT' || (line.startsWith('CONNECT ') && line !== 'CONNECT OK' && line !== 'CONNECT FAIL');
}

function errorResult(kind: 'cme-error' | 'cms-error', rest: string): FinalResult {
  const value = rest.trim();
  if (/^\d+$/.test(value)) {
    const code = Number(value);
    return { kind, code };
  }
  const code = kind === 'cme-error' ? cmeErrorCode(value) : cmsErrorCode(value);
  return code === undefined ? { kind, text: value } : { kind, code, text: value };
}

/**
 * Recognises a verbose final result code of V.250 / 27.007 / 27.005 (`OK`, `CONNECT[ <text>]`,
 * `NO CARRIER`, `ERROR`, `NO DIALTONE`, `BUSY`, `NO ANSWER`, `+CME ERROR: <n|text>`,
 * `+CMS ERROR: <n|text>`). Returns undefined for any other line. The colon after
 * `+CME ERROR` is optional, as some manuals print it without.
 */
export function parseResultCode(line: string): FinalResult | undefined {
  const simple = SIMPLE[line];
  if (simple) return { ...simple };
  if (isConnectLine(line)) return line === 'CONNECT' ? { kind: 'connect' } : { kind: 'connect', text: line.slice(8) };
  const m = /^\+(CME|CMS) ERROR:? ?(.*)$/.exec(line);
  if (m) return errorResult(m[1] === 'CME' ? 'cme-error' : 'cms-error', m[2]!);
  return undefined;
}

/** Recognises a numeric (`ATV0`) final result code: `0`, `1`, `3`, `4`, `6`, `7`, `8`. */
export function parseNumericResultCode(line: string): FinalResult | undefined {
  const r = NUMERIC[line];
  return r ? { ...r } : undefined;
}

/**
 * Recognises the results that end socket commands: `SEND OK`, `SEND FAIL`, `CLOSE OK`,
 * `SHUT OK`, `DATA ACCEPT:<len>` and their multi-connection forms `<n>, SEND OK`,
 * `DATA ACCEPT:<n>,<len>` (a space after the comma or colon is optional).
 */
export function parseSocketResult(line: string): FinalResult | undefined {
  const m = /^(?:(\d+), ?)?(SEND OK|SEND FAIL|CLOSE OK)$/.exec(line);
  if (m) {
    const kind = ({ 'SEND OK': 'send-ok', 'SEND FAIL': 'send-fail', 'CLOSE OK': 'close-ok' } as const)[m[2] as 'SEND OK'];
    return m[1] === undefined ? { kind } : { kind, link: Number(m[1]) };
  }
  if (line === 'SHUT OK') return { kind: 'shut-ok' };
  const d = /^DATA ACCEPT: ?(\d+)(?:, ?(\d+))?$/.exec(line);
  if (d) return d[2] === undefined ? { kind: 'data-accept', length: Number(d[1]) } : { kind: 'data-accept', link: Number(d[1]), length: Number(d[2]) };
  return undefined;
}

/** Options for writing a result code. */
export interface ResultFormat {
  /** `ATV0`: the V.250 codes as digits. Default false (verbose). */
  numeric?: boolean;
  /**
   * `AT+CMEE`: 0 turns `+CME/+CMS ERROR` into `ERROR`, 1 writes the number, 2 the text.
   * Undefined writes what the result holds (the number when it has one).
   */
  cmee?: 0 | 1 | 2;
}

function writeError(kind: 'CME' | 'CMS', code: number | undefined, text: string | undefined, cmee: 0 | 1 | 2 | undefined): string {
  const lookupCode = kind === 'CME' ? cmeErrorCode : cmsErrorCode;
  const lookupText = kind === 'CME' ? cmeErrorText : cmsErrorText;
  const mode = cmee ?? (code !== undefined ? 1 : 2);
  if (mode === 1) return `+${kind} ERROR: ${code ?? (text === undefined ? undefined : lookupCode(text)) ?? (kind === 'CME' ? 100 : 500)}`;
  return `+${kind} ERROR: ${text ?? (code === undefined ? undefined : lookupText(code)) ?? code ?? 'unknown'}`;
}

/** The text of a result code (no framing): `OK`, `0`, `+CME ERROR: 10`, `0, SEND OK`. */
export function formatResultCode(result: FinalResult, format: ResultFormat = {}): string {
  const numeric = format.numeric === true;
  switch (result.kind) {
    case 'ok':
      return numeric ? '0' : 'OK';
    case 'connect':
      return numeric ? '1' : result.text === undefined ? 'CONNECT' : `CONNECT ${result.text}`;
    case 'no-carrier':
      return numeric ? '3' : 'NO CARRIER';
    case 'error':
      return numeric ? '4' : 'ERROR';
    case 'no-dialtone':
      return numeric ? '6' : 'NO DIALTONE';
    case 'busy':
      return numeric ? '7' : 'BUSY';
    case 'no-answer':
      return numeric ? '8' : 'NO ANSWER';
    case 'cme-error':
    case 'cms-error':
      if (format.cmee === 0) return numeric ? '4' : 'ERROR';
      return writeError(result.kind === 'cme-error' ? 'CME' : 'CMS', result.code, result.text, format.cmee);
    case 'send-ok':
    case 'send-fail':
    case 'close-ok': {
      const word = { 'send-ok': 'SEND OK', 'send-fail': 'SEND FAIL', 'close-ok': 'CLOSE OK' }[result.kind];
      return result.link === undefined ? word : `${result.link}, ${word}`;
    }
    case 'data-accept':
      return result.link === undefined ? `DATA ACCEPT:${result.length}` : `DATA ACCEPT:${result.link},${result.length}`;
    case 'shut-ok':
      return 'SHUT OK';
    case 'value':
      return result.text;
  }
}

/** True when the result reports success (OK, CONNECT, SEND OK, DATA ACCEPT, CLOSE OK, SHUT OK, a value). */
export function isSuccess(result: FinalResult): boolean {
  return ['ok', 'connect', 'send-ok', 'data-accept', 'close-ok', 'shut-ok', 'value'].includes(result.kind);
}
