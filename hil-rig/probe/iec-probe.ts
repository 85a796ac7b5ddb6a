/**
 * Asks an IEC 62056-21 meter for its identification, as a hand-held unit does before a readout:
 *
 *   300 7E1  →  /?ADDR!CRLF
 *            ←  /FLGZident CRLF        within tr (≤ 1500 ms)
 *            →  SOH B0 ETX BCC         sign-off: the meter goes back to its start
 *
 * Reaction time is measured from the last request byte sent to the first identification byte
 * (`/`), skipping an echo of the request.
 */
import type { Clock } from '../../core/clock/index.ts';
import { toPrintable } from '../../core/bytes.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import {
  decodeIdentification,
  encodeBreak,
  encodeRequest,
  Iec62056Error,
  identificationInfo,
  REACTION_TIME_MAX_MS,
  type IdentificationMessage,
} from '../../protocols/iec62056-21/index.ts';
import { identificationFrame } from '../../terminal/meter-reader/mode-c.ts';
import { exchange } from './exchange.ts';

/** What a meter said to `/?ADDR!`. */
export interface IecProbeResult {
  /** Something came back (possibly garbled). */
  answered: boolean;
  identification?: IdentificationMessage;
  /** `/LGZ5\2ZMD3104407.B32` as received (printable form). */
  text?: string;
  /** From the last request byte sent to the first identification byte. */
  reactionMs?: number;
  /** Why the answer is not a valid identification, or that none came. */
  problem?: string;
}

export interface IecProbeOptions {
  /** Wait for the first answer byte (default tr max + 500 ms = 2000 ms). */
  timeoutMs?: number;
  /** Send the sign-off after the identification (default true). */
  signOff?: boolean;
}

/** Requests the identification of the meter at `address` ('' = any meter: `/?!`). */
export async function probeIecMeter(endpoint: Endpoint, clock: Clock, address: string, o: IecProbeOptions = {}): Promise<IecProbeResult> {
  const s = endpoint.settings;
  if (s.baudRate !== 300 || s.dataBits !== 7 || s.parity !== 'even' || s.stopBits !== 1) await endpoint.update(IEC_OPENING);
  const timeoutMs = o.timeoutMs ?? REACTION_TIME_MAX_MS + 500;
  const r = await exchange(endpoint, clock, encodeRequest({ address }), {
    frame: identificationFrame,
    timeoutMs,
    interCharMs: REACTION_TIME_MAX_MS,
    label: `${endpoint.id}: identification of ${address === '' ? 'any meter' : `meter ${address}`}`,
  });
  if (!r.bytes) {
    const got = (r.partial ?? new Uint8Array()).filter((b) => b !== 0);
    const echoOnly = got.length > 0 && got[0] === 0x2f && got[1] === 0x3f && got.lastIndexOf(0x2f) === 0;
    if (got.length === 0 || echoOnly) return { answered: false, problem: `no answer within ${timeoutMs} ms` };
    return { answered: true, text: toPrintable(got), problem: `incomplete identification (${got.length} bytes)` };
  }
  const at = r.bytes.lastIndexOf(0x2f);
  const line = r.bytes.slice(at);
  const first = r.timeOf(at);
  const reactionMs = first !== undefined ? Math.max(0, first - r.sentAt) : undefined;
  const text = toPrintable(line.subarray(0, line.length - 2));
  if (o.signOff !== false) await endpoint.write(encodeBreak('0'));
  try {
    const identification = decodeIdentification(line);
    const info = identificationInfo(identification);
    const minMs = info.fastReaction ? 20 : 200;
    const early = reactionMs !== undefined && reactionMs < minMs - 5 ? `reaction ${reactionMs.toFixed(0)} ms is below tr min ${minMs} ms` : undefined;
    return { answered: true, identification, text, ...(reactionMs !== undefined ? { reactionMs } : {}), ...(early ? { problem: early } : {}) };
  } catch (err) {
    const why = err instanceof Iec62056Error ? err.message : String(err);
    return { answered: true, text, ...(reactionMs !== undefined ? { reactionMs } : {}), problem: `bad identification: ${why}` };
  }
}
