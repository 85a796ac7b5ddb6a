import { describe, expect, it } from 'vitest';
import { formatCommandLine, parseCommandLine, type ExtendedCommand } from '../command-line.ts';
import { CMGS, CMGS_SET, CMTI } from './sms.ts';

const first = (text: string): ExtendedCommand => {
  const l = parseCommandLine(text);
  if (l.kind !== 'commands' || l.commands[0]?.syntax !== 'extended') throw new Error('not extended');
  return l.commands[0];
};

describe('SMS', () => {
  it('+CMGS answer', () => {
    expect(CMGS.parse('+CMGS: 12')).toEqual({ mr: 12 });
    expect(CMGS.parse('+CMGS: 7,"24/01/01,10:00:00+12"')).toEqual({ mr: 7, scts: '24/01/01,10:00:00+12' });
    expect(() => CMGS.parse('+CMGS: 256')).toThrow(/<mr> 256 out of range/);
    expect(CMGS.parse(CMGS.format({ mr: 255 }))).toEqual({ mr: 255 });
  });

  it('AT+CMGS="<da>"[,<toda>]', () => {
    expect(CMGS_SET.parse(first('AT+CMGS="+905551234567",145'))).toEqual({ address: '+905551234567', toda: 145 });
    expect(formatCommandLine([CMGS_SET.format({ address: '05551234567' })])).toBe('AT+CMGS="05551234567"');
  });

  it('+CMTI indication', () => {
    expect(CMTI.parse('+CMTI: "SM",3')).toEqual({ mem: 'SM', index: 3 });
    expect(CMTI.format({ mem: 'ME', index: 0 })).toBe('+CMTI: "ME",0');
  });
});
