import { describe, expect, it } from 'vitest';
import { UsbConfigError } from './errors.ts';
import { broadcastOf, formatIpv4, formatSubnet, inSubnet, maskOf, networkOf, parseCidr, parseIpv4, specialUse } from './ipv4.ts';
import { thrownBy } from '../../core/thrown.ts';

const at = { field: 'gateway', offset: 40 };

const errorOf = (fn: () => unknown): UsbConfigError => thrownBy(fn, UsbConfigError);

describe('IPv4 parsing', () => {
  it('reads dotted quads and writes them back', () => {
    for (const s of ['0.0.0.0', '192.168.1.50', '10.0.0.1', '255.255.255.255', '172.16.254.3']) expect(formatIpv4(parseIpv4(s, at))).toBe(s);
    expect(parseIpv4('192.168.1.50', at)).toBe(0xc0a80132);
  });

  it('names the field and the offset of the offending character', () => {
    const cases: [string, number, RegExp][] = [
      ['192.168.1', 49, /expected '\.' after part 3 .* got the end/],
      ['192.168.1.256', 50, /256 is above 255 \(part 4/],
      ['192.168.01.1', 48, /'01' has a leading zero/],
      ['192.168..1', 48, /expected a number 0\.\.255 \(part 3 of 4/],
      ['192.168.1.1.5', 51, /unexpected '\.' after the 4 parts/],
      ['192.168.1.x', 50, /expected a number .* got 'x'/],
      [' 192.168.1.1', 40, /got ' '/],
      ['1921.168.1.1', 40, /1921 is above 255/],
      ['', 40, /got the end/],
    ];
    for (const [text, offset, message] of cases) {
      const e = errorOf(() => parseIpv4(text, at));
      expect(e.field, text).toBe('gateway');
      expect(e.offset, text).toBe(offset);
      expect(e.reason).toBe('invalid-field');
      expect(e.message, text).toMatch(message);
      expect(e.message).toContain(`field 'gateway' at offset ${offset}: `);
    }
  });

  it('reads an address with its prefix length within limits', () => {
    expect(parseCidr('192.168.1.50/24', at)).toEqual({ address: 0xc0a80132, prefix: 24 });
    expect(errorOf(() => parseCidr('192.168.1.50', at)).offset).toBe(52);
    const e = errorOf(() => parseCidr('192.168.1.50/31', at, { minPrefix: 8, maxPrefix: 30 }));
    expect(e.message).toMatch(/at offset 53: prefix length \/31 is outside 8\.\.30/);
    expect(errorOf(() => parseCidr('192.168.1.50/2x', at)).offset).toBe(53);
    expect(errorOf(() => parseCidr('192.168.1.500/24', at)).offset).toBe(50);
  });
});

describe('subnets', () => {
  it('computes masks, network and broadcast addresses', () => {
    expect(maskOf(24)).toBe(0xffffff00);
    expect(maskOf(0)).toBe(0);
    expect(maskOf(32)).toBe(0xffffffff);
    const a = parseIpv4('192.168.1.50', at);
    expect(formatIpv4(networkOf(a, 24))).toBe('192.168.1.0');
    expect(formatIpv4(broadcastOf(a, 24))).toBe('192.168.1.255');
    expect(formatIpv4(broadcastOf(a, 20))).toBe('192.168.15.255');
    expect(formatSubnet(a, 16)).toBe('192.168.0.0/16');
    expect(inSubnet(parseIpv4('192.168.1.1', at), a, 24)).toBe(true);
    expect(inSubnet(parseIpv4('192.168.2.1', at), a, 24)).toBe(false);
    expect(inSubnet(parseIpv4('192.168.2.1', at), a, 16)).toBe(true);
  });

  it('knows the special-purpose blocks', () => {
    const use = (s: string) => specialUse(parseIpv4(s, at));
    expect(use('127.0.0.1')).toMatch(/loopback/);
    expect(use('0.1.2.3')).toMatch(/this network/);
    expect(use('169.254.3.4')).toMatch(/link-local/);
    expect(use('224.0.0.1')).toMatch(/multicast/);
    expect(use('250.1.1.1')).toMatch(/reserved/);
    expect(use('255.255.255.255')).toMatch(/limited broadcast/);
    expect(use('8.8.8.8')).toBeUndefined();
    expect(use('10.0.0.1')).toBeUndefined();
  });
});
