import { describe, expect, it } from 'vitest';
import { checkIoCommand, checkIoConfigPushBody, checkIoSettings, checkOutageDetails, isIoConfigBody } from './io.ts';
import { validateRecordBody } from './records.ts';
import { UplinkError } from './errors.ts';
import { mulberry32 } from '../../core/random.ts';


describe('io record, commands and settings', () => {
  it('accepts input and output records and names the faulty field', () => {
    expect(validateRecordBody('io', { point: 'input', n: 1, on: true }).ok).toBe(true);
    expect(validateRecordBody('io', { point: 'output', n: 2, on: false, cause: 'schedule' }).ok).toBe(true);
    const bad = validateRecordBody('io', { point: 'output', n: 9, on: false, cause: 'schedule' });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.field).toBe('body.n');
    expect(validateRecordBody('io', { point: 'input', n: 1, on: true, cause: 'command' }).ok).toBe(false);
  });

  it('checks relay-set commands', () => {
    expect(checkIoCommand({ op: 'relay-set', output: 1, on: true, until: 5 })).toEqual({ ok: true, value: { op: 'relay-set', output: 1, on: true, until: 5 } });
    expect(checkIoCommand({ op: 'relay-set', output: 0, on: true })).toMatchObject({ ok: false, field: 'output' });
    expect(checkIoCommand({ op: 'relay-set', output: 1, on: 'yes' })).toMatchObject({ ok: false, field: 'on' });
    expect(checkIoCommand({ op: 'relay-set', output: 1, on: true, colour: 1 })).toMatchObject({ ok: false, field: 'colour', message: 'colour: unknown field' });
    expect(checkIoCommand({ op: 'reboot' }).ok).toBe(false);
  });

  it('checks schedules: times, days, equal on/off', () => {
    expect(checkIoSettings({ enabled: true, schedule: [{ output: 1, days: ['mon'], on: '06:00', off: '07:30' }] })).toMatchObject({ ok: true, value: { utcOffsetMin: 180 } });
    expect(checkIoSettings({ enabled: true, schedule: [{ output: 1, days: ['mon'], on: '24:00', off: '07:30' }] })).toMatchObject({ ok: false, field: 'schedule[0].on' });
    expect(checkIoSettings({ enabled: true, schedule: [{ output: 1, days: ['monday'], on: '06:00', off: '07:30' }] })).toMatchObject({ ok: false, field: 'schedule[0].days[0]' });
    expect(checkIoSettings({ enabled: true, schedule: [{ output: 1, days: ['mon'], on: '06:00', off: '06:00' }] })).toMatchObject({ ok: false, field: 'schedule[0].off' });
    expect(checkIoConfigPushBody({ ioVersion: 0, io: { enabled: true } })).toMatchObject({ ok: false, field: 'ioVersion' });
    expect(isIoConfigBody({ ioVersion: 1, io: {} })).toBe(true);
    expect(isIoConfigBody({ version: 1, modbus: { devices: [] } })).toBe(false);
  });

  it('checks outage details', () => {
    expect(checkOutageDetails({ startedAt: 10, endedAt: 20, durationMs: 10 }).ok).toBe(true);
    expect(checkOutageDetails({ startedAt: 10, endedAt: 5 })).toMatchObject({ ok: false, field: 'endedAt' });
  });

  it('never throws on random and mutated bodies (seeded fuzz)', () => {
    const rnd = mulberry32(2026);
    const atoms: unknown[] = [null, true, 1, -1, 9, 1.5, '', 'relay-set', '06:00', ['mon'], {}, [], 'input', 'output', Number.NaN];
    const keys = ['op', 'output', 'on', 'until', 'point', 'n', 'cause', 'io', 'ioVersion', 'enabled', 'schedule', 'days', 'off', 'x'];
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const make = (depth: number): unknown => {
      if (depth > 2 || rnd() < 0.4) return pick(atoms);
      const o: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5); i > 0; i--) o[pick(keys)] = make(depth + 1);
      return rnd() < 0.2 ? [o] : o;
    };
    for (let i = 0; i < 1500; i++) {
      const v = make(0);
      for (const f of [checkIoCommand, checkIoSettings, checkIoConfigPushBody, checkOutageDetails]) {
        const r = f(v);
        if (!r.ok) expect(typeof r.field).toBe('string');
      }
      const rec = validateRecordBody('io', v);
      if (!rec.ok) expect(rec.error).toBeInstanceOf(UplinkError);
    }
  });
});
