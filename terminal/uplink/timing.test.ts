import { describe, expect, it } from 'vitest';
import { backoffDelay, DEFAULT_UPLINK_TIMING } from './timing.ts';

describe('reconnect back-off', () => {
  it('doubles from 10 s and stays at 15 min', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelay(n) / 1000)).toEqual([10, 20, 40, 80, 160, 320, 640, 900]);
    expect(backoffDelay(5000)).toBe(DEFAULT_UPLINK_TIMING.backoffMaxMs);
    expect(backoffDelay(0)).toBe(0);
  });
  it('follows custom settings', () => {
    expect(backoffDelay(3, { backoffInitialMs: 100, backoffMaxMs: 250, backoffFactor: 3 })).toBe(250);
    expect(backoffDelay(2, { backoffInitialMs: 100, backoffMaxMs: 1000, backoffFactor: 3 })).toBe(300);
  });
});
