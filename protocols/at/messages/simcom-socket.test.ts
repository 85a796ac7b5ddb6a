import { describe, expect, it } from 'vitest';
import { formatCommandLine, parseCommandLine, type ExtendedCommand } from '../command-line.ts';
import { CIPSEND_SIZE, CIPSTART, RECEIVE_HEADER, SIMCOM_SOCKET_EVENT, cipClose, cipRxGet, cipRxGetLine, cipSend } from './simcom-socket.ts';

const first = (text: string): ExtendedCommand => {
  const l = parseCommandLine(text);
  if (l.kind !== 'commands' || l.commands[0]?.syntax !== 'extended') throw new Error('not extended');
  return l.commands[0];
};

describe('SIMCom sockets', () => {
  it('AT+CIPSTART, single and multi-IP, port quoted or not', () => {
    expect(CIPSTART.parse(first('AT+CIPSTART="TCP","116.228.221.51","8500"'))).toEqual({ protocol: 'TCP', host: '116.228.221.51', port: 8500 });
    expect(CIPSTART.parse(first('AT+CIPSTART=0,"UDP","example.com",53'))).toEqual({ link: 0, protocol: 'UDP', host: 'example.com', port: 53 });
    expect(formatCommandLine([CIPSTART.format({ link: 2, protocol: 'TCP', host: 'h', port: 80 })])).toBe('AT+CIPSTART=2,"TCP","h",80');
    expect(() => CIPSTART.parse(first('AT+CIPSTART="SCTP","h",1'))).toThrow(/one of "TCP", "UDP"/);
    expect(() => CIPSTART.parse(first('AT+CIPSTART="TCP","h","99999"'))).toThrow(/<port> is not 0\.\.65535/);
  });

  it('AT+CIPSEND in both modes', () => {
    expect(cipSend(false).parse(first('AT+CIPSEND'))).toEqual({});
    expect(cipSend(false).parse(first('AT+CIPSEND=5'))).toEqual({ length: 5 });
    expect(cipSend(true).parse(first('AT+CIPSEND=1,5'))).toEqual({ link: 1, length: 5 });
    expect(cipSend(true).parse(first('AT+CIPSEND=1'))).toEqual({ link: 1 });
    expect(formatCommandLine([cipSend(false).format({})])).toBe('AT+CIPSEND');
    expect(formatCommandLine([cipSend(true).format({ link: 0, length: 10 })])).toBe('AT+CIPSEND=0,10');
    expect(() => cipSend(true).format({ length: 1 })).toThrow(/needs a link number/);
    expect(CIPSEND_SIZE.parse('+CIPSEND: 1460')).toEqual({ size: 1460 });
    expect(CIPSEND_SIZE.parse('+CIPSEND: 0,1460')).toEqual({ link: 0, size: 1460 });
  });

  it('AT+CIPCLOSE', () => {
    expect(cipClose(false).parse(first('AT+CIPCLOSE'))).toEqual({});
    expect(cipClose(false).parse(first('AT+CIPCLOSE=1'))).toEqual({ quick: 1 });
    expect(cipClose(true).parse(first('AT+CIPCLOSE=3,0'))).toEqual({ link: 3, quick: 0 });
    expect(formatCommandLine([cipClose(true).format({ link: 3 })])).toBe('AT+CIPCLOSE=3');
  });

  it('AT+CIPRXGET requests and answers', () => {
    expect(cipRxGet(false).parse(first('AT+CIPRXGET=2,1460'))).toEqual({ mode: 2, length: 1460 });
    expect(cipRxGet(true).parse(first('AT+CIPRXGET=2,0,1460'))).toEqual({ mode: 2, link: 0, length: 1460 });
    expect(cipRxGet(true).parse(first('AT+CIPRXGET=1'))).toEqual({ mode: 1 });
    expect(formatCommandLine([cipRxGet(true).format({ mode: 3, link: 1, length: 100 })])).toBe('AT+CIPRXGET=3,1,100');
    expect(cipRxGetLine(false).parse('+CIPRXGET: 2,5,0')).toEqual({ mode: 2, length: 5, remaining: 0 });
    expect(cipRxGetLine(true).parse('+CIPRXGET: 2,0,5,10,"1.2.3.4:80"')).toEqual({ mode: 2, link: 0, length: 5, remaining: 10, remote: '1.2.3.4:80' });
    expect(cipRxGetLine(true).parse('+CIPRXGET: 1,0')).toEqual({ mode: 1, link: 0 });
    expect(cipRxGetLine(false).parse('+CIPRXGET: 1')).toEqual({ mode: 1 });
    expect(cipRxGetLine(false).parse('+CIPRXGET: 4,12')).toEqual({ mode: 4, length: 12 });
    expect(() => cipRxGetLine(false).parse('+CIPRXGET: 2,5')).toThrow(/<cnflength> is missing/);
    for (const v of [{ mode: 2, link: 1, length: 3, remaining: 0 }, { mode: 4, link: 0, length: 0 }, { mode: 1, link: 5 }]) {
      expect(cipRxGetLine(true).parse(cipRxGetLine(true).format(v))).toEqual(v);
    }
  });

  it('socket events and receive headers', () => {
    expect(SIMCOM_SOCKET_EVENT.parse('CONNECT OK')).toEqual({ event: 'connect-ok' });
    expect(SIMCOM_SOCKET_EVENT.parse('0, CONNECT OK')).toEqual({ link: 0, event: 'connect-ok' });
    expect(SIMCOM_SOCKET_EVENT.parse('1,ALREADY CONNECT')).toEqual({ link: 1, event: 'already-connect' });
    expect(SIMCOM_SOCKET_EVENT.parse('2, CLOSED')).toEqual({ link: 2, event: 'closed' });
    expect(SIMCOM_SOCKET_EVENT.parse('REMOTE IP: 10.0.0.9')).toEqual({ event: 'remote-ip', address: '10.0.0.9' });
    expect(SIMCOM_SOCKET_EVENT.format({ link: 0, event: 'connect-fail' })).toBe('0, CONNECT FAIL');
    expect(() => SIMCOM_SOCKET_EVENT.parse('CONNECT')).toThrow(/not a socket event/);
    expect(RECEIVE_HEADER.parse('+RECEIVE,1,5:')).toEqual({ link: 1, length: 5 });
    expect(RECEIVE_HEADER.parse('+IPD,5:')).toEqual({ length: 5 });
    expect(RECEIVE_HEADER.format({ link: 0, length: 3 })).toBe('+RECEIVE,0,3:');
  });
});
