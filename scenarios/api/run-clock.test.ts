import { describe, expect, it } from 'vitest';
import { DEFAULT_VIRTUAL_START } from '../../core/clock/index.ts';
import { RunClock } from './run-clock.ts';

describe('RunClock', () => {
  it('reads from the scenario start and moves with the wall', async () => {
    const clock = new RunClock({ start: DEFAULT_VIRTUAL_START });
    const t0 = clock.now();
    expect(t0 - DEFAULT_VIRTUAL_START).toBeGreaterThanOrEqual(0);
    expect(t0 - DEFAULT_VIRTUAL_START).toBeLessThan(50);
    await clock.sleep(30);
    expect(clock.now() - t0).toBeGreaterThanOrEqual(30);
  });

  it('with a scale, a clock second takes 1/scale of a wall second, and a timer is never early', async () => {
    const clock = new RunClock({ start: DEFAULT_VIRTUAL_START, scale: 20 });
    const t0 = clock.now();
    const fired = await new Promise<number>((resolve) => {
      const t = clock.setTimer(1000, () => resolve(clock.now()));
      expect(t.due).toBeCloseTo(t0 + 1000, -1);
    });
    expect(fired - t0).toBeGreaterThanOrEqual(1000);
    expect(fired - t0).toBeLessThan(1600);
  });

  it('a cancelled timer does not fire', async () => {
    const clock = new RunClock({ start: 0 });
    let fired = false;
    clock.setTimer(5, () => (fired = true)).cancel();
    await clock.sleep(20);
    expect(fired).toBe(false);
    expect(clock.virtual).toBe(false);
  });
});

describe('RunClock.stop', () => {
  it('cancels every pending timer and refuses new ones', async () => {
    const clock = new RunClock({ start: 0 });
    let fired = 0;
    clock.setTimer(10, () => fired++);
    clock.setTimer(20, () => fired++);
    clock.stop();
    clock.setTimer(0, () => fired++);
    await new Promise<void>((resolve) => new RunClock({ start: 0 }).setTimer(40, resolve));
    expect(fired).toBe(0);
  });
});
