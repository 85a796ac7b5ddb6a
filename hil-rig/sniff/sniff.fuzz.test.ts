import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { mulberry32 } from '../../core/random.ts';
import { InputError } from '../../core/errors.ts';
import type { Endpoint, RxChunk } from '../../lines/endpoint.ts';
import { IEC_OPENING, MODBUS_DEFAULT, charTimeMs, type LineSettings } from '../../lines/settings.ts';
import { encodeOptionSelect, encodeReadout, encodeRequest } from '../../protocols/iec62056-21/index.ts';
import { encodeRequest as encodeModbus } from '../../protocols/modbus-rtu/index.ts';
import { masterFramer } from '../replay/match.ts';
import { classifySegment, splitModbus } from './classify.ts';
import { Sniffer } from './sniffer.ts';

/** An endpoint fed by the test. */
function feed(settings: LineSettings): Endpoint & { emit(c: RxChunk): void } {
  const listeners = new Set<(c: RxChunk) => void>();
  let s = { ...settings };
  return {
    id: 'fuzz/in', line: 'fuzz', get settings() { return s; }, closed: false,
    write: async () => {},
    update: async (u) => void (s = { ...s, ...u }),
    onData: (l) => (listeners.add(l), () => listeners.delete(l)),
    incomingUntil: () => 0,
    close: async () => {},
    emit: (c) => listeners.forEach((l) => l(c)),
  };
}

/** Valid frames of each protocol, cut and mutated at random, plus plain noise. */
function material(rnd: () => number): Uint8Array {
  const pick = Math.floor(rnd() * 5);
  const base =
    pick === 0 ? encodeRequest({ address: String(Math.floor(rnd() * 1e8)) })
    : pick === 1 ? encodeOptionSelect({ protocolControl: '0', baudChar: String(Math.floor(rnd() * 7)), modeControl: '0' })
    : pick === 2 ? encodeReadout(`1.8.0(${(rnd() * 1e5).toFixed(3)}*kWh)\r\n0.0.0(${Math.floor(rnd() * 1e8)})\r\n`)
    : pick === 3 ? encodeModbus(1 + Math.floor(rnd() * 247), { fn: 3, address: Math.floor(rnd() * 65000), quantity: 1 + Math.floor(rnd() * 100) })
    : Uint8Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256));
  const out = [...base];
  const edits = Math.floor(rnd() * 3);
  for (let e = 0; e < edits; e++) {
    const at = Math.floor(rnd() * out.length);
    if (rnd() < 0.5) out[at] = Math.floor(rnd() * 256);
    else out.splice(at, 1);
  }
  return Uint8Array.from(out);
}

describe('sniff fuzz', () => {
  it('classifies, splits and frames random and mutated bytes without throwing', () => {
    const rnd = mulberry32(485);
    for (let i = 0; i < 3000; i++) {
      const bytes = material(rnd);
      const settings = rnd() < 0.5 ? IEC_OPENING : MODBUS_DEFAULT;
      const known = ([undefined, 'master', 'device'] as const)[Math.floor(rnd() * 3)];
      const protocol = ([undefined, 'iec', 'modbus', 'at'] as const)[Math.floor(rnd() * 4)];
      const c = classifySegment(bytes, settings, protocol, known, {});
      expect(typeof c.text).toBe('string');
      const cuts = splitModbus(bytes);
      expect(cuts[cuts.length - 1]).toBe(bytes.length);
      for (const p of ['iec', 'modbus', 'at', undefined] as const) {
        try {
          masterFramer(p).push(bytes);
        } catch (err) {
          if (!(err instanceof InputError)) throw err;
        }
      }
    }
  });

  it('loses no byte: every byte fed to a sniffer is in exactly one captured message, in order', async () => {
    const rnd = mulberry32(62056);
    for (let run = 0; run < 40; run++) {
      const clock = new VirtualClock();
      const settings = run % 2 ? IEC_OPENING : MODBUS_DEFAULT;
      const ep = feed(settings);
      const sniffer = new Sniffer({ clock, listen: [ep], protocol: (['auto', 'iec', 'modbus', 'at'] as const)[run % 4], followIecBaud: run % 3 !== 0 });
      const fed: number[] = [];
      for (let k = 0; k < 30; k++) {
        const bytes = material(rnd);
        for (let o = 0; o < bytes.length;) {
          const n = 1 + Math.floor(rnd() * bytes.length);
          const part = bytes.subarray(o, o + n);
          const per = charTimeMs(ep.settings);
          await clock.runFor(part.length * per);
          ep.emit({ bytes: part, start: clock.now() - part.length * per, end: clock.now() });
          fed.push(...part);
          o += n;
          if (rnd() < 0.3) await clock.runFor(rnd() * 300);
        }
      }
      await sniffer.stop();
      const captured = sniffer.frames.flatMap((f) => [...f.bytes]);
      expect(captured).toEqual(fed);
      const times = sniffer.frames.map((f) => f.t);
      expect([...times].sort((a, b) => a - b)).toEqual(times);
    }
  });
});
