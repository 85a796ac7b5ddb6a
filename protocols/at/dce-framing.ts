/**
 * How a DCE frames what it sends (V.250 §5.7, `ATV`; SIM800 Series AT Command Manual V1.09
 * §2.2.25; 3GPP TS 27.005 §3.5.1 for the prompt):
 *
 * ```
 *  ATV1 (verbose, default)                    ATV0 (numeric)
 *  information   <CR><LF>+CSQ: 17,0<CR><LF>   +CSQ: 17,0<CR><LF>
 *  result code   <CR><LF>OK<CR><LF>           0<CR>
 *  URC           <CR><LF>RING<CR><LF>         RING<CR><LF>
 *  prompt        <CR><LF>> (CR LF '>' ' ', no line end; the same in both modes)
 * ```
 *
 * Several lines of one information response share the leading `<CR><LF>` and each ends with
 * `<CR><LF>`. CR is S3 and LF is S4. Result codes that have no number (`+CME ERROR: 10`,
 * `SEND OK`) keep their text in numeric mode and end with S3. `ATQ1` suppresses result codes.
 */
import { ascii, concatBytes } from '../../core/bytes.ts';
import { formatResultCode, type FinalResult, type ResultFormat } from './result-codes.ts';

/** The DCE settings that shape its output. */
export interface DceFraming {
  /** `ATV1` (true, default) or `ATV0`. */
  verbose?: boolean;
  /** S3, the line terminator (default 13). */
  s3?: number;
  /** S4, the response formatting character (default 10). */
  s4?: number;
}

function eol(f: DceFraming): string {
  return String.fromCharCode(f.s3 ?? 0x0d, f.s4 ?? 0x0a);
}

/** Information text lines (one response, or one URC when given a single line). */
export function frameInformation(lines: readonly string[], f: DceFraming = {}): Uint8Array {
  if (lines.length === 0) return new Uint8Array(0);
  const e = eol(f);
  const body = lines.join(e) + e;
  return ascii(f.verbose === false ? body : e + body);
}

/** An unsolicited result code: framed like one line of information text. */
export function frameUrc(text: string, f: DceFraming = {}): Uint8Array {
  return frameInformation([text], f);
}

/** A final result code; empty when `quiet` (`ATQ1`). */
export function frameResult(result: FinalResult, f: DceFraming & ResultFormat & { quiet?: boolean } = {}): Uint8Array {
  if (f.quiet === true) return new Uint8Array(0);
  const verbose = f.verbose !== false;
  const text = formatResultCode(result, { numeric: !verbose, ...(f.cmee === undefined ? {} : { cmee: f.cmee }) });
  if (verbose) return ascii(eol(f) + text + eol(f));
  return ascii(text + String.fromCharCode(f.s3 ?? 0x0d));
}

/** The data prompt of `AT+CMGS`, `AT+CIPSEND`, `AT+QISEND`: `<CR><LF>> `. */
export function framePrompt(f: DceFraming = {}): Uint8Array {
  return ascii(`${eol(f)}> `);
}

/**
 * A response line followed by raw bytes. `inline` (SIMCom `+IPD,<len>:`) puts the bytes right
 * after the header; otherwise the header ends with `<CR><LF>` (`+QIRD: 5`, `+CIPRXGET: 2,…`,
 * `+QIURC: "recv",0,5`) and `trailer` (default true) adds a `<CR><LF>` after the bytes.
 */
export function frameDataBlock(header: string, data: Uint8Array, f: DceFraming & { inline?: boolean; trailer?: boolean } = {}): Uint8Array {
  const e = eol(f);
  const lead = f.verbose === false ? '' : e;
  if (f.inline === true) return concatBytes([ascii(lead + header), data]);
  return concatBytes([ascii(lead + header + e), data, ascii(f.trailer === false ? '' : e)]);
}

/** Information lines then a final result, as one write. */
export function frameResponse(lines: readonly string[], result: FinalResult | undefined, f: DceFraming & ResultFormat & { quiet?: boolean } = {}): Uint8Array {
  return concatBytes([frameInformation(lines, f), result === undefined ? new Uint8Array(0) : frameResult(result, f)]);
}

/** What a DCE with echo on sends back for a command line it received: the line and S3. */
export function frameEcho(line: string, f: DceFraming = {}): Uint8Array {
  return ascii(line + String.fromCharCode(f.s3 ?? 0x0d));
}
