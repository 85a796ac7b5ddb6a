import { describe, expect, it } from 'vitest';
import { formatCommandLine, parseCommandLine, type ExtendedCommand } from '../command-line.ts';
import { QICLOSE_SET, QIOPEN, QIOPEN_SET, QIRD, QIRD_COUNTERS, QIRD_SET, QISEND, QISEND_SET, QISTATE, QIURC, type QiUrc } from './quectel-socket.ts';

const first = (text: string): ExtendedCommand => {
  const l = parseCommandLine(text);
  if (l.kind !== 'commands' || l.commands[0]?.syntax !== 'extended') throw new Error('not extended');
  return l.commands[0];
};

describe('Quectel sockets', () => {
  it('AT+QIOPEN and its URC', () => {
    const open = QIOPEN_SET.parse(first('AT+QIOPEN=1,0,"TCP","220.180.239.212",8009,0,1'));
    expect(open).toEqual({ contextId: 1, connectId: 0, service: 'TCP', host: '220.180.239.212', remotePort: 8009, localPort: 0, accessMode: 1 });
    expect(formatCommandLine([QIOPEN_SET.format(open)])).toBe('AT+QIOPEN=1,0,"TCP","220.180.239.212",8009,0,1');
    expect(formatCommandLine([QIOPEN_SET.format({ contextId: 1, connectId: 2, service: 'UDP', host: 'h', remotePort: 9, accessMode: 2 })])).toBe('AT+QIOPEN=1,2,"UDP","h",9,0,2');
    expect(() => QIOPEN_SET.parse(first('AT+QIOPEN=1,12,"TCP","h",1'))).toThrow(/<connectID> 12 out of range/);
    expect(QIOPEN.parse('+QIOPEN: 0,0')).toEqual({ connectId: 0, err: 0 });
    expect(QIOPEN.parse('+QIOPEN: 1,566')).toEqual({ connectId: 1, err: 566 });
  });

  it('AT+QISEND forms and counters', () => {
    expect(QISEND_SET.parse(first('AT+QISEND=0'))).toEqual({ connectId: 0 });
    expect(QISEND_SET.parse(first('AT+QISEND=0,4'))).toEqual({ connectId: 0, length: 4 });
    expect(QISEND_SET.parse(first('AT+QISEND=2,10,"10.7.89.10",6969'))).toEqual({ connectId: 2, length: 10, remoteIp: '10.7.89.10', remotePort: 6969 });
    expect(formatCommandLine([QISEND_SET.format({ connectId: 0, length: 0 })])).toBe('AT+QISEND=0,0');
    expect(QISEND.parse('+QISEND: 9,9,0')).toEqual({ total: 9, acked: 9, unacked: 0 });
  });

  it('AT+QIRD, its data header and its counters', () => {
    expect(QIRD_SET.parse(first('AT+QIRD=0,1500'))).toEqual({ connectId: 0, length: 1500 });
    expect(QIRD.parse('+QIRD: 5')).toEqual({ length: 5 });
    expect(QIRD.parse('+QIRD: 4,"10.7.89.10",6969')).toEqual({ length: 4, remoteIp: '10.7.89.10', remotePort: 6969 });
    expect(() => QIRD.parse('+QIRD: 5,5,0')).toThrow(/a counters line/);
    expect(QIRD_COUNTERS.parse('+QIRD: 5,5,0')).toEqual({ total: 5, read: 5, unread: 0 });
    expect(QIRD.format({ length: 0 })).toBe('+QIRD: 0');
  });

  it('AT+QICLOSE and +QISTATE', () => {
    expect(QICLOSE_SET.parse(first('AT+QICLOSE=0'))).toEqual({ connectId: 0 });
    expect(formatCommandLine([QICLOSE_SET.format({ connectId: 1, timeout: 10 })])).toBe('AT+QICLOSE=1,10');
    const line = '+QISTATE: 0,"TCP","220.180.239.212",8009,65344,2,1,0,1,"usbmodem"';
    const state = QISTATE.parse(line);
    expect(state).toEqual({ connectId: 0, service: 'TCP', address: '220.180.239.212', remotePort: 8009, localPort: 65344, state: 2, contextId: 1, serverId: 0, accessMode: 1, atPort: 'usbmodem' });
    expect(QISTATE.format(state)).toBe(line);
  });

  it('+QIURC events', () => {
    const cases: [string, QiUrc][] = [
      ['+QIURC: "closed",0', { event: 'closed', connectId: 0 }],
      ['+QIURC: "recv",0', { event: 'recv', connectId: 0 }],
      ['+QIURC: "recv",0,5', { event: 'recv', connectId: 0, length: 5 }],
      ['+QIURC: "pdpdeact",1', { event: 'pdpdeact', contextId: 1 }],
      ['+QIURC: "incoming full"', { event: 'incoming full' }],
      ['+QIURC: "incoming",11,0,"172.31.242.222",54199', { event: 'incoming', connectId: 11, serverId: 0, remoteIp: '172.31.242.222', remotePort: 54199 }],
      ['+QIURC: "dnsgip",0,1,600', { event: 'other', name: 'dnsgip', args: [{ kind: 'number', value: 0 }, { kind: 'number', value: 1 }, { kind: 'number', value: 600 }] }],
    ];
    for (const [text, value] of cases) {
      expect(QIURC.parse(text)).toEqual(value);
      expect(QIURC.format(value)).toBe(text);
    }
    expect(() => QIURC.parse('+QIURC: "closed"')).toThrow(/1 fields/);
  });
});
