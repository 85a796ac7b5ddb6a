import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { ascii } from '../../core/bytes.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { IEC_OPENING, MODBUS_DEFAULT, type LineSettings } from '../../lines/settings.ts';
import { describeTraceRecord } from '../../protocols/describe-trace.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { findMeterProfile } from '../../emulators/meters/profile-loader.ts';
import { createModbusDevice } from '../../emulators/modbus/device.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { readModeC } from '../../terminal/meter-reader/mode-c.ts';
import { probeModbus } from '../probe/modbus-probe.ts';
import { shippedMeterProfiles, shippedModbusProfiles } from '../profiles.ts';
import { formatSniffLine, Sniffer } from './sniffer.ts';

const load = () => new SiteLoad({ baseKw: 5, peakKw: 40, powerFactor: 0.92 });
const zmr = () => findMeterProfile('Landis', 'ZMR120AC', shippedMeterProfiles())!;

describe('sniff', () => {
  it('records an IEC readout through a listen-only drop, follows the baud switch, and the trace decodes', async () => {
    const clock = new VirtualClock();
    const bus = new Rs485Bus(clock, 'rs485');
    const terminal = bus.attach('terminal', { settings: IEC_OPENING });
    const profile = zmr();
    new EmulatedMeter({ clock, endpoint: bus.attach('meter', { settings: IEC_OPENING }), profile, serial: profile.serialNumber.example, port: 'rs485', load: load() });
    const listen = bus.attach('sniffer', { settings: IEC_OPENING });
    const lines: string[] = [];
    const sniffer = new Sniffer({ clock, line: 'rs485', protocol: 'iec', listen: [listen], onFrame: (f) => lines.push(formatSniffLine(f)) });
    const out = await clock.run(readModeC(terminal, clock, { address: '' }));
    expect(out.ok).toBe(true);
    await clock.runFor(3000);
    await sniffer.stop();
    expect(sniffer.frames.map((f) => [f.from, f.text.replace(/, ident.*/, '')])).toEqual([
      ['rs485/reader', 'request (no address)'],
      ['rs485/meter', 'identification LGZ, 9600 baud (mode C)'],
      ['rs485/reader', 'option select: normal protocol, 9600 baud, data readout'],
      ['rs485/meter', expect.stringMatching(/^readout, \d+ lines, \d+ data sets$/)],
    ]);
    expect(sniffer.frames.map((f) => f.settings.baudRate)).toEqual([300, 300, 300, 9600]);
    expect(listen.settings.baudRate).toBe(300);
    expect(lines[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3}  rs485  reader  →  300 7E1   request \(no address\) \(5 bytes\)$/);
    const records = sniffer.records();
    expect(records[0]).toMatchObject({ kind: 'header', clock: 'virtual' });
    const notes = records.filter((r) => r.kind === 'note').map((r) => (r.kind === 'note' ? r.text : ''));
    expect(notes).toEqual(['option select asks 9600 baud: following at 9600 baud', 'the readout ended: following at 300 baud']);
    const described = records.flatMap((r) => (r.kind === 'tx' ? [describeTraceRecord(r)] : []));
    expect(described[3]).toMatch(/^readout/);
  });

  it('relays between the terminal and the meter, both ways, and records each side', async () => {
    const clock = new VirtualClock();
    const t = new VirtualWire(clock, 'optical', { id: 'optical/terminal', settings: IEC_OPENING }, { id: 'optical/relay-t', settings: IEC_OPENING });
    const m = new VirtualWire(clock, 'optical', { id: 'optical/relay-m', settings: IEC_OPENING }, { id: 'optical/meter', settings: IEC_OPENING });
    const profile = zmr();
    new EmulatedMeter({ clock, endpoint: m.b, profile, serial: profile.serialNumber.example, port: 'optical', load: load() });
    const sniffer = new Sniffer({ clock, line: 'optical', protocol: 'iec', between: { master: t.b, device: m.a } });
    const out = await clock.run(readModeC(t.a, clock, { address: '' }));
    if (!out.ok) throw new Error(out.detail);
    expect(out.identification.flag).toBe('LGZ');
    await sniffer.stop();
    expect(sniffer.frames.map((f) => f.from)).toEqual(['optical/reader', 'optical/meter', 'optical/reader', 'optical/meter']);
    expect(sniffer.frames[3]!.settings.baudRate).toBe(9600);
    expect(m.a.settings.baudRate).toBe(300);
  });

  it('cuts Modbus frames at t3.5 on a shared line and tells request from answer', async () => {
    const clock = new VirtualClock();
    const bus = new Rs485Bus(clock, 'modbus');
    const master = bus.attach('master', { settings: MODBUS_DEFAULT });
    const profile = shippedModbusProfiles().find((p) => p.model.includes('SDM630'))!;
    createModbusDevice({ profile, address: 3, endpoint: bus.attach('sdm', { settings: MODBUS_DEFAULT }), clock, load: load() });
    const sniffer = new Sniffer({ clock, line: 'modbus', listen: [bus.attach('sniffer', { settings: MODBUS_DEFAULT })] });
    for (const address of [0, 12]) {
      const r = await clock.run(probeModbus(master, clock, 3, { fn: 4, address, quantity: 2 }));
      expect(r.answered).toBe(true);
    }
    await clock.run(probeModbus(master, clock, 9, { fn: 3, address: 0, quantity: 1 }, { timeoutMs: 50 }));
    await clock.runFor(100);
    await sniffer.stop();
    expect(sniffer.detected).toBe('modbus');
    expect(sniffer.frames.map((f) => [f.from, f.text.replace(/:.*/, '')])).toEqual([
      ['modbus/master', 'slave 3 read input 30001+2 (2 regs)'],
      ['modbus/slave', 'slave 3 → 2 regs'],
      ['modbus/master', 'slave 3 read input 30013+2 (2 regs)'],
      ['modbus/slave', 'slave 3 → 2 regs'],
      ['modbus/master', 'slave 9 read holding 40001+1 (1 reg)'],
    ]);
  });

  it('takes one direction per adapter with two listen-only ports (AT on RS-232)', async () => {
    const clock = new VirtualClock();
    const tx = fakeEndpoint('rs232/tx', { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 });
    const rx = fakeEndpoint('rs232/rx', tx.settings);
    const sniffer = new Sniffer({ clock, line: 'modem', protocol: 'auto', listen: [tx, rx] });
    const at = (ep: FakeEndpoint, text: string) => {
      const now = clock.now();
      ep.emit({ bytes: ascii(text), start: now - text.length * 0.087, end: now });
    };
    at(tx, 'AT+CSQ\r');
    await clock.runFor(30);
    at(rx, '\r\n+CSQ: 17,0\r\n\r\nOK\r\n');
    await clock.runFor(30);
    await sniffer.stop();
    expect(sniffer.frames.map((f) => [f.from, f.text])).toEqual([
      ['modem/dte', 'AT+CSQ'],
      ['modem/dce', '+CSQ: 17,0 | OK'],
    ]);
  });
});

type FakeEndpoint = Endpoint & { emit(c: RxChunk): void };

/** An endpoint that only delivers what a test hands it. */
function fakeEndpoint(id: string, settings: LineSettings): FakeEndpoint {
  const listeners = new Set<(c: RxChunk) => void>();
  return {
    id, line: id, settings, closed: false,
    write: async () => {},
    update: async () => {},
    onData: (l) => (listeners.add(l), () => listeners.delete(l)),
    incomingUntil: () => 0,
    close: async () => {},
    emit: (c) => {
      for (const l of listeners) l(c);
    },
  };
}
