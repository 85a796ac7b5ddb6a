import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { ascii, toHex } from '../../core/bytes.ts';
import { TRACE_VERSION, TraceRecorder, type TraceRecord } from '../../core/trace/index.ts';
import { traceTap } from '../../lines/trace-tap.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { encodeOptionSelect, encodeReadout, parseDataBlock } from '../../protocols/iec62056-21/index.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { parseMeterProfile } from '../../emulators/meters/profile-loader.ts';
import { expandObis, type MeterProfile } from '../../emulators/meters/profile-schema.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { readModeC } from '../../terminal/meter-reader/mode-c.ts';
import { shippedMeterProfiles } from '../profiles.ts';
import { draftMeterProfile } from './draft-profile.ts';
import { formatForValue, quantityForObis } from './obis-quantities.ts';

const load = () => new SiteLoad({ baseKw: 5, peakKw: 40, powerFactor: 0.92 });

/** A readout of `profile` by the terminal over an optical wire, as a trace. */
async function capture(profile: MeterProfile, reads = 1): Promise<{ records: TraceRecord[]; block: string }> {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'optical', { id: 'optical/terminal', settings: IEC_OPENING }, { id: 'optical/meter', settings: IEC_OPENING });
  const rec = new TraceRecorder();
  rec.add({ kind: 'header', version: TRACE_VERSION, clock: 'virtual', start: clock.now() });
  wire.tap(traceTap(rec));
  const meter = new EmulatedMeter({ clock, endpoint: wire.b, profile, serial: profile.serialNumber.example, port: 'optical', load: load(), initialKwh: 1234.5 });
  let block = '';
  for (let i = 0; i < reads; i++) {
    const out = await clock.run(readModeC(wire.a, clock, { address: '' }));
    if (!out.ok) throw new Error(out.detail);
    block = out.sets.map((d) => d.address).join(',');
    await clock.runFor(3000);
  }
  meter.dispose();
  return { records: rec.records, block };
}

describe('profile draft', () => {
  const opticals = shippedMeterProfiles().filter((p) => p.ports.optical);

  it('drafts a valid profile from a readout of every shipped optical brand, and the draft serves a readout again', async () => {
    for (const [i, shipped] of opticals.entries()) {
      const { records, block } = await capture(shipped);
      const draft = draftMeterProfile(records, { file: 'capture.jsonl' });
      const p = draft.profile;
      expect(p.flag, shipped.model).toBe(shipped.flag);
      expect(p.brand).toBe(shipped.brand);
      expect(p.maxBaud).toBe(shipped.maxBaud);
      expect(p.fastReaction).toBe(shipped.fastReaction);
      expect(p.readout.flatMap((l) => expandObis(l))).toEqual(block.split(','));
      expect(p.reactionTimeMs.min).toBeGreaterThanOrEqual(shipped.reactionTimeMs.min);
      expect(p.reactionTimeMs.max).toBeLessThanOrEqual(shipped.reactionTimeMs.max);
      const energy = shipped.readout.find((l) => l.quantity === 'energy.import.total' && !l.obis.includes('*') && !l.history);
      if (energy) expect(p.readout.find((l) => l.obis === energy.obis)?.format, shipped.model).toEqual(energy.format);
      expect(draft.yaml).toMatch(/^# Draft meter profile from capture\.jsonl \(line optical\)/);
      expect(draft.yaml).toContain('#   - no programming mode in the capture');
      if (energy) expect(draft.yaml).toContain(`{ obis: "${energy.obis}", quantity: "energy.import.total", format: { integer:`);
      expect(parseMeterProfile(draft.yaml, 'draft.yaml')).toEqual(p);

      if (i < 3) {
        // The draft as a profile: the terminal reads the same lines from it.
        const again = await capture(p);
        expect(again.block).toBe(block);
      }
    }
  });

  it('says that the reaction time comes from one sample per exchange kind, or from several', async () => {
    const zmr = opticals.find((p) => p.model === 'ZMR120AC')!;
    const one = draftMeterProfile((await capture(zmr)).records);
    expect(one.notInferred.find((n) => n.startsWith('reaction time'))).toMatch(/^reaction time from 2 samples \(\d+, \d+ ms\)$/);
    const three = draftMeterProfile((await capture(zmr, 3)).records);
    expect(three.notInferred.find((n) => n.startsWith('reaction time'))).toMatch(/from 6 samples/);
  });

  it('names an unknown FLAG id, keeps unknown lines as captured text, and refuses a trace without a readout', () => {
    const at = (t: number, from: string, bytes: Uint8Array, settings = '300 7E1'): TraceRecord => ({ kind: 'tx', t, end: t + bytes.length * 33.3, line: 'rs485', from, hex: toHex(bytes, ''), settings });
    const block = '0.0.0(12345678)\r\n1.8.0(000123.4567*kWh)\r\n99.1.7(hello)(01)\r\n32.7.0(230.1*kV)\r\n';
    const records: TraceRecord[] = [
      { kind: 'header', version: TRACE_VERSION, clock: 'real', start: 0 },
      at(0, 'rs485/reader', ascii('/?12345678!\r\n')),
      at(1000, 'rs485/meter', ascii('/XYz4METER12345678\r\n')),
      at(3000, 'rs485/reader', encodeOptionSelect({ protocolControl: '0', baudChar: '4', modeControl: '0' })),
      at(3500, 'rs485/meter', encodeReadout(block), '4800 7E1'),
    ];
    const draft = draftMeterProfile(records, { file: 'field.jsonl' });
    expect(draft.profile).toMatchObject({ brand: 'FLAG XYz', flag: 'XYz', fastReaction: true, maxBaud: 4800, identification: 'METER{serial}', model: 'METER' });
    expect(draft.profile.serialNumber).toEqual({ pattern: '\\d{8}', example: '12345678' });
    expect(draft.profile.address).toMatchObject({ required: 'rs485', answersWithoutAddress: false, source: 'serial' });
    expect(draft.notInferred[0]).toMatch(/^FLAG XYz is not among the shipped profiles: look the maker up in the DLMS UA FLAG id list/);
    expect(draft.profile.readout).toEqual([
      expect.objectContaining({ obis: '0.0.0', quantity: 'meter.serial' }),
      expect.objectContaining({ obis: '1.8.0', quantity: 'energy.import.total', format: { kind: 'number', integer: 6, decimals: 4, sign: 'none' }, unit: 'kWh' }),
      { obis: '99.1.7', fixed: ['hello', '01'] },
      { obis: '32.7.0', fixed: '230.1*kV' },
    ]);
    expect(parseDataBlock(block)).toHaveLength(4);
    expect(() => draftMeterProfile(records.slice(0, 3), { file: 'f.jsonl' })).toThrow('f.jsonl: line rs485 holds an identification but no readout');
    expect(() => draftMeterProfile(records.slice(0, 1), { file: 'f.jsonl' })).toThrow(/no transmissions/);
  });

  it('binds OBIS codes to the vocabulary and reads formats off values', () => {
    expect(['1.8.0', '1.8.3', '2.8.0', '5.8.1', '8.8.0', '1.6.2', '32.7.0', '71.7.0', '53.7.0', '21.7.0', '0.1.2*3', '96.77.4', '96.77.4*1', '1-0:1.8.0*2', 'X.9'].map(quantityForObis)).toEqual([
      'energy.import.total', 'energy.import.t3', 'energy.export.total', 'energy.reactive.inductive.t1', 'energy.reactive.capacitive.total', 'demand.max.import.t2',
      'voltage.l1', 'current.l3', 'pf.l2', 'power.active.l1', 'billing.reset.at', 'warning.voltage.count', 'warning.voltage.interval', 'energy.import.total', undefined,
    ]);
    expect(formatForValue('pf.l1', '+1.00')).toEqual({ kind: 'number', integer: 1, decimals: 2, sign: 'leading' });
    expect(formatForValue('meter.status', '00000000')).toEqual({ kind: 'hex', digits: 8 });
    expect(formatForValue('meter.date', '26-01-05')).toEqual({ kind: 'date', pattern: 'YY-MM-DD' });
    expect(formatForValue('outage.interval', '26-01-05,10:01,26-01-05,10:11')).toEqual({ kind: 'interval', pattern: 'YY-MM-DD,hh:mm,YY-MM-DD,hh:mm' });
    expect(formatForValue('energy.import.total', '12,5')).toBeUndefined();
  });
});
