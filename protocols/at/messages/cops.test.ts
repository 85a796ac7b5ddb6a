import { describe, expect, it } from 'vitest';
import { COPS, COPS_LIST, type OperatorList } from './cops.ts';

describe('+COPS', () => {
  it('reads the current operator', () => {
    expect(COPS.parse('+COPS: 0,0,"Turkcell",7')).toEqual({ mode: 0, format: 0, oper: 'Turkcell', act: 7 });
    expect(COPS.parse('+COPS: 0,2,"28601"')).toEqual({ mode: 0, format: 2, oper: '28601' });
    expect(COPS.parse('+COPS: 0')).toEqual({ mode: 0 });
    expect(COPS.format({ mode: 1, format: 2, oper: '28602', act: 0 })).toBe('+COPS: 1,2,"28602",0');
    expect(() => COPS.parse('+COPS: 5')).toThrow(/<mode> 5 out of range/);
  });

  it('reads the network list of AT+COPS=?', () => {
    const list = COPS_LIST.parse('+COPS: (2,"CHINA MOBILE","CMCC","46000",7),(3,"CHN-UNICOM","UNICOM","46001"),,(0,1,2,3,4),(0,1,2)');
    expect(list).toEqual({
      operators: [
        { stat: 2, long: 'CHINA MOBILE', short: 'CMCC', numeric: '46000', act: 7 },
        { stat: 3, long: 'CHN-UNICOM', short: 'UNICOM', numeric: '46001' },
      ],
      modes: '(0,1,2,3,4)',
      formats: '(0,1,2)',
    });
    expect(() => COPS_LIST.parse('+COPS: (2,"A","B"),,(0-4)')).toThrow(/3 fields/);
    expect(() => COPS_LIST.parse('+COPS: (2,"A","B","1"),5')).toThrow(/not a parenthesised list/);
  });

  it('round-trips both', () => {
    const list: OperatorList = { operators: [{ stat: 1, long: 'Vodafone TR', short: 'VF TR', numeric: '28602', act: 0 }], modes: '(0-4)', formats: '(0-2)' };
    expect(COPS_LIST.parse(COPS_LIST.format(list))).toEqual(list);
    expect(COPS.parse(COPS.format({ mode: 4, format: 1, oper: 'x', act: 2 }))).toEqual({ mode: 4, format: 1, oper: 'x', act: 2 });
  });
});
