/**
 * Every fault of the emulated Modbus devices (emulators/modbus/faults.ts) against the terminal's
 * master and poller, with the outcome the terminal defines for it (terminal/modbus/README.md).
 */
import { describe, expect, it } from 'vitest';
import { decodeRegisters, encodeRegisters } from '../../protocols/modbus-rtu/index.ts';
import { validateRecordBody } from '../../protocols/uplink/records.ts';
import { mismatches, ModbusRig, registerSet, steadyLoad } from './modbus-rig.ts';

const relaySet = registerSet('compensation-relay');
const sdmSet = registerSet('analyzer', 'Eastron SDM630');

/** A relay on 147 and an SDM630 on 1, both declared. */
function site() {
  const rig = new ModbusRig();
  const load = steadyLoad(50, 0.85);
  const relay = rig.device('grup-arge/screenless-compensation-relay', { serial: '2024010347', load });
  const sdm = rig.device('Eastron SDM630', { address: 1, load: relay.siteLoad });
  rig.declare([
    { address: 147, type: 'compensation-relay', port: 'rs485', set: relaySet },
    { address: 1, type: 'analyzer', port: 'rs485', set: sdmSet },
  ]);
  return { rig, relay, sdm };
}

describe('emulated Modbus faults, as the terminal sees them', () => {
  it('no-answer: retried; if every try goes unanswered the device is reported not answering, once', async () => {
    const { rig, relay, sdm } = site();
    relay.addFault({ kind: 'no-answer' }, { count: 1 });
    await rig.period();
    expect(rig.readings(147)[0]!.missing).toBeUndefined(); // the second try was answered
    expect(relay.received).toHaveLength(8);
    relay.addFault({ kind: 'no-answer' }, { count: 3 });
    await rig.period();
    expect(rig.readings(147)[1]!.missing).toEqual({ reason: 'no-answer', text: 'slave 147 read holding 40001+3 (3 regs): no answer within 1000 ms (3 tries); 6 not sent' });
    expect(rig.readings(147)[1]!.values).toBeUndefined();
    expect(mismatches(rig.readings(1)[1]!, sdm, sdmSet)).toEqual([]); // the analyzer is read as usual
    await rig.period();
    expect(rig.readings(147)[2]!.missing).toBeUndefined();
    expect(rig.events()).toEqual(['modbus-device-not-answering 147', 'modbus-device-answering-again 147']);
  });

  it('late-answer beyond the time-out: the retry of the same request takes it; the record is whole', async () => {
    const { rig, relay, sdm } = site();
    relay.addFault({ kind: 'late-answer', delayMs: 1500 }, { count: 1 });
    await rig.period();
    const body = rig.readings(147)[0]!;
    expect(body.missing).toBeUndefined();
    expect(mismatches(body, relay, relaySet)).toEqual([]);
    expect(relay.received).toHaveLength(7); // the retry came while the relay was still answering: not heard
    expect(body.readEnd - body.readStart).toBeGreaterThan(1500);
    expect(rig.readings(1)[0]!.missing).toBeUndefined();
    expect(mismatches(rig.readings(1)[0]!, sdm, sdmSet)).toEqual([]);
    expect(rig.events()).toEqual([]);
  });

  it('late-answer beyond every try: no-answer, and the answer that comes at last is not taken for anything', async () => {
    const { rig, relay, sdm } = site();
    relay.addFault({ kind: 'late-answer', delayMs: 5000 }, { count: 1 });
    await rig.period();
    expect(rig.readings(147)[0]!.missing!.reason).toBe('no-answer');
    expect(mismatches(rig.readings(1)[0]!, sdm, sdmSet)).toEqual([]);
    await rig.period();
    expect(rig.readings(147)[1]!.missing).toBeUndefined();
    expect(rig.events()).toEqual(['modbus-device-not-answering 147', 'modbus-device-answering-again 147']); // no collision
  });

  it('crc-error: a bad CRC on every try is reported as crc-error with the bytes; one bad CRC is retried', async () => {
    const { rig, relay } = site();
    relay.addFault({ kind: 'crc-error' }, { count: 1 });
    await rig.period();
    expect(rig.readings(147)[0]!.missing).toBeUndefined();
    relay.addFault({ kind: 'crc-error' }, { count: 3 });
    await rig.period();
    const m = rig.readings(147)[1]!.missing!;
    expect(m.reason).toBe('crc-error');
    expect(m.text).toMatch(/^slave 147 read holding 40001\+3 \(3 regs\): .*CRC.*: 93 03 06( [0-9a-f]{2}){8} \(3 tries\); 6 not sent$/);
    expect(rig.events()).toEqual(['modbus-device-not-answering 147']);
  });

  it('split-response: an answer broken by a silence is timeout-partial', async () => {
    const { rig, relay } = site();
    relay.addFault({ kind: 'split-response' }, { count: 3 });
    await rig.period();
    const m = rig.readings(147)[0]!.missing!;
    expect(m.reason).toBe('timeout-partial');
    expect(m.text).toMatch(/answer broken by a silence into 2 frames \(5 \+ 6 bytes\)/);
    relay.addFault({ kind: 'split-response', atByte: 3, gapMs: 2.5 }, { count: 1 }); // under t3.5, over t1.5
    await rig.period();
    expect(rig.readings(147)[1]!.missing).toBeUndefined(); // broken once, read on the retry
    expect(relay.received.length).toBe(3 + 8);
  });

  it('exception: the device answers, so it is not "not answering"; the code is in the record', async () => {
    const { rig, relay } = site();
    relay.addFault({ kind: 'exception', code: 4 }, { count: 7 });
    await rig.period();
    const body = rig.readings(147)[0]!;
    expect(body.missing).toEqual({ reason: 'exception', code: 4, text: 'slave 147 read holding 40001+3 (3 regs): exception 4 (server device failure) for function 3 (1 try); 6 more requests failed' });
    expect(body.values).toBeUndefined();
    expect(validateRecordBody('modbus-reading', body).ok).toBe(true);
    expect(relay.received).toHaveLength(7); // no retries of an exception
    relay.addFault({ kind: 'exception', code: 2 }, { count: 1 });
    await rig.period();
    const partial = rig.readings(147)[1]!;
    expect(partial.missing).toMatchObject({ reason: 'exception', code: 2 });
    expect(partial.values).toHaveLength(relaySet.values.length - 2); // serial and firmware missing
    expect(rig.events()).toEqual([]);
  });

  it('silent, then back: not answering once while silent, answering again once back', async () => {
    const { rig, relay } = site();
    relay.goSilent(20 * 60_000);
    await rig.period(); // :15
    await rig.period(); // :30 — back at :20
    await rig.period(); // :45
    expect(rig.readings(147).map((r) => r.missing?.reason ?? 'read')).toEqual(['no-answer', 'read', 'read']);
    relay.goSilent(40 * 60_000);
    await rig.period();
    await rig.period();
    await rig.period();
    expect(rig.readings(147).map((r) => r.missing?.reason ?? 'read').slice(3)).toEqual(['no-answer', 'no-answer', 'read']);
    expect(rig.events()).toEqual(['modbus-device-not-answering 147', 'modbus-device-answering-again 147', 'modbus-device-not-answering 147', 'modbus-device-answering-again 147']);
  });

  it('swapped-words: one-register values stay right, two-register values come word-swapped (the terminal cannot tell)', async () => {
    const { rig, relay } = site();
    relay.updateFirmwareSwappingWords();
    await rig.period();
    const body = rig.readings(147)[0]!;
    expect(body.missing).toBeUndefined();
    const value = (name: string) => body.values!.find((v) => v.name === name)!.value;
    const wrong = mismatches(body, relay, relaySet).map((m) => m.split(':')[0]);
    const twoWord = relaySet.values.filter((v) => v.type === 'u32' || v.type === 'i32').map((v) => v.name);
    expect(wrong.length).toBeGreaterThan(0);
    expect(wrong.every((n) => twoWord.includes(n!))).toBe(true);
    // exactly the true value with its words swapped
    const raw = Math.round(relay.read('current.l1', body.readEnd)! / 0.01);
    const swapped = decodeRegisters(encodeRegisters(raw, 'uint32', 'CDAB'), 'uint32', 'ABCD');
    expect(value('current.l1')).toBeCloseTo(swapped * 0.01, 2);
    expect(value('voltage.l1')).toBeCloseTo(relay.read('voltage.l1', body.readEnd)!, 1);
  });
});
