import { describe, expect, it } from 'vitest';
import { formatCommandLine, parseCommandLine, type ExtendedCommand } from '../command-line.ts';
import { QCFG_NWSCANMODE, QCFG_NWSCANMODE_SET, QIACT, QIACT_SET, QICSGP, QICSGP_SET, QIDEACT_SET } from './quectel-context.ts';

const first = (text: string): ExtendedCommand => {
  const l = parseCommandLine(text);
  if (l.kind !== 'commands' || l.commands[0]?.syntax !== 'extended') throw new Error('not extended');
  return l.commands[0];
};

describe('Quectel context', () => {
  it('AT+QICSGP set and answer', () => {
    expect(QICSGP_SET.parse(first('AT+QICSGP=1,1,"UNINET","","",1'))).toEqual({ contextId: 1, type: 1, apn: 'UNINET', user: '', password: '', auth: 1 });
    expect(QICSGP_SET.parse(first('AT+QICSGP=1'))).toEqual({ contextId: 1 });
    expect(formatCommandLine([QICSGP_SET.format({ contextId: 1, type: 1, apn: 'internet' })])).toBe('AT+QICSGP=1,1,"internet"');
    expect(QICSGP.parse('+QICSGP: 1,"UNINET","","",1')).toEqual({ type: 1, apn: 'UNINET', user: '', password: '', auth: 1 });
    expect(() => QICSGP_SET.parse(first('AT+QICSGP=17'))).toThrow(/<contextID> 17 out of range/);
    const v = { type: 3, apn: 'a', user: 'u', password: 'p', auth: 2 };
    expect(QICSGP.parse(QICSGP.format(v))).toEqual(v);
  });

  it('AT+QIACT / AT+QIDEACT and +QIACT lines', () => {
    expect(QIACT_SET.parse(first('AT+QIACT=1'))).toBe(1);
    expect(formatCommandLine([QIDEACT_SET.format(1)])).toBe('AT+QIDEACT=1');
    expect(QIACT.parse('+QIACT: 1,1,1,"10.7.157.1"')).toEqual({ contextId: 1, state: 1, type: 1, address: '10.7.157.1' });
    expect(QIACT.format({ contextId: 1, state: 1, type: 1, address: '10.7.157.1' })).toBe('+QIACT: 1,1,1,"10.7.157.1"');
  });

  it('AT+QCFG="nwscanmode"', () => {
    expect(QCFG_NWSCANMODE_SET.parse(first('AT+QCFG="nwscanmode",3,1'))).toEqual({ mode: 3, effect: 1 });
    expect(QCFG_NWSCANMODE_SET.parse(first('AT+QCFG="nwscanmode"'))).toEqual({});
    expect(formatCommandLine([QCFG_NWSCANMODE_SET.format({ mode: 0, effect: 1 })])).toBe('AT+QCFG="nwscanmode",0,1');
    expect(() => QCFG_NWSCANMODE_SET.parse(first('AT+QCFG="band",0'))).toThrow(/<item> "band"/);
    expect(QCFG_NWSCANMODE.parse('+QCFG: "nwscanmode",0')).toBe(0);
    expect(QCFG_NWSCANMODE.format(3)).toBe('+QCFG: "nwscanmode",3');
    expect(() => QCFG_NWSCANMODE.parse('+QCFG: "nwscanmode",4')).toThrow(/<scanmode> 4 out of range/);
  });
});
