import { describe, expect, it } from 'vitest';
import { UsbConfigError } from './errors.ts';
import { checkNetworkSettings, DEFAULT_NETWORK_SETTINGS, describeNetworkSettings, networkSettingsFields, parseNetworkSettings, sameNetworkSettings, type FieldText } from './settings.ts';
import { thrownBy } from '../../core/thrown.ts';

/** Fields as they would sit on a line `>1 WRITE-NET k=v k=v`, with real offsets. */
function fieldsOf(text: string): { fields: FieldText[]; end: number } {
  const prefix = '>1 WRITE-NET';
  let offset = prefix.length;
  const fields: FieldText[] = [];
  for (const part of text.split(' ').filter(Boolean)) {
    const eq = part.indexOf('=');
    fields.push({ key: part.slice(0, eq), value: part.slice(eq + 1), offset: offset + 1 + eq + 1 });
    offset += 1 + part.length;
  }
  return { fields, end: offset };
}

const parse = (text: string) => {
  const { fields, end } = fieldsOf(text);
  return parseNetworkSettings(fields, end);
};

function errorOf(text: string): UsbConfigError {
  return thrownBy(() => parse(text), UsbConfigError, `'${text}'`);
}

describe('network settings', () => {
  it('accepts DHCP and a static address, in canonical form', () => {
    expect(parse('mode=dhcp')).toEqual({ mode: 'dhcp', dns: [] });
    expect(parse('mode=dhcp dns=9.9.9.9')).toEqual({ mode: 'dhcp', dns: ['9.9.9.9'] });
    expect(parse('mode=static address=192.168.1.50/24 gateway=192.168.1.1 dns=192.168.1.1,8.8.8.8')).toEqual({
      mode: 'static',
      address: '192.168.1.50',
      prefix: 24,
      gateway: '192.168.1.1',
      dns: ['192.168.1.1', '8.8.8.8'],
    });
    expect(parse('gateway=10.1.255.254 address=10.1.2.3/16 mode=static')).toMatchObject({ address: '10.1.2.3', prefix: 16, gateway: '10.1.255.254' });
  });

  it('rejects a bad value naming the field and the offset of the bad character', () => {
    // offsets:  >1 WRITE-NET mode=static address=192.168.1.50/24 gateway=192.168.1.1
    //           0         1         2         3         4         5
    //           012345678901234567890123456789012345678901234567890123456789
    const cases: [string, string, number, RegExp][] = [
      ['mode=fixed', 'mode', 18, /expected 'dhcp' or 'static', got 'fixed'/],
      ['mode=static address=192.168.1.50/24 gateway=10.0.0.1', 'gateway', 57, /10\.0\.0\.1 is outside the subnet 192\.168\.1\.0\/24 of address 192\.168\.1\.50\/24/],
      ['mode=static address=192.168.1.50/24 gateway=192.168.1.50', 'gateway', 57, /own address/],
      ['mode=static address=192.168.1.50/24 gateway=192.168.1.255', 'gateway', 57, /broadcast address of 192\.168\.1\.0\/24/],
      ['mode=static address=192.168.1.0/24 gateway=192.168.1.1', 'address', 33, /network address of 192\.168\.1\.0\/24/],
      ['mode=static address=127.0.0.5/8 gateway=127.0.0.1', 'address', 33, /loopback/],
      ['mode=static address=192.168.1.50/31 gateway=192.168.1.51', 'address', 46, /prefix length \/31 is outside 8\.\.30/],
      ['mode=static address=192.168.1.50/24 gateway=192.168.1.300', 'gateway', 67, /300 is above 255/],
      ['mode=static address=192.168.1.50/24 gateway=192.168.1.1 dns=8.8.8.8,8.8.4', 'dns', 86, /expected '\.' after part 3/],
      ['mode=static address=192.168.1.50/24 gateway=192.168.1.1 dns=8.8.8.8,8.8.8.8', 'dns', 81, /listed twice/],
      ['mode=dhcp dns=1.1.1.1,8.8.8.8,9.9.9.9,8.8.4.4', 'dns', 51, /more than 3 DNS servers/],
      ['mode=dhcp dns=224.0.0.9', 'dns', 27, /multicast/],
      ['mode=dhcp address=192.168.1.50/24', 'address', 31, /not used with mode=dhcp/],
      ['mode=static address=192.168.1.50/24', 'gateway', 48, /missing; mode=static needs gateway/],
      ['mode=static gateway=192.168.1.1', 'address', 44, /missing; mode=static needs address/],
      ['address=192.168.1.50/24', 'mode', 36, /missing/],
      ['mode=dhcp colour=red', 'colour', 30, /not a network setting/],
      ['mode=dhcp mode=dhcp', 'mode', 28, /given twice \(first at offset 18\)/],
    ];
    for (const [text, field, offset, message] of cases) {
      const e = errorOf(text);
      expect({ text, field: e.field, offset: e.offset }).toEqual({ text, field, offset });
      expect(e.message, text).toMatch(message);
      expect(e.detail.startsWith(`field '${field}' at offset ${offset}: `), e.detail).toBe(true);
    }
  });

  it('checks a value read back from storage, naming the field', () => {
    expect(checkNetworkSettings({ mode: 'static', address: '10.2.3.4', prefix: 8, gateway: '10.0.0.1', dns: [] })).toEqual({ mode: 'static', address: '10.2.3.4', prefix: 8, gateway: '10.0.0.1', dns: [] });
    expect(checkNetworkSettings({ mode: 'dhcp' })).toEqual(DEFAULT_NETWORK_SETTINGS);
    expect(() => checkNetworkSettings({ mode: 'static', address: '10.2.3.4', gateway: '10.0.0.1' })).toThrow(/field 'prefix': expected a whole prefix length/);
    expect(() => checkNetworkSettings({ mode: 'static', address: '10.2.3.4', prefix: 8, gateway: '11.0.0.1' })).toThrow(/field 'gateway' at offset 0: 11\.0\.0\.1 is outside/);
    expect(() => checkNetworkSettings({ mode: 'dhcp', dns: ['1.1.1.1', 7] })).toThrow(/field 'dns\[1\]': expected a string/);
    expect(() => checkNetworkSettings({ mode: 'dhcp', speed: 100 })).toThrow(/field 'speed': not a network setting/);
    expect(() => checkNetworkSettings('dhcp')).toThrow(/field 'settings': expected an object/);
    expect(() => checkNetworkSettings(null)).toThrow(UsbConfigError);
  });

  it('compares and describes settings', () => {
    const a = parse('mode=static address=192.168.1.50/24 gateway=192.168.1.1');
    expect(sameNetworkSettings(a, checkNetworkSettings({ ...a }))).toBe(true);
    expect(sameNetworkSettings(a, DEFAULT_NETWORK_SETTINGS)).toBe(false);
    expect(sameNetworkSettings(a, { ...a, dns: ['1.1.1.1'] })).toBe(false);
    expect(describeNetworkSettings(a)).toBe('static 192.168.1.50/24 via 192.168.1.1');
    expect(describeNetworkSettings(DEFAULT_NETWORK_SETTINGS)).toBe('DHCP, DNS from the server');
    expect(networkSettingsFields({ mode: 'dhcp', dns: ['1.1.1.1', '9.9.9.9'] })).toEqual([
      { key: 'mode', value: 'dhcp' },
      { key: 'dns', value: '1.1.1.1,9.9.9.9' },
    ]);
  });
});
