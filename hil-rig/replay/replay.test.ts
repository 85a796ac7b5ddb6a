import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { TRACE_VERSION, TraceRecorder, parseTrace } from '../../core/trace/index.ts';
import { traceTap } from '../../lines/trace-tap.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { IEC_OPENING, MODBUS_DEFAULT } from '../../lines/settings.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { findMeterProfile } from '../../emulators/meters/profile-loader.ts';
import { createModbusDevice } from '../../emulators/modbus/device.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { readModeC } from '../../terminal/meter-reader/mode-c.ts';
import type { ReadOutcome } from '../../terminal/meter-reader/outcome.ts';
import { probeModbus } from '../probe/modbus-probe.ts';
import { shippedMeterProfiles, shippedModbusProfiles } from '../profiles.ts';
import { ReplayDevice, type ReplayMode, type ReplayResult } from './replayer.ts';
import { buildReplayScript, type ReplayScript } from './script.ts';

const load = () => new SiteLoad({ baseKw: 5, peakKw: 40, powerFactor: 0.92 });

/** A terminal reading an emulated Luna meter whose readout has a wrong BCC, on an optical wire. */
async function captureWrongBcc(): Promise<{ trace: string; outcome: ReadOutcome }> {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'optical', { id: 'optical/terminal', settings: IEC_OPENING }, { id: 'optical/meter', settings: IEC_OPENING });
  const rec = new TraceRecorder();
  rec.add({ kind: 'header', version: TRACE_VERSION, clock: 'virtual', start: clock.now(), title: 'wrong BCC' });
  wire.tap(traceTap(rec));
  const profile = findMeterProfile('Luna', undefined, shippedMeterProfiles())!;
  const meter = new EmulatedMeter({ clock, endpoint: wire.b, profile, serial: profile.serialNumber.example, port: 'optical', load: load(), note: (text) => rec.add({ kind: 'note', t: clock.now(), line: 'optical', from: 'optical/meter', text }) });
  meter.inject({ kind: 'wrong-bcc' }, { count: 1 });
  const outcome = await clock.run(readModeC(wire.a, clock, { address: '' }));
  return { trace: rec.toJsonl(), outcome };
}

/** The terminal's reader against a replay of `script` on a fresh virtual wire; the replay run's own trace. */
async function replayToTerminal(script: ReplayScript, mode: ReplayMode, address = ''): Promise<{ outcome: ReadOutcome; trace: string; result: ReplayResult }> {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'optical', { id: 'optical/terminal', settings: IEC_OPENING }, { id: 'optical/meter', settings: IEC_OPENING });
  const rec = new TraceRecorder();
  rec.add({ kind: 'header', version: TRACE_VERSION, clock: 'virtual', start: clock.now(), title: 'wrong BCC' });
  wire.tap(traceTap(rec));
  const replay = new ReplayDevice({ clock, endpoint: wire.b, script, mode });
  const outcome = await clock.run(readModeC(wire.a, clock, { address }));
  await clock.runFor(100);
  const result = await replay.stop();
  return { outcome, trace: rec.toJsonl(), result };
}

describe('replay', () => {
  it("reproduces the terminal's BCC failure from a capture, the same outcome and bytes every time", async () => {
    const captured = await captureWrongBcc();
    expect(captured.outcome).toMatchObject({ ok: false, reason: 'bcc-mismatch' });
    const records = parseTrace(captured.trace, 'capture.jsonl');
    const script = buildReplayScript(records);
    expect(script).toMatchObject({ line: 'optical', protocol: 'iec', master: 'optical/terminal', devices: ['optical/meter'] });
    expect(script.exchanges.map((e) => [e.request.length, e.answer.length])).toEqual([[1, 1], [1, 1]]);
    expect(script.exchanges[1]!.answer[0]!.settings.baudRate).toBe(9600);

    const first = await replayToTerminal(script, 'strict');
    const second = await replayToTerminal(script, 'strict');
    expect(first.result).toMatchObject({ ok: true, answered: 2, exchanges: 2 });
    expect(first.outcome).toEqual(captured.outcome);
    expect(second.outcome).toEqual(first.outcome);
    expect(second.trace).toBe(first.trace);
    const bytesOf = (jsonl: string) => parseTrace(jsonl).flatMap((r) => (r.kind === 'tx' ? [`${r.from} ${r.settings} ${r.hex}`] : []));
    expect(bytesOf(first.trace)).toEqual(bytesOf(captured.trace));
    // Same clock start, same reaction times: the replayed line is the captured one to the microsecond.
    const timed = (jsonl: string) => parseTrace(jsonl).filter((r) => r.kind === 'tx');
    expect(timed(first.trace)).toEqual(timed(captured.trace));

    const tolerant = await replayToTerminal(script, 'tolerant');
    expect(tolerant.outcome).toEqual(captured.outcome);
  });

  it('stops a strict replay at the first differing request byte, naming offset and both bytes', async () => {
    const { trace } = await captureWrongBcc();
    const script = buildReplayScript(parseTrace(trace));
    const r = await replayToTerminal(script, 'strict', '70000130');
    expect(r.outcome).toMatchObject({ ok: false, reason: 'no-answer' });
    expect(r.result.ok).toBe(false);
    expect(r.result.mismatch).toMatchObject({ exchange: 0, offset: 2, expected: 0x21, got: 0x37 });
    expect(r.result.mismatch!.message).toBe('exchange 0, offset 2: expected 0x21 !, got 0x37 7');
  });

  it('answers by meaning in tolerant mode: an addressed request, and again on a retry', async () => {
    const { trace } = await captureWrongBcc();
    const script = buildReplayScript(parseTrace(trace));
    const clock = new VirtualClock();
    const wire = new VirtualWire(clock, 'optical', { id: 'optical/terminal', settings: IEC_OPENING }, { id: 'optical/meter', settings: IEC_OPENING });
    const replay = new ReplayDevice({ clock, endpoint: wire.b, script, mode: 'tolerant' });
    const a = await clock.run(readModeC(wire.a, clock, { address: '70000130' }));
    await clock.runFor(2500);
    const b = await clock.run(readModeC(wire.a, clock, { address: '70000130' }));
    expect(a).toMatchObject({ ok: false, reason: 'bcc-mismatch' });
    expect(b).toMatchObject({ ok: false, reason: 'bcc-mismatch' });
    expect(await replay.done).toMatchObject({ ok: true });
    expect((await replay.stop()).answered).toBe(4);
  });

  it('matches Modbus requests by unit, function and address, in any order', async () => {
    const clock = new VirtualClock();
    const bus = new Rs485Bus(clock, 'modbus');
    const rec = new TraceRecorder();
    bus.tap(traceTap(rec));
    const master = bus.attach('master', { settings: MODBUS_DEFAULT });
    const profile = shippedModbusProfiles().find((p) => p.model.includes('SDM630'))!;
    createModbusDevice({ profile, address: 3, endpoint: bus.attach('sdm', { settings: MODBUS_DEFAULT }), clock, load: load() });
    const captured = [];
    for (const address of [0, 12]) captured.push(await clock.run(probeModbus(master, clock, 3, { fn: 4, address, quantity: 2 })));
    const script = buildReplayScript(rec.records);
    expect(script).toMatchObject({ protocol: 'modbus', master: 'modbus/master', devices: ['modbus/sdm'] });

    const clock2 = new VirtualClock();
    const wire = new VirtualWire(clock2, 'modbus', { id: 'modbus/master', settings: MODBUS_DEFAULT }, { id: 'modbus/sdm', settings: MODBUS_DEFAULT });
    const replay = new ReplayDevice({ clock: clock2, endpoint: wire.b, script, mode: 'tolerant' });
    const r12 = await clock2.run(probeModbus(wire.a, clock2, 3, { fn: 4, address: 12, quantity: 2 }));
    const r0 = await clock2.run(probeModbus(wire.a, clock2, 3, { fn: 4, address: 0, quantity: 2 }));
    const none = await clock2.run(probeModbus(wire.a, clock2, 3, { fn: 4, address: 40, quantity: 2 }, { timeoutMs: 100 }));
    expect(r12.response).toEqual(captured[1]!.response);
    expect(r0.response).toEqual(captured[0]!.response);
    expect(r0.reactionMs).toBeCloseTo(captured[0]!.reactionMs!, 6);
    expect(none.answered).toBe(false);
    const result = await replay.stop();
    expect(result).toMatchObject({ ok: true, answered: 2, unmatched: ['unit 3 function 4 address 40'] });
  });

  it('refuses a trace without transmissions or with an unknown line', () => {
    expect(() => buildReplayScript([{ kind: 'header', version: TRACE_VERSION, clock: 'real', start: 0 }], { file: 'x.jsonl' })).toThrow('x.jsonl: the trace has no transmissions');
    const records = [
      { kind: 'tx' as const, t: 0, end: 1, line: 'a', from: 'a/m', hex: '00', settings: '9600 8N1' },
      { kind: 'tx' as const, t: 2, end: 3, line: 'b', from: 'b/m', hex: '00', settings: '9600 8N1' },
    ];
    expect(() => buildReplayScript(records)).toThrow(/several lines; name one with --line \(a: 1 records, b: 1 records\)/);
    expect(() => buildReplayScript(records, { line: 'c' })).toThrow(/no transmissions on line "c"/);
  });
});
