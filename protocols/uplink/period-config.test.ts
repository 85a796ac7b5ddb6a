import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../core/random.ts';
import { checkConfigPushBody } from './modbus-config.ts';
import { isIoConfigBody } from './io.ts';
import { checkPeriodConfigPushBody, isPeriodConfigBody } from './period-config.ts';

describe('send-period config body', () => {
  it('accepts 1..240 whole minutes with a version ≥ 1', () => {
    for (const m of [1, 15, 60, 240]) expect(checkPeriodConfigPushBody({ periodVersion: 3, sendPeriodMin: m })).toEqual({ ok: true, value: { periodVersion: 3, sendPeriodMin: m } });
  });

  it('names the field of every problem', () => {
    expect(checkPeriodConfigPushBody({ periodVersion: 1, sendPeriodMin: 0 })).toEqual({ ok: false, field: 'sendPeriodMin', message: 'sendPeriodMin: expected whole minutes 1..240' });
    expect(checkPeriodConfigPushBody({ periodVersion: 1, sendPeriodMin: 241 })).toMatchObject({ ok: false, field: 'sendPeriodMin' });
    expect(checkPeriodConfigPushBody({ periodVersion: 1, sendPeriodMin: 7.5 })).toMatchObject({ ok: false, field: 'sendPeriodMin' });
    expect(checkPeriodConfigPushBody({ periodVersion: 0, sendPeriodMin: 5 })).toMatchObject({ ok: false, field: 'periodVersion' });
    expect(checkPeriodConfigPushBody({ periodVersion: 1, sendPeriodMin: 5, extra: 1 })).toEqual({ ok: false, field: 'extra', message: 'extra: unknown field' });
    expect(checkPeriodConfigPushBody(null)).toMatchObject({ ok: false, field: '(body)' });
  });

  it('is told apart from the Modbus and I/O config bodies', () => {
    const period = { periodVersion: 2, sendPeriodMin: 30 };
    expect(isPeriodConfigBody(period)).toBe(true);
    expect(isIoConfigBody(period)).toBe(false);
    expect(checkConfigPushBody(period).ok).toBe(false);
    expect(isPeriodConfigBody({ version: 1, modbus: { devices: [] } })).toBe(false);
    expect(isPeriodConfigBody({ ioVersion: 1, io: { enabled: true } })).toBe(false);
    expect(isPeriodConfigBody([1])).toBe(false);
    expect(isPeriodConfigBody('sendPeriodMin')).toBe(false);
  });

  it('never throws on random bodies (seeded)', () => {
    const rnd = mulberry32(0x9e71);
    const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const values: unknown[] = [0, 1, -1, 15, 240, 241, 1.5, NaN, Infinity, '15', null, true, [], {}, Number.MAX_SAFE_INTEGER + 2];
    let accepted = 0;
    for (let i = 0; i < 5000; i++) {
      const body: Record<string, unknown> = {};
      if (rnd() < 0.9) body['periodVersion'] = pick(values);
      if (rnd() < 0.9) body['sendPeriodMin'] = pick(values);
      if (rnd() < 0.1) body[pick(['x', 'version', 'io', '__proto__'])] = pick(values);
      const r = checkPeriodConfigPushBody(rnd() < 0.05 ? pick(values) : body);
      if (r.ok) {
        accepted++;
        expect(Number.isInteger(r.value.sendPeriodMin) && r.value.sendPeriodMin >= 1 && r.value.sendPeriodMin <= 240).toBe(true);
      } else expect(r.message.startsWith(`${r.field}: `)).toBe(true);
    }
    expect(accepted).toBeGreaterThan(0);
  });
});
