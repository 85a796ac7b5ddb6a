/**
 * Requests: what the configuration program sends to the terminal's USB port.
 *
 *   >7 IDENTIFY*HHHH
 *   >8 READ-NET*HHHH
 *   >9 WRITE-NET mode=static address=192.168.1.50/24 gateway=192.168.1.1 dns=192.168.1.1*HHHH
 *   >10 STATUS*HHHH
 *   >11 RESTART*HHHH
 *
 * A request's seq is 1..65535 (0 is kept for answers to lines whose seq could not be read);
 * the answer repeats it. Requests are strict: an unknown verb, an extra word or a field the
 * command does not take is an error naming its offset.
 */
import { UsbConfigError } from './errors.ts';
import { formatLine, parseLine } from './line.ts';
import { networkSettingsFields, parseNetworkSettings, type NetworkSettings } from './settings.ts';

/** Verb of each command on the wire. */
export const VERBS = {
  identify: 'IDENTIFY',
  'read-net': 'READ-NET',
  'write-net': 'WRITE-NET',
  status: 'STATUS',
  restart: 'RESTART',
} as const;

export type UsbCommand = keyof typeof VERBS;

export type UsbRequest =
  | { seq: number; command: 'identify' }
  | { seq: number; command: 'read-net' }
  | { seq: number; command: 'write-net'; settings: NetworkSettings }
  | { seq: number; command: 'status' }
  | { seq: number; command: 'restart' };

/** The command a verb names, or undefined. */
export function commandOfVerb(verb: string): UsbCommand | undefined {
  for (const [c, v] of Object.entries(VERBS)) if (v === verb) return c as UsbCommand;
  return undefined;
}

/** Request line with CRC and CR LF. */
export function encodeRequest(r: UsbRequest): Uint8Array {
  if (r.seq < 1) throw new RangeError(`request sequence number ${r.seq}: expected 1..65535`);
  return formatLine('>', r.seq, [VERBS[r.command]], r.command === 'write-net' ? networkSettingsFields(r.settings) : []);
}

/**
 * Decodes one request line (with or without CR LF); `base` is added to every offset.
 * Throws a `UsbConfigError`; once the seq and verb were read, the error carries them so that
 * the answer can name them.
 */
export function decodeRequest(line: Uint8Array, base = 0): UsbRequest {
  const p = parseLine(line, base);
  const at = { seq: p.seq, ...(p.words[0] ? { verb: p.words[0].text } : {}) };
  if (p.lead !== '>') throw new UsbConfigError('syntax', `expected '>' (a request) at offset ${base}, got '${p.lead}'`, { offset: base, ...at });
  if (p.seq === 0) throw new UsbConfigError('syntax', `sequence number 0 at offset ${base + 1}: requests use 1..65535`, { offset: base + 1, ...at });
  const verb = p.words[0];
  if (!verb) throw new UsbConfigError('syntax', `expected a command after the sequence number at offset ${p.fields[0] ? p.fields[0].offset : p.end}`, { offset: p.fields[0]?.offset ?? p.end, ...at });
  const extra = p.words[1];
  if (extra) throw new UsbConfigError('syntax', `unexpected word '${extra.text}' at offset ${extra.offset}: a request has one command`, { offset: extra.offset, ...at });
  const command = commandOfVerb(verb.text);
  if (!command) {
    throw new UsbConfigError('unknown-command', `unknown command '${verb.text}' at offset ${verb.offset}; expected one of ${Object.values(VERBS).join(', ')}`, { offset: verb.offset, ...at });
  }
  if (command === 'write-net') {
    try {
      return { seq: p.seq, command, settings: parseNetworkSettings(p.fields, p.end) };
    } catch (err) {
      if (err instanceof UsbConfigError) {
        err.seq = p.seq;
        err.verb = verb.text;
      }
      throw err;
    }
  }
  const f = p.fields[0];
  if (f) throw new UsbConfigError('invalid-field', `${verb.text} takes no fields`, { field: f.key, offset: f.offset, ...at });
  return { seq: p.seq, command };
}
