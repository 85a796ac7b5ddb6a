import { describe, expect, it } from 'vitest';
import { formatCommandLine, parseCommandLine, type ExtendedCommand } from '../command-line.ts';
import { CIFSR, CIP_CONNECTION, CIP_STATE, CIP_STATES, CSTT, CSTT_SET, isIpv4 } from './simcom-bearer.ts';

const first = (text: string): ExtendedCommand => {
  const l = parseCommandLine(text);
  if (l.kind !== 'commands' || l.commands[0]?.syntax !== 'extended') throw new Error('not extended');
  return l.commands[0];
};

describe('SIMCom bearer', () => {
  it('AT+CSTT and its read answer', () => {
    expect(CSTT_SET.parse(first('AT+CSTT="CMNET"'))).toEqual({ apn: 'CMNET' });
    expect(CSTT_SET.parse(first('AT+CSTT="internet","user","pass"'))).toEqual({ apn: 'internet', user: 'user', password: 'pass' });
    expect(formatCommandLine([CSTT_SET.format({ apn: 'CMNET' })])).toBe('AT+CSTT="CMNET"');
    expect(CSTT.parse('+CSTT: "CMNET","",""')).toEqual({ apn: 'CMNET', user: '', password: '' });
    expect(CSTT.format({ apn: 'CMNET' })).toBe('+CSTT: "CMNET","",""');
  });

  it('AT+CIFSR address', () => {
    expect(CIFSR.parse('10.78.245.128')).toBe('10.78.245.128');
    expect(() => CIFSR.parse('10.78.245.256')).toThrow(/expected a dotted IPv4 address/);
    expect(() => CIFSR.parse('ERROR')).toThrow(/AT\+CIFSR address "ERROR"/);
    expect(isIpv4('0.0.0.0')).toBe(true);
    expect(isIpv4('1.2.3')).toBe(false);
  });

  it('STATE: and C: lines of AT+CIPSTATUS', () => {
    expect(CIP_STATE.parse('STATE: IP INITIAL')).toBe('IP INITIAL');
    expect(CIP_STATE.parse('STATE: CONNECT OK')).toBe('CONNECT OK');
    expect(() => CIP_STATE.parse('STATE: IP NOWHERE')).toThrow(/unknown state "IP NOWHERE" at offset 7/);
    for (const s of CIP_STATES) expect(CIP_STATE.parse(CIP_STATE.format(s))).toBe(s);
    expect(CIP_CONNECTION.parse('C: 0,0,"TCP","116.228.221.51","8500","CONNECTED"')).toEqual({ link: 0, bearer: 0, protocol: 'TCP', address: '116.228.221.51', port: '8500', state: 'CONNECTED' });
    expect(CIP_CONNECTION.parse('C: 1,,"","","","INITIAL"')).toEqual({ link: 1, state: 'INITIAL' });
    expect(CIP_CONNECTION.format({ link: 1, state: 'INITIAL' })).toBe('C: 1,,"","","","INITIAL"');
  });
});
