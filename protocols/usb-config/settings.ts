/**
 * The terminal's network settings as the configuration port reads and writes them, and their
 * validation. On the wire they are the fields of READ-NET answers and WRITE-NET requests:
 *
 *   mode=dhcp [dns=A[,B[,C]]]
 *   mode=static address=A.B.C.D/P gateway=G.H.I.J [dns=A[,B[,C]]]
 *
 * Rules (each error names the field and the offset of the offending character):
 * - `mode` is `dhcp` or `static`; with `dhcp`, `address` and `gateway` are not allowed;
 * - `address` (static): a unicast host address with a prefix length 8..30, neither the network
 *   nor the broadcast address of its subnet, not in a special-purpose block (0/8, 127/8,
 *   169.254/16, 224/4, 240/4);
 * - `gateway` (static, required: the terminal connects out to the centre through it): a unicast
 *   host address inside the address's subnet, other than the address itself;
 * - `dns` (optional): 1..3 distinct unicast addresses separated by commas; with `dhcp` they
 *   replace the servers the DHCP server offers.
 */
import { UsbConfigError } from './errors.ts';
import { broadcastOf, formatIpv4, formatSubnet, inSubnet, networkOf, parseCidr, parseIpv4, specialUse, type ValueAt } from './ipv4.ts';

/** Address from a DHCP server; `dns` (may be empty) replaces the servers it offers. */
export interface DhcpSettings {
  mode: 'dhcp';
  dns: readonly string[];
}

/** A fixed address set by hand. Addresses are canonical dotted quads. */
export interface StaticSettings {
  mode: 'static';
  address: string;
  prefix: number;
  gateway: string;
  dns: readonly string[];
}

export type NetworkSettings = DhcpSettings | StaticSettings;

/** What a terminal leaves the factory with: DHCP, the server's DNS. */
export const DEFAULT_NETWORK_SETTINGS: DhcpSettings = Object.freeze({ mode: 'dhcp', dns: Object.freeze([]) as readonly string[] });

/** Most DNS servers a terminal keeps. */
export const MAX_DNS_SERVERS = 3;
/** Prefix lengths a static address may have. */
export const PREFIX_RANGE = { minPrefix: 8, maxPrefix: 30 } as const;

/** The keys a settings line may carry, in wire order. */
export const SETTINGS_KEYS = ['mode', 'address', 'gateway', 'dns'] as const;

/** A field's text and where its value starts (offset of its first character). */
export interface FieldText {
  key: string;
  value: string;
  offset: number;
}

/**
 * Validates settings given as fields. `endOffset` is where a missing field would have been
 * (the end of the line's fields); it is the offset errors name for a missing field.
 */
export function parseNetworkSettings(fields: readonly FieldText[], endOffset: number): NetworkSettings {
  const byKey = new Map<string, FieldText>();
  for (const f of fields) {
    if (!(SETTINGS_KEYS as readonly string[]).includes(f.key)) {
      throw new UsbConfigError('invalid-field', `not a network setting; expected ${SETTINGS_KEYS.join(', ')}`, { field: f.key, offset: f.offset });
    }
    if (byKey.has(f.key)) throw new UsbConfigError('invalid-field', `given twice (first at offset ${byKey.get(f.key)!.offset})`, { field: f.key, offset: f.offset });
    byKey.set(f.key, f);
  }
  const missing = (key: string, why: string): UsbConfigError => new UsbConfigError('invalid-field', `missing; ${why}`, { field: key, offset: endOffset });
  const mode = byKey.get('mode');
  if (!mode) throw missing('mode', 'expected mode=dhcp or mode=static');
  if (mode.value !== 'dhcp' && mode.value !== 'static') throw new UsbConfigError('invalid-field', `expected 'dhcp' or 'static', got '${mode.value}'`, { field: 'mode', offset: mode.offset });
  const dnsField = byKey.get('dns');
  const dns = dnsField ? parseDnsList(dnsField.value, { field: 'dns', offset: dnsField.offset }) : [];
  if (mode.value === 'dhcp') {
    for (const key of ['address', 'gateway']) {
      const f = byKey.get(key);
      if (f) throw new UsbConfigError('invalid-field', 'not used with mode=dhcp (the DHCP server gives it); remove it or use mode=static', { field: key, offset: f.offset });
    }
    return { mode: 'dhcp', dns };
  }
  const addrField = byKey.get('address');
  if (!addrField) throw missing('address', 'mode=static needs address=A.B.C.D/P');
  const addrAt = { field: 'address', offset: addrField.offset };
  const { address, prefix } = parseCidr(addrField.value, addrAt, PREFIX_RANGE);
  checkHost(address, prefix, addrAt, 'the address');
  const gwField = byKey.get('gateway');
  if (!gwField) throw missing('gateway', 'mode=static needs gateway=A.B.C.D (the router the terminal reaches the centre through)');
  const gwAt = { field: 'gateway', offset: gwField.offset };
  const gateway = parseIpv4(gwField.value, gwAt);
  if (!inSubnet(gateway, address, prefix)) {
    throw new UsbConfigError('invalid-field', `${formatIpv4(gateway)} is outside the subnet ${formatSubnet(address, prefix)} of address ${formatIpv4(address)}/${prefix}`, gwAt);
  }
  checkHost(gateway, prefix, gwAt, 'the gateway');
  if (gateway === address) throw new UsbConfigError('invalid-field', `${formatIpv4(gateway)} is the terminal's own address`, gwAt);
  return { mode: 'static', address: formatIpv4(address), prefix, gateway: formatIpv4(gateway), dns };
}

function checkHost(ip: number, prefix: number, at: ValueAt, what: string): void {
  const special = specialUse(ip);
  if (special) throw new UsbConfigError('invalid-field', `${formatIpv4(ip)} ${special}; ${what} must be an ordinary unicast address`, at);
  if (ip === networkOf(ip, prefix)) throw new UsbConfigError('invalid-field', `${formatIpv4(ip)} is the network address of ${formatSubnet(ip, prefix)}, not a host address`, at);
  if (ip === broadcastOf(ip, prefix)) throw new UsbConfigError('invalid-field', `${formatIpv4(ip)} is the broadcast address of ${formatSubnet(ip, prefix)}, not a host address`, at);
}

/** Parses `A[,B[,C]]`: 1..3 distinct unicast addresses. */
export function parseDnsList(text: string, at: ValueAt): string[] {
  const out: string[] = [];
  let start = 0;
  for (;;) {
    const comma = text.indexOf(',', start);
    const end = comma < 0 ? text.length : comma;
    const itemAt = { field: at.field, offset: at.offset + start };
    if (out.length === MAX_DNS_SERVERS) {
      throw new UsbConfigError('invalid-field', `more than ${MAX_DNS_SERVERS} DNS servers`, itemAt);
    }
    const ip = parseIpv4(text.slice(start, end), itemAt);
    const special = specialUse(ip);
    if (special) throw new UsbConfigError('invalid-field', `${formatIpv4(ip)} ${special}; a DNS server must be an ordinary unicast address`, itemAt);
    const s = formatIpv4(ip);
    if (out.includes(s)) throw new UsbConfigError('invalid-field', `${s} is listed twice`, itemAt);
    out.push(s);
    if (comma < 0) return out;
    start = comma + 1;
  }
}

/** The settings as wire fields, in wire order (`dns` left out when empty). */
export function networkSettingsFields(s: NetworkSettings): { key: string; value: string }[] {
  const out: { key: string; value: string }[] = [{ key: 'mode', value: s.mode }];
  if (s.mode === 'static') out.push({ key: 'address', value: `${s.address}/${s.prefix}` }, { key: 'gateway', value: s.gateway });
  if (s.dns.length) out.push({ key: 'dns', value: s.dns.join(',') });
  return out;
}

/**
 * Validates settings held as a value (read back from flash, built by a program): every rule of
 * `parseNetworkSettings`, errors naming the field (offsets count from the field's value).
 * Returns the canonical form.
 */
export function checkNetworkSettings(raw: unknown): NetworkSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new UsbConfigError('invalid-field', 'expected an object with mode, address, prefix, gateway, dns', { field: 'settings' });
  const o = raw as Record<string, unknown>;
  const fields: FieldText[] = [];
  const str = (key: string, v: unknown): string => {
    if (typeof v !== 'string') throw new UsbConfigError('invalid-field', `expected a string, got ${JSON.stringify(v) ?? typeof v}`, { field: key });
    return v;
  };
  for (const key of Object.keys(o)) {
    if (!['mode', 'address', 'prefix', 'gateway', 'dns'].includes(key)) throw new UsbConfigError('invalid-field', 'not a network setting', { field: key });
  }
  if (o['mode'] !== undefined) fields.push({ key: 'mode', value: str('mode', o['mode']), offset: 0 });
  if (o['address'] !== undefined) {
    const p = o['prefix'];
    if (typeof p !== 'number' || !Number.isInteger(p)) throw new UsbConfigError('invalid-field', `expected a whole prefix length, got ${JSON.stringify(p) ?? 'nothing'}`, { field: 'prefix' });
    fields.push({ key: 'address', value: `${str('address', o['address'])}/${p}`, offset: 0 });
  } else if (o['prefix'] !== undefined) throw new UsbConfigError('invalid-field', 'given without an address', { field: 'prefix' });
  if (o['gateway'] !== undefined) fields.push({ key: 'gateway', value: str('gateway', o['gateway']), offset: 0 });
  if (o['dns'] !== undefined) {
    const d = o['dns'];
    if (!Array.isArray(d)) throw new UsbConfigError('invalid-field', 'expected a list of addresses', { field: 'dns' });
    if (d.length) fields.push({ key: 'dns', value: d.map((x, i) => str(`dns[${i}]`, x)).join(','), offset: 0 });
  }
  return parseNetworkSettings(fields, 0);
}

/** Whether two settings say the same (compared in canonical form). */
export function sameNetworkSettings(a: NetworkSettings, b: NetworkSettings): boolean {
  const fa = networkSettingsFields(a);
  const fb = networkSettingsFields(b);
  return fa.length === fb.length && fa.every((f, i) => f.key === fb[i]!.key && f.value === fb[i]!.value);
}

/** One line for people: `static 192.168.1.50/24 via 192.168.1.1, DNS 192.168.1.1`. */
export function describeNetworkSettings(s: NetworkSettings): string {
  const dns = s.dns.length ? `, DNS ${s.dns.join(', ')}` : '';
  return s.mode === 'dhcp' ? `DHCP${dns || ', DNS from the server'}` : `static ${s.address}/${s.prefix} via ${s.gateway}${dns}`;
}
