import { describe, expect, it } from 'vitest';
import { CPSI, QNWINFO, type Cpsi } from './network-info.ts';

describe('serving network reports', () => {
  it('+QNWINFO', () => {
    expect(QNWINFO.parse('+QNWINFO: "FDD LTE","46011","LTE BAND 3",1825')).toEqual({ act: 'FDD LTE', oper: '46011', band: 'LTE BAND 3', channel: 1825 });
    expect(QNWINFO.parse('+QNWINFO: No Service')).toEqual({ noService: true });
    expect(QNWINFO.format({ noService: true })).toBe('+QNWINFO: No Service');
    expect(QNWINFO.format({ act: 'GSM', oper: '28601', band: 'GSM 900', channel: 62 })).toBe('+QNWINFO: "GSM","28601","GSM 900",62');
    expect(() => QNWINFO.parse('+QNWINFO: "GSM"')).toThrow(/expected 4 fields/);
  });

  it('+CPSI LTE (SIM7600)', () => {
    const v = CPSI.parse('+CPSI: LTE,Online,460-11,0x5A1E,187214780,257,EUTRAN-BAND3,1850,5,5,-94,-850,-545,15');
    expect(v).toEqual({
      systemMode: 'LTE',
      operationMode: 'Online',
      lte: { mcc: '460', mnc: '11', tac: 0x5a1e, cellId: 187214780, pcid: 257, band: 'EUTRAN-BAND3', earfcn: 1850, dlbw: 5, ulbw: 5, rsrq: -94, rsrp: -850, rssi: -545, rssnr: 15 },
    });
    expect(CPSI.format(v)).toBe('+CPSI: LTE,Online,460-11,0x5A1E,187214780,257,EUTRAN-BAND3,1850,5,5,-94,-850,-545,15');
  });

  it('+CPSI GSM and no service', () => {
    const g = CPSI.parse('+CPSI: GSM,Online,460-00,0x182d,12401,27 EGSM 900,-64,2110,42-42');
    expect(g.gsm).toEqual({ mcc: '460', mnc: '00', lac: 0x182d, cellId: 12401, arfcnBand: '27 EGSM 900', rxLev: -64, trackLoAdjust: 2110, c1c2: '42-42' });
    expect(CPSI.parse(CPSI.format(g))).toEqual(g);
    expect(CPSI.parse('+CPSI: NO SERVICE,Online')).toEqual({ systemMode: 'NO SERVICE', operationMode: 'Online' });
  });

  it('keeps other systems raw and checks the fields it types', () => {
    const w: Cpsi = CPSI.parse('+CPSI: WCDMA,Online,310-410,0xD8DF,57659107,WCDMA 850,354,4385,0,5.5,55,37,60,500');
    expect(w.fields?.[3]).toBe('WCDMA 850');
    expect(CPSI.parse(CPSI.format(w))).toEqual(w);
    expect(() => CPSI.parse('+CPSI: LTE,Online,46011,0x5A1E,1,2,B3,1,5,5,1,2,3,4')).toThrow(/<MCC>-<MNC> "46011"/);
    expect(() => CPSI.parse('+CPSI: LTE,Online,460-11,5A1E,1,2,B3,1,5,5,1,2,3,4')).toThrow(/<TAC> "5A1E"/);
    expect(() => CPSI.parse('+CPSI: LTE,Online,460-11')).toThrow(/expected 14 fields/);
  });
});
