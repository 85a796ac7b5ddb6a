import { describe, expect, it } from 'vitest';
import { ascii } from '../../core/bytes.ts';
import { VirtualClock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { attachModem, checkModuleName, describeModemOutput, MODEM_LINE, parseCloudAddress } from './serve.ts';
import { EchoServer } from './test-dte.ts';

function rig(o: { sim?: 'ready' | 'pin'; signalDbm?: number } = {}) {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'gsm', { settings: MODEM_LINE, id: 'gsm/dte' }, { settings: MODEM_LINE, id: 'gsm' });
  const printed: string[] = [];
  const cloud = new EchoServer();
  const set = attachModem({
    endpoint: wire.b, clock, module: 'SIM800C', dialer: new MemoryDialer(clock, cloud, 'cloud'), onTraffic: (l) => printed.push(l),
    ...(o.sim ? { sim: { state: o.sim } } : {}), ...(o.signalDbm !== undefined ? { signalDbm: o.signalDbm } : {}),
  });
  const lines = () => printed.map((l) => l.replace(/^\S+\s+\S+ \S+\s+/, '').replace(/ \(\d+ bytes.*\)$/, ''));
  return { clock, wire, set, lines };
}

describe('attachModem', () => {
  it('prints start-up URCs and each AT line both ways, and records them in the trace', async () => {
    const { clock, wire, set, lines } = rig({ sim: 'pin', signalDbm: -85 });
    await clock.runFor(5000);
    void wire.a.write(ascii('AT+CSQ\r'));
    await clock.runFor(1000);
    void wire.a.write(ascii('AT+CPIN?\r'));
    await clock.runFor(1000);
    expect(lines()).toEqual([
      'modem           → RDY', 'modem           → +CFUN: 1', 'modem           → +CPIN: SIM PIN',
      'DTE             → AT+CSQ', 'modem           → AT+CSQ', 'modem           → +CSQ: 14,0', 'modem           → OK',
      'DTE             → AT+CPIN?', 'modem           → AT+CPIN?', 'modem           → +CPIN: SIM PIN', 'modem           → OK',
    ]);
    const tx = set.trace.records.filter((r) => r.kind === 'tx');
    expect(tx.map((r) => r.from)).toEqual(['gsm/modem', 'gsm/modem', 'gsm/modem', 'gsm/dte', 'gsm/modem', 'gsm/modem', 'gsm/modem', 'gsm/dte', 'gsm/modem', 'gsm/modem', 'gsm/modem']);
    set.dispose();
  });

  it('shows a DTE line without CR after the quiet gap, and prompt data cut at Ctrl-Z', async () => {
    const { clock, wire, set, lines } = rig();
    await clock.runFor(5000);
    const before = lines().length;
    void wire.a.write(ascii('AT'));
    await clock.runFor(500);
    void wire.a.write(ascii('ab\x1a'));
    await clock.runFor(500);
    expect(lines().slice(before).filter((l) => l.startsWith('DTE'))).toEqual(['DTE             → AT', 'DTE             → ab<SUB>']);
    set.dispose();
  });

  it('rejects an unknown module', () => {
    const clock = new VirtualClock();
    const wire = new VirtualWire(clock, 'gsm', { settings: MODEM_LINE }, { settings: MODEM_LINE });
    expect(() => attachModem({ endpoint: wire.b, clock, module: 'SIM900', dialer: new MemoryDialer(clock, new EchoServer(), 'x') })).toThrow(InputError);
  });
});

describe('options', () => {
  it('parses HOST:PORT and names bad ones', () => {
    expect(parseCloudAddress('127.0.0.1:7001')).toEqual({ host: '127.0.0.1', port: 7001 });
    expect(parseCloudAddress('[::1]:80')).toEqual({ host: '::1', port: 80 });
    for (const bad of ['7001', 'host:', 'host:0', 'host:65536', 'a b:1']) expect(() => parseCloudAddress(bad)).toThrow(/--cloud: expected HOST:PORT/);
  });

  it('knows the shipped modules', () => {
    expect(checkModuleName('EC25-E')).toBe('EC25-E');
    expect(() => checkModuleName('SIM900')).toThrow(/known: .*SIM800C/);
  });

  it('describes module writes line by line', () => {
    expect(describeModemOutput(ascii('\r\n+CSQ: 14,0\r\n\r\nOK\r\n'))).toBe('+CSQ: 14,0 · OK');
    expect(describeModemOutput(ascii('\r\n> '))).toBe('> ');
    expect(describeModemOutput(ascii('\r\n'))).toBe('(line end)');
  });
});
