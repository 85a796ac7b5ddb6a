import { describe, expect, it } from 'vitest';
import { parseCommandLine, type ExtendedCommand } from '../command-line.ts';
import { formatCommandLine } from '../command-line.ts';
import { CGATT, CGDCONT, CGDCONT_SET, CGPADDR } from './packet-domain.ts';

const cmd = (text: string): ExtendedCommand => {
  const line = parseCommandLine(text);
  if (line.kind !== 'commands' || line.commands[0]?.syntax !== 'extended') throw new Error('not an extended command');
  return line.commands[0];
};

describe('packet domain', () => {
  it('+CGATT', () => {
    expect(CGATT.parse('+CGATT: 1')).toBe(true);
    expect(CGATT.parse('+CGATT: 0')).toBe(false);
    expect(CGATT.format(true)).toBe('+CGATT: 1');
    expect(() => CGATT.parse('+CGATT: 2')).toThrow(/<state> 2 out of range/);
  });

  it('+CGDCONT lines (SIM800 and EC25 shapes)', () => {
    expect(CGDCONT.parse('+CGDCONT: 1,"IP","CMNET","0.0.0.0",0,0')).toEqual({ cid: 1, pdpType: 'IP', apn: 'CMNET', address: '0.0.0.0', dataCompression: 0, headerCompression: 0 });
    const ec25 = CGDCONT.parse('+CGDCONT: 1,"IPV4V6","internet","0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",0,0,0,0');
    expect(ec25).toMatchObject({ cid: 1, pdpType: 'IPV4V6', apn: 'internet', extra: [{ kind: 'number', value: 0 }, { kind: 'number', value: 0 }] });
    expect(CGDCONT.format(ec25)).toBe('+CGDCONT: 1,"IPV4V6","internet","0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0",0,0,0,0');
  });

  it('AT+CGDCONT=… for both sides', () => {
    expect(CGDCONT_SET.parse(cmd('AT+CGDCONT=1,"IP","internet"'))).toEqual({ cid: 1, pdpType: 'IP', apn: 'internet' });
    expect(formatCommandLine([CGDCONT_SET.format({ cid: 1, pdpType: 'IP', apn: 'm2m.example' })])).toBe('AT+CGDCONT=1,"IP","m2m.example"');
    expect(() => CGDCONT_SET.parse(cmd('AT+CGDCONT?'))).toThrow(/expected the set form/);
    expect(() => CGDCONT_SET.parse(cmd('AT+CGATT=1'))).toThrow(/is not \+CGDCONT/);
  });

  it('+CGPADDR with quoted, bare and no addresses', () => {
    expect(CGPADDR.parse('+CGPADDR: 1,"10.7.116.155"')).toEqual({ cid: 1, addresses: ['10.7.116.155'] });
    expect(CGPADDR.parse('+CGPADDR: 1, "10.36.130.148"')).toEqual({ cid: 1, addresses: ['10.36.130.148'] });
    expect(CGPADDR.parse('+CGPADDR: 1,10.0.0.2')).toEqual({ cid: 1, addresses: ['10.0.0.2'] });
    expect(CGPADDR.parse('+CGPADDR: 2')).toEqual({ cid: 2, addresses: [] });
    expect(CGPADDR.parse(CGPADDR.format({ cid: 1, addresses: ['10.0.0.1', 'fe80::1'] }))).toEqual({ cid: 1, addresses: ['10.0.0.1', 'fe80::1'] });
  });
});
