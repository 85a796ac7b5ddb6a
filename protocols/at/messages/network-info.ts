/**
 * Serving network reports of the 4G modules:
 *
 * ```
 *   Quectel AT+QNWINFO   +QNWINFO: "FDD LTE","46011","LTE BAND 3",1825     (or +QNWINFO: No Service)
 *   SIMCom  AT+CPSI?     +CPSI: LTE,Online,460-11,0x5A1E,187214780,257,EUTRAN-BAND3,1850,5,5,-94,-850,-545,15
 *                        +CPSI: GSM,Online,460-00,0x182d,12401,27 EGSM 900,-64,2110,42-42
 *                        +CPSI: NO SERVICE,Online
 * ```
 * CPSI LTE fields: MCC-MNC, TAC, SCellID, PCellID, band, EARFCN, DL/UL bandwidth, RSRQ, RSRP,
 * RSSI, RSSNR; GSM fields: MCC-MNC, LAC, cell id, "ARFCN band", RxLev (dBm), track LO adjust,
 * C1-C2. Signal values are kept as the module prints them (SIM7600 firmware prints RSRQ, RSRP
 * and RSSI in tenths of a dB; older firmware prints levels).
 */
import { AtError } from '../errors.ts';
import { Fields, line, n, q, b, type ResponseCodec } from './codec.ts';

/** `+QNWINFO`: access technology, operator (MCC+MNC), band and channel, or no service. */
export type NetworkInfo = { noService: true } | { noService?: false; act: string; oper: string; band: string; channel: number };

/** `+QNWINFO: "FDD LTE","46011","LTE BAND 3",1825` ⇄ `NetworkInfo`. */
export const QNWINFO: ResponseCodec<NetworkInfo> = {
  prefix: '+QNWINFO',
  parse(text) {
    const f = Fields.ofLine(text, '+QNWINFO');
    const first = f.args[0];
    if (f.length === 1 && first?.kind === 'bare' && first.text === 'No Service') return { noService: true };
    f.count(4);
    return { act: f.str(0, 'Act'), oper: f.str(1, 'oper'), band: f.str(2, 'band'), channel: f.int(3, 'channel', 0) };
  },
  format(v) {
    if (v.noService === true) return '+QNWINFO: No Service';
    return line('+QNWINFO', [q(v.act), q(v.oper), q(v.band), n(v.channel)]);
  },
};

/** A GSM serving cell of `+CPSI`. */
export interface CpsiGsm {
  mcc: string;
  mnc: string;
  lac: number;
  cellId: number;
  /** Absolute RF channel and band as printed (`27 EGSM 900`). */
  arfcnBand: string;
  rxLev: number;
  trackLoAdjust: number;
  /** `C1-C2` as printed (`42-42`). */
  c1c2: string;
}

/** An LTE serving cell of `+CPSI`. */
export interface CpsiLte {
  mcc: string;
  mnc: string;
  tac: number;
  cellId: number;
  pcid: number;
  /** `EUTRAN-BAND3`. */
  band: string;
  earfcn: number;
  dlbw: number;
  ulbw: number;
  rsrq: number;
  rsrp: number;
  rssi: number;
  rssnr: number;
}

/** `+CPSI`: the system and operation mode, then the cell (GSM or LTE), or raw fields for other systems. */
export interface Cpsi {
  systemMode: string;
  operationMode: string;
  gsm?: CpsiGsm;
  lte?: CpsiLte;
  /** The fields after the operation mode, as printed, for other systems (WCDMA, CDMA). */
  fields?: string[];
}

function plmn(f: Fields, i: number): { mcc: string; mnc: string } {
  const s = f.str(i, 'MCC-MNC');
  const m = /^(\d{3})-(\d{2,3})$/.exec(s);
  if (!m) throw new AtError('value', `+CPSI: <MCC>-<MNC> ${JSON.stringify(s)}`, { offset: f.offsetOf(i), expected: "'ddd-dd' or 'ddd-ddd'" });
  return { mcc: m[1]!, mnc: m[2]! };
}

function hexNumber(f: Fields, i: number, name: string): number {
  const s = f.str(i, name);
  if (!/^0x[0-9A-Fa-f]{1,8}$/.test(s)) throw new AtError('value', `+CPSI: <${name}> ${JSON.stringify(s)}`, { offset: f.offsetOf(i), expected: '0x and 1..8 hex digits' });
  return parseInt(s.slice(2), 16);
}

const hex = (v: number): string => `0x${v.toString(16).toUpperCase().padStart(4, '0')}`;

/** `+CPSI: LTE,Online,…` ⇄ `Cpsi`; hex LAC/TAC are written `0x` and four or more upper-case digits. */
export const CPSI: ResponseCodec<Cpsi> = {
  prefix: '+CPSI',
  parse(text) {
    const f = Fields.ofLine(text, '+CPSI').count(2, Infinity);
    const out: Cpsi = { systemMode: f.str(0, 'System Mode'), operationMode: f.str(1, 'Operation Mode') };
    if (f.length === 2) return out;
    if (out.systemMode === 'GSM') {
      f.count(9);
      out.gsm = { ...plmn(f, 2), lac: hexNumber(f, 3, 'LAC'), cellId: f.int(4, 'Cell ID', 0), arfcnBand: f.str(5, 'Absolute RF Ch Num'), rxLev: f.int(6, 'RxLev'), trackLoAdjust: f.int(7, 'Track LO Adjust'), c1c2: f.str(8, 'C1-C2') };
    } else if (out.systemMode.startsWith('LTE')) {
      f.count(14);
      out.lte = {
        ...plmn(f, 2),
        tac: hexNumber(f, 3, 'TAC'),
        cellId: f.int(4, 'SCellID', 0),
        pcid: f.int(5, 'PCellID', 0, 503),
        band: f.str(6, 'Frequency Band'),
        earfcn: f.int(7, 'earfcn', 0),
        dlbw: f.int(8, 'dlbw'),
        ulbw: f.int(9, 'ulbw'),
        rsrq: f.int(10, 'RSRQ'),
        rsrp: f.int(11, 'RSRP'),
        rssi: f.int(12, 'RSSI'),
        rssnr: f.int(13, 'RSSNR'),
      };
    } else {
      out.fields = f.args.slice(2).map((a, k) => (a.kind === 'empty' ? '' : f.str(k + 2, 'field')));
    }
    return out;
  },
  format(v) {
    const head = [b(v.systemMode), b(v.operationMode)];
    if (v.gsm) {
      const g = v.gsm;
      return line('+CPSI', [...head, b(`${g.mcc}-${g.mnc}`), b(hex(g.lac)), n(g.cellId), b(g.arfcnBand), n(g.rxLev), n(g.trackLoAdjust), b(g.c1c2)]);
    }
    if (v.lte) {
      const l = v.lte;
      return line('+CPSI', [...head, b(`${l.mcc}-${l.mnc}`), b(hex(l.tac)), n(l.cellId), n(l.pcid), b(l.band), n(l.earfcn), n(l.dlbw), n(l.ulbw), n(l.rsrq), n(l.rsrp), n(l.rssi), n(l.rssnr)]);
    }
    return line('+CPSI', [...head, ...(v.fields ?? []).map((s) => (s === '' ? { kind: 'empty' as const } : b(s)))]);
  },
};
