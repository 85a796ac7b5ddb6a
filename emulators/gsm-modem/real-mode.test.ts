import { describe, expect, it } from 'vitest';
import { fromAscii } from '../../core/bytes.ts';
import { RealClock } from '../../core/clock/index.ts';
import { TcpDialer, listenTcp } from '../../lines/net/tcp-link.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { createModem } from './create-modem.ts';
import { EchoServer, TestDte } from './test-dte.ts';

describe('real mode', () => {
  it('on a real clock (20× fast), sockets go through a TcpDialer to a TCP echo server', async () => {
    const clock = new RealClock({ scale: 20 });
    const cloud = new EchoServer();
    const server = await listenTcp(cloud);
    const settings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;
    const wire = new VirtualWire(clock, 'gsm', { settings }, { settings });
    const modem = createModem({ profile: 'SIM800C', endpoint: wire.b, clock, dialer: new TcpDialer('127.0.0.1', server.port) });
    const dte = new TestDte(clock, wire.a, 'simcom');
    try {
      await clock.sleep(9000);
      await dte.command('AT+CIPRXGET=1');
      await dte.command('AT+CIPSTART="TCP","cloud.example.com",5000');
      await dte.waitUrc(/^CONNECT OK$/, 20_000);
      expect((await dte.command('AT+CIPSEND=4', { data: 'real', ctrlZ: false })).finalText).toBe('SEND OK');
      await dte.waitUrc(/^\+CIPRXGET: 1$/, 20_000);
      expect(fromAscii((await dte.command('AT+CIPRXGET=2,10')).data[0]!)).toBe('real');
      expect(modem.counters.perTechnology.gsm.payloadReceived).toBe(4);
    } finally {
      modem.dispose();
      await server.close();
    }
  });
});
