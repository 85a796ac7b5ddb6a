import { describe, expect, it } from 'vitest';
import type { TraceRecord } from '../../core/trace/index.ts';
import { mulberry32 } from '../../core/random.ts';
import type { ScenarioResult } from '../../scenarios/api/results.ts';
import { digestTrace, MAX_EVENTS, MAX_FRAMES } from './digest.ts';
import { classifyEvent } from './lanes.ts';

const start = Date.UTC(2026, 0, 5);
const base: ScenarioResult = { name: 'x', mode: 'virtual', verdict: 'passed', wallMs: 1, simulatedMs: 1_860_000, startTime: start, expectations: [] };

describe('trace digest', () => {
  it('marks the bytes that broke a rule: UART flags, decoder errors, evidence offsets', () => {
    const readout = '02' + '41'.repeat(10) + '0d0a2103' + '7f';
    const trace: TraceRecord[] = [
      { kind: 'header', version: 1, clock: 'virtual', start },
      { kind: 'rx', t: start + 1000, end: start + 1010, line: 'optical', to: 'optical/terminal', hex: '7f7f7f', settings: '300 7E1', flags: ['framing@1', 'parity@2'], sent: '9600 7E1' },
      { kind: 'tx', t: start + 2000, end: start + 2010, line: 'optical', from: 'optical/meter', hex: readout, settings: '9600 7E1' },
      { kind: 'tx', t: start + 3000, end: start + 3001, line: 'optical', from: 'optical/terminal', hex: '063035300d0a', settings: '300 7E1' },
    ];
    const failed: ScenarioResult = {
      ...base,
      verdict: 'failed',
      expectations: [
        { name: 'fine', passed: true },
        { name: 'reading arrives', passed: false, evidence: [{ line: 'rs485', time: start + 2500 }, { line: 'optical', time: start + 2600, hex: readout, offset: 3 }] },
      ],
    };
    const d = digestTrace(trace, failed);
    expect(d.frames[0]).toMatchObject({ t: 1000, d: 10, dir: 'rx', bad: true, flags: ['framing@1', 'parity@2', 'sent at 9600 7E1'] });
    expect(d.frames[0]!.marks!.slice(0, 2)).toEqual([[1, 'framing error'], [2, 'parity error']]);
    const f = d.frames[1]!;
    expect(f.text).toMatch(/^error: IEC 62056-21: BCC mismatch at offset 15/);
    expect(f.marks).toEqual([[15, expect.stringMatching(/^IEC 62056-21: BCC mismatch at offset 15/)], [3, "evidence of 'reading arrives'"]]);
    expect(d.frames[2]).not.toHaveProperty('bad');
    expect(d.links).toEqual([{ exp: 1, ev: 1, k: 1 }]);
    expect(d.focus).toBe(2500);
    expect(d.lanes).toEqual([{ id: 'optical', kind: 'line' }]);
  });

  it('caps what one garbled frame carries: flags, marks and decoded text', () => {
    const flags = Array.from({ length: 200 }, (_, i) => `framing@${i}`);
    const trace: TraceRecord[] = [{ kind: 'rx', t: start, end: start + 700, line: 'rs485', to: 'rs485/terminal', hex: '7e'.repeat(200), settings: '300 7E1', flags }];
    const f = digestTrace(trace, base).frames[0]!;
    expect(f.flags).toHaveLength(17);
    expect(f.flags![16]).toBe('+184 more');
    expect(f.marks).toHaveLength(8);
    expect(f.text!.length).toBeLessThanOrEqual(400);
    expect(f.bad).toBe(true);
  });

  it('puts events in lanes: faults, cloud records, notifications, states', () => {
    const e = (source: string, name: string, data?: Record<string, unknown>) => classifyEvent({ kind: 'event', t: start + 5, source, name, ...(data ? { data } : {}) }, start);
    expect(classifyEvent({ kind: 'note', t: start, line: 'rs485', from: 'scenario', text: 'fault on: meter 1 no-answer ×3' }, start)).toEqual({ t: 0, lane: 'rs485', text: 'fault on: meter 1 no-answer ×3', kind: 'fault' });
    expect(e('scenario', 'timeline', { label: 'cut the network' })).toEqual({ t: 5, lane: 'scenario', text: 'cut the network', kind: 'fault' });
    expect(e('cloud', 'record-stored', { seq: 4, kind: 'meter-reading', meter: '95316176', missing: 'bcc-mismatch' })).toEqual({ t: 5, lane: 'cloud', text: '#4 meter-reading meter 95316176 missing: bcc-mismatch', kind: 'record', level: 'bad' });
    expect(e('cloud', 'record-resent', { seq: 4, kind: 'event', name: 'terminal-start' })).toMatchObject({ text: 'resent (kept once) #4 event terminal-start', kind: 'record' });
    expect(e('notifications', 'email', { to: 'ops@example.com', subject: 'meter silent' })).toEqual({ t: 5, lane: 'notifications', text: 'email: to ops@example.com, subject meter silent', kind: 'notify' });
    expect(e('cloud', 'sms-sent', { to: '+90555' })).toMatchObject({ lane: 'notifications', kind: 'notify' });
    expect(e('terminal 1001', 'uplink', { state: 'online' })).toEqual({ t: 5, lane: 'terminal 1001 uplink', text: 'online', kind: 'state', level: 'ok' });
    expect(e('modem', 'status', { state: 'on', sim: 'ready', registration: 'searching', technology: 'gsm', dbm: -101 })).toEqual({ t: 5, lane: 'modem status', text: 'on, SIM ready, reg searching, gsm, -101 dBm', kind: 'state', level: 'bad' });
    expect(e('network', 'down', { reason: 'outage' })).toMatchObject({ lane: 'network', kind: 'state', level: 'bad', text: 'down (reason outage)' });
    expect(e('mains', 'back')).toMatchObject({ lane: 'mains', kind: 'state', level: 'ok' });
    expect(e('terminal', 'power-cut')).toEqual({ t: 5, lane: 'terminal', text: 'power-cut', kind: 'event', level: 'bad' });
    expect(classifyEvent({ kind: 'header', version: 1, clock: 'virtual', start }, start)).toBeUndefined();
  });

  it('keeps a long run bounded, with its evidence frame and the frames near it', () => {
    const rnd = mulberry32(7);
    const trace: TraceRecord[] = [{ kind: 'header', version: 1, clock: 'virtual', start }];
    const week = 7 * 86_400_000;
    let evidenceAt = 0;
    const pool = Array.from({ length: 2048 }, () => Math.floor(rnd() * 256).toString(16).padStart(2, '0')).join('');
    for (let i = 0; i < 5_000; i++) {
      const t = start + Math.floor(i / 4) * Math.floor(week / 1250) + (i % 4) * 2000; // bursts of 4 frames
      const from = Math.floor(rnd() * 1000) * 2;
      const hex = pool.slice(from, from + 800 + Math.floor(rnd() * 1000) * 2);
      trace.push({ kind: 'tx', t, end: t + 400, line: i % 2 ? 'rs485' : 'optical', from: i % 4 === 1 ? 'rs485/meter-1' : 'optical/meter', hex, settings: '9600 8N1' });
      if (i === 3_579) evidenceAt = t + 400;
      trace.push({ kind: 'event', t, source: 'cloud', name: 'record-stored', data: { seq: i } });
    }
    const target = trace.find((r) => r.kind === 'tx' && r.end === evidenceAt) as Extract<TraceRecord, { kind: 'tx' }>;
    const result: ScenarioResult = { ...base, simulatedMs: week, verdict: 'failed', expectations: [{ name: 'x', passed: false, evidence: [{ line: target.line, time: evidenceAt, hex: target.hex, offset: 450 }] }] };
    const d = digestTrace(trace, result);
    expect(d.frames.length).toBe(MAX_FRAMES);
    expect(d.events.length).toBe(MAX_EVENTS);
    expect(d.omitted).toBe(5_000 - MAX_FRAMES);
    expect(d.omittedEvents).toBe(5_000 - MAX_EVENTS);
    const linked = d.frames[d.links[0]!.k]!;
    expect(linked.t).toBe(target.t - start);
    expect(linked.hex).toBe(target.hex);
    expect(d.frames.every((f, i) => i === 0 || f.t >= d.frames[i - 1]!.t)).toBe(true);
    const windowed = d.frames.find((f) => f.n !== undefined)!;
    expect(windowed.hex.length).toBeLessThan(windowed.n! * 2);
    expect(JSON.stringify(d).length).toBeLessThan(1_600_000);
    expect(d.frames.filter((f) => Math.abs(f.t - (evidenceAt - start)) < 60_000).length).toBe(4);
  });
});
