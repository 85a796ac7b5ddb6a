import { describe, expect, it } from 'vitest';
import { CME, CME_ERRORS, CMS_ERRORS, cmeErrorCode, cmeErrorText, cmsErrorCode, cmsErrorText } from './error-codes.ts';
import { RESULT_CODES, formatResultCode, isConnectLine, isSuccess, parseNumericResultCode, parseResultCode, parseSocketResult, type FinalResult } from './result-codes.ts';

describe('final result codes', () => {
  it('reads the verbose V.250 set', () => {
    expect(parseResultCode('OK')).toEqual({ kind: 'ok' });
    expect(parseResultCode('ERROR')).toEqual({ kind: 'error' });
    expect(parseResultCode('NO CARRIER')).toEqual({ kind: 'no-carrier' });
    expect(parseResultCode('NO DIALTONE')).toEqual({ kind: 'no-dialtone' });
    expect(parseResultCode('BUSY')).toEqual({ kind: 'busy' });
    expect(parseResultCode('NO ANSWER')).toEqual({ kind: 'no-answer' });
    expect(parseResultCode('CONNECT')).toEqual({ kind: 'connect' });
    expect(parseResultCode('CONNECT 115200')).toEqual({ kind: 'connect', text: '115200' });
    expect(parseResultCode('RING')).toBeUndefined();
    expect(parseResultCode('OK ')).toBeUndefined();
    expect(parseResultCode('ok')).toBeUndefined();
  });

  it('does not take the SIMCom socket lines for CONNECT', () => {
    expect(isConnectLine('CONNECT OK')).toBe(false);
    expect(isConnectLine('CONNECT FAIL')).toBe(false);
    expect(parseResultCode('CONNECT OK')).toBeUndefined();
    expect(parseResultCode('0, CONNECT OK')).toBeUndefined();
  });

  it('reads +CME ERROR and +CMS ERROR as numbers or texts', () => {
    expect(parseResultCode('+CME ERROR: 10')).toEqual({ kind: 'cme-error', code: 10 });
    expect(parseResultCode('+CME ERROR: SIM not inserted')).toEqual({ kind: 'cme-error', code: 10, text: 'SIM not inserted' });
    expect(parseResultCode('+CME ERROR: something new')).toEqual({ kind: 'cme-error', text: 'something new' });
    expect(parseResultCode('+CMS ERROR: 500')).toEqual({ kind: 'cms-error', code: 500 });
    expect(parseResultCode('+CME ERROR 3')).toEqual({ kind: 'cme-error', code: 3 });
  });

  it('reads numeric codes for ATV0, never RING or PROCEEDING', () => {
    expect(parseNumericResultCode('0')).toEqual({ kind: 'ok' });
    expect(parseNumericResultCode('4')).toEqual({ kind: 'error' });
    expect(parseNumericResultCode('2')).toBeUndefined();
    expect(parseNumericResultCode('9')).toBeUndefined();
    expect(parseNumericResultCode('00')).toBeUndefined();
    expect(RESULT_CODES.find((c) => c.verbose === 'NO ANSWER')?.numeric).toBe(8);
  });

  it('reads socket results with and without a link number', () => {
    expect(parseSocketResult('SEND OK')).toEqual({ kind: 'send-ok' });
    expect(parseSocketResult('0, SEND OK')).toEqual({ kind: 'send-ok', link: 0 });
    expect(parseSocketResult('3,SEND FAIL')).toEqual({ kind: 'send-fail', link: 3 });
    expect(parseSocketResult('CLOSE OK')).toEqual({ kind: 'close-ok' });
    expect(parseSocketResult('1, CLOSE OK')).toEqual({ kind: 'close-ok', link: 1 });
    expect(parseSocketResult('SHUT OK')).toEqual({ kind: 'shut-ok' });
    expect(parseSocketResult('DATA ACCEPT:10')).toEqual({ kind: 'data-accept', length: 10 });
    expect(parseSocketResult('DATA ACCEPT: 0,10')).toEqual({ kind: 'data-accept', link: 0, length: 10 });
    expect(parseSocketResult('SEND OKAY')).toBeUndefined();
  });

  it('writes verbose and numeric forms, and +CME ERROR per AT+CMEE', () => {
    expect(formatResultCode({ kind: 'ok' })).toBe('OK');
    expect(formatResultCode({ kind: 'ok' }, { numeric: true })).toBe('0');
    expect(formatResultCode({ kind: 'no-answer' }, { numeric: true })).toBe('8');
    const sim: FinalResult = { kind: 'cme-error', code: 10 };
    expect(formatResultCode(sim, { cmee: 0 })).toBe('ERROR');
    expect(formatResultCode(sim, { cmee: 0, numeric: true })).toBe('4');
    expect(formatResultCode(sim, { cmee: 1 })).toBe('+CME ERROR: 10');
    expect(formatResultCode(sim, { cmee: 2 })).toBe('+CME ERROR: SIM not inserted');
    expect(formatResultCode({ kind: 'cme-error', text: 'SIM PIN required' }, { cmee: 1 })).toBe('+CME ERROR: 11');
    expect(formatResultCode({ kind: 'cms-error', code: 330 }, { cmee: 2 })).toBe('+CMS ERROR: SMSC address unknown');
    expect(formatResultCode({ kind: 'send-ok', link: 2 })).toBe('2, SEND OK');
    expect(formatResultCode({ kind: 'data-accept', link: 0, length: 5 })).toBe('DATA ACCEPT:0,5');
  });

  it('round-trips every result through format and parse', () => {
    const all: FinalResult[] = [
      { kind: 'ok' },
      { kind: 'connect' },
      { kind: 'connect', text: '9600' },
      { kind: 'no-carrier' },
      { kind: 'error' },
      { kind: 'no-dialtone' },
      { kind: 'busy' },
      { kind: 'no-answer' },
      { kind: 'cme-error', code: 14 },
      { kind: 'cms-error', code: 302 },
    ];
    for (const r of all) expect(parseResultCode(formatResultCode(r))).toEqual(r);
    for (const r of all.filter((x) => !x.kind.endsWith('-error') && !(x.kind === 'connect' && x.text))) expect(parseNumericResultCode(formatResultCode(r, { numeric: true }))).toEqual(r);
    const socket: FinalResult[] = [{ kind: 'send-ok' }, { kind: 'send-fail', link: 4 }, { kind: 'close-ok', link: 0 }, { kind: 'shut-ok' }, { kind: 'data-accept', length: 7 }, { kind: 'data-accept', link: 1, length: 7 }];
    for (const r of socket) expect(parseSocketResult(formatResultCode(r))).toEqual(r);
  });

  it('says which results are successes', () => {
    expect(isSuccess({ kind: 'ok' })).toBe(true);
    expect(isSuccess({ kind: 'send-ok' })).toBe(true);
    expect(isSuccess({ kind: 'send-fail' })).toBe(false);
    expect(isSuccess({ kind: 'cme-error', code: 3 })).toBe(false);
  });
});

describe('error code tables', () => {
  it('holds the common 27.007 and 27.005 codes', () => {
    expect(cmeErrorText(3)).toBe('operation not allowed');
    expect(cmeErrorText(4)).toBe('operation not supported');
    expect(cmeErrorText(11)).toBe('SIM PIN required');
    expect(cmeErrorText(12)).toBe('SIM PUK required');
    expect(cmeErrorText(13)).toBe('SIM failure');
    expect(cmeErrorText(14)).toBe('SIM busy');
    expect(cmeErrorText(15)).toBe('SIM wrong');
    expect(cmeErrorText(16)).toBe('incorrect password');
    expect(cmeErrorText(30)).toBe('no network service');
    expect(cmeErrorText(100)).toBe('unknown');
    expect(cmeErrorText(566)).toBe('socket connect failed');
    expect(cmsErrorText(500)).toBe('unknown error');
    expect(cmsErrorText(310)).toBe('SIM not inserted');
    expect(CME.SIM_NOT_INSERTED).toBe(10);
  });

  it('finds codes by text regardless of case and dashes', () => {
    expect(cmeErrorCode('sim not inserted')).toBe(10);
    expect(cmeErrorCode('Network not allowed, emergency calls only')).toBe(32);
    expect(cmeErrorCode('operation not allowed')).toBe(3);
    expect(cmsErrorCode('SMSC address unknown')).toBe(330);
    expect(cmeErrorCode('no such thing')).toBeUndefined();
  });

  it('maps every code back from its text (first code of a repeated text)', () => {
    for (const [code, text] of CME_ERRORS) {
      expect(CME_ERRORS.get(cmeErrorCode(text)!)).toBe(text);
      expect(cmeErrorCode(text)! <= code).toBe(true);
    }
    for (const [code, text] of CMS_ERRORS) expect(cmsErrorCode(text)! <= code).toBe(true);
  });
});
