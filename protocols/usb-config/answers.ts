/**
 * Answers: what the terminal sends back, one per request, repeating its seq and verb.
 *
 *   <7 OK IDENTIFY model="HT E21" modem=21000001 firmware=1.0.0 mac=02:48:54:41:0e:a1*HHHH
 *   <8 OK READ-NET mode=dhcp applied=yes*HHHH
 *   <9 OK WRITE-NET applied=no*HHHH
 *   <10 OK STATUS link=up source=dhcp address=192.168.1.100/24 gateway=192.168.1.1 dns=192.168.1.1 route=yes lease=3540 applied=yes*HHHH
 *   <11 OK RESTART in=500*HHHH
 *   <9 ERR WRITE-NET code=invalid-field field=gateway offset=41 text="10.0.0.1 is outside …"*HHHH
 *   <0 ERR - code=checksum text="CRC mismatch at offset 30: got 0x1234, computed 0xabcd"*HHHH
 *
 * `applied=no` says the stored settings differ from those in use: they take effect at the next
 * restart. Readers of answers ignore fields they do not know (a newer terminal may add some).
 */
import { UsbConfigError, type UsbConfigErrorReason } from './errors.ts';
import { parseCidr, parseIpv4, formatIpv4, type ValueAt } from './ipv4.ts';
import { formatLine, parseLine } from './line.ts';
import { commandOfVerb, VERBS, type UsbCommand } from './requests.ts';
import { networkSettingsFields, parseDnsList, parseNetworkSettings, SETTINGS_KEYS, type FieldText, type NetworkSettings } from './settings.ts';

/** What IDENTIFY answers. */
export interface TerminalIdentity {
  /** `HT E21` */
  model: string;
  /** The modem number (the terminal's serial number, as on the label and the cloud). */
  modemNo: string;
  firmware: string;
  /** Ethernet MAC address, `02:48:54:41:0e:a1`. */
  mac: string;
}

/** What STATUS answers: the interface as it is now. */
export interface NetworkStatus {
  /** Carrier on the Ethernet port. */
  link: 'up' | 'down';
  /** How the address in use was obtained; `none` while there is none. */
  source: 'dhcp' | 'static' | 'none';
  address?: string;
  prefix?: number;
  gateway?: string;
  dns: readonly string[];
  /** Whether the gateway answered the last check (`unknown` before one ran). */
  route: 'yes' | 'no' | 'unknown';
  /** Seconds left on the DHCP lease. */
  leaseS?: number;
  /** The stored settings are the ones in use (false: a restart is needed). */
  applied: boolean;
  /** Why the terminal cannot reach the centre now, in words. */
  problem?: string;
}

/** The codes of ERR answers: the codec's reasons, and the terminal's own failures. */
export type UsbErrorCode = UsbConfigErrorReason | 'storage' | 'busy';
const ERROR_CODES: readonly UsbErrorCode[] = ['too-long', 'syntax', 'checksum', 'unknown-command', 'invalid-field', 'storage', 'busy'];

export interface UsbErrorAnswer {
  seq: number;
  ok: false;
  /** The command refused; undefined when the line could not be read that far. */
  command: UsbCommand | undefined;
  code: UsbErrorCode;
  field?: string;
  offset?: number;
  text: string;
}

export type UsbAnswer =
  | { seq: number; ok: true; command: 'identify'; identity: TerminalIdentity }
  | { seq: number; ok: true; command: 'read-net'; settings: NetworkSettings; applied: boolean }
  | { seq: number; ok: true; command: 'write-net'; applied: boolean }
  | { seq: number; ok: true; command: 'status'; status: NetworkStatus }
  | { seq: number; ok: true; command: 'restart'; inMs: number }
  | UsbErrorAnswer;

/** The ERR answer to a request that failed to decode (seq 0 when its seq was not read). */
export function errorAnswerFor(err: UsbConfigError): UsbErrorAnswer {
  const command = err.verb ? commandOfVerb(err.verb) : undefined;
  return {
    seq: err.seq ?? 0,
    ok: false,
    command,
    code: err.reason,
    ...(err.field !== undefined ? { field: err.field } : {}),
    ...(err.offset !== undefined ? { offset: err.offset } : {}),
    text: err.problem,
  };
}

const yesNo = (b: boolean) => (b ? 'yes' : 'no');

function statusFields(s: NetworkStatus): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [
    { key: 'link', value: s.link },
    { key: 'source', value: s.source },
  ];
  if (s.address !== undefined) out.push({ key: 'address', value: `${s.address}/${s.prefix ?? 32}` });
  if (s.gateway !== undefined) out.push({ key: 'gateway', value: s.gateway });
  if (s.dns.length) out.push({ key: 'dns', value: s.dns.join(',') });
  out.push({ key: 'route', value: s.route });
  if (s.leaseS !== undefined) out.push({ key: 'lease', value: String(Math.max(0, Math.floor(s.leaseS))) });
  out.push({ key: 'applied', value: yesNo(s.applied) });
  if (s.problem !== undefined) out.push({ key: 'problem', value: s.problem });
  return out;
}

/** Answer line with CRC and CR LF. */
export function encodeAnswer(a: UsbAnswer): Uint8Array {
  if (!a.ok) {
    const fields: { key: string; value: string }[] = [{ key: 'code', value: a.code }];
    if (a.field !== undefined) fields.push({ key: 'field', value: a.field });
    if (a.offset !== undefined) fields.push({ key: 'offset', value: String(a.offset) });
    fields.push({ key: 'text', value: a.text });
    return formatLine('<', a.seq, ['ERR', a.command ? VERBS[a.command] : '-'], fields);
  }
  const words = ['OK', VERBS[a.command]];
  switch (a.command) {
    case 'identify': {
      const i = a.identity;
      return formatLine('<', a.seq, words, [
        { key: 'model', value: i.model },
        { key: 'modem', value: i.modemNo },
        { key: 'firmware', value: i.firmware },
        { key: 'mac', value: i.mac },
      ]);
    }
    case 'read-net':
      return formatLine('<', a.seq, words, [...networkSettingsFields(a.settings), { key: 'applied', value: yesNo(a.applied) }]);
    case 'write-net':
      return formatLine('<', a.seq, words, [{ key: 'applied', value: yesNo(a.applied) }]);
    case 'status':
      return formatLine('<', a.seq, words, statusFields(a.status));
    case 'restart':
      return formatLine('<', a.seq, words, [{ key: 'in', value: String(Math.max(0, Math.round(a.inMs))) }]);
  }
}

/** Reads the fields of an answer by key, with errors that name the key and offset. */
class AnswerFields {
  private readonly byKey = new Map<string, FieldText>();
  constructor(
    fields: readonly FieldText[],
    private readonly end: number,
  ) {
    for (const f of fields) this.byKey.set(f.key, f);
  }
  get(key: string): FieldText | undefined {
    return this.byKey.get(key);
  }
  need(key: string): FieldText {
    const f = this.byKey.get(key);
    if (!f) throw new UsbConfigError('invalid-field', 'missing from the answer', { field: key, offset: this.end });
    return f;
  }
  oneOf<T extends string>(key: string, options: readonly T[]): T {
    const f = this.need(key);
    if (!(options as readonly string[]).includes(f.value)) throw new UsbConfigError('invalid-field', `expected ${options.join(' or ')}, got '${f.value}'`, { field: key, offset: f.offset });
    return f.value as T;
  }
  yesNo(key: string): boolean {
    return this.oneOf(key, ['yes', 'no'] as const) === 'yes';
  }
  count(key: string, max: number): number | undefined {
    const f = this.get(key);
    if (!f) return undefined;
    if (!/^\d{1,10}$/.test(f.value) || Number(f.value) > max) throw new UsbConfigError('invalid-field', `expected a whole number 0..${max}, got '${f.value}'`, { field: key, offset: f.offset });
    return Number(f.value);
  }
  at(f: FieldText): ValueAt {
    return { field: f.key, offset: f.offset };
  }
}

/** Decodes one answer line (with or without CR LF); `base` is added to every offset. */
export function decodeAnswer(line: Uint8Array, base = 0): UsbAnswer {
  const p = parseLine(line, base);
  const seq = p.seq;
  if (p.lead !== '<') throw new UsbConfigError('syntax', `expected '<' (an answer) at offset ${base}, got '${p.lead}'`, { offset: base, seq });
  const [status, verb, extra] = p.words;
  if (!status || (status.text !== 'OK' && status.text !== 'ERR')) {
    const o = status?.offset ?? p.end;
    throw new UsbConfigError('syntax', `expected OK or ERR at offset ${o}, got '${status?.text ?? ''}'`, { offset: o, seq });
  }
  if (!verb) throw new UsbConfigError('syntax', `expected the command's verb after ${status.text} at offset ${p.end}`, { offset: p.end, seq });
  if (extra) throw new UsbConfigError('syntax', `unexpected word '${extra.text}' at offset ${extra.offset}`, { offset: extra.offset, seq });
  const command = commandOfVerb(verb.text);
  const f = new AnswerFields(p.fields, p.end);
  if (status.text === 'ERR') {
    if (!command && verb.text !== '-') throw new UsbConfigError('unknown-command', `unknown command '${verb.text}' at offset ${verb.offset}`, { offset: verb.offset, seq });
    const field = f.get('field');
    const offset = f.count('offset', 0xffffffff);
    return {
      seq,
      ok: false,
      command,
      code: f.oneOf('code', ERROR_CODES),
      ...(field ? { field: field.value } : {}),
      ...(offset !== undefined ? { offset } : {}),
      text: f.need('text').value,
    };
  }
  switch (command) {
    case 'identify':
      return {
        seq,
        ok: true,
        command,
        identity: { model: f.need('model').value, modemNo: f.need('modem').value, firmware: f.need('firmware').value, mac: f.need('mac').value },
      };
    case 'read-net': {
      const settings = parseNetworkSettings(
        p.fields.filter((x) => (SETTINGS_KEYS as readonly string[]).includes(x.key)),
        p.end,
      );
      return { seq, ok: true, command, settings, applied: f.yesNo('applied') };
    }
    case 'write-net':
      return { seq, ok: true, command, applied: f.yesNo('applied') };
    case 'status':
      return { seq, ok: true, command, status: decodeStatus(f) };
    case 'restart':
      return { seq, ok: true, command, inMs: f.count('in', 3_600_000) ?? 0 };
    default:
      throw new UsbConfigError('unknown-command', `unknown command '${verb.text}' at offset ${verb.offset}`, { offset: verb.offset, seq });
  }
}

function decodeStatus(f: AnswerFields): NetworkStatus {
  const s: NetworkStatus = {
    link: f.oneOf('link', ['up', 'down'] as const),
    source: f.oneOf('source', ['dhcp', 'static', 'none'] as const),
    dns: [],
    route: f.oneOf('route', ['yes', 'no', 'unknown'] as const),
    applied: f.yesNo('applied'),
  };
  const address = f.get('address');
  if (address) {
    const c = parseCidr(address.value, f.at(address));
    s.address = formatIpv4(c.address);
    s.prefix = c.prefix;
  }
  const gateway = f.get('gateway');
  if (gateway) s.gateway = formatIpv4(parseIpv4(gateway.value, f.at(gateway)));
  const dns = f.get('dns');
  if (dns) s.dns = parseDnsList(dns.value, f.at(dns));
  const lease = f.count('lease', 0xffffffff);
  if (lease !== undefined) s.leaseS = lease;
  const problem = f.get('problem');
  if (problem) s.problem = problem.value;
  return s;
}
