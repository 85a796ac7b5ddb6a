import { describe, expect, it } from 'vitest';
import { ClockDeadlockError, VirtualClock } from './index.ts';
import { CancelledError } from '../errors.ts';

describe('VirtualClock', () => {
  it('fires timers in due order, same-instant timers in the order set', async () => {
    const clock = new VirtualClock({ start: 0 });
    const seen: string[] = [];
    clock.setTimer(20, () => seen.push(`b@${clock.now()}`));
    clock.setTimer(10, () => seen.push(`a@${clock.now()}`));
    clock.setTimer(20, () => seen.push(`c@${clock.now()}`));
    await clock.runUntil(100);
    expect(seen).toEqual(['a@10', 'b@20', 'c@20']);
    expect(clock.now()).toBe(100);
  });

  it('does not move time while tasks can still run', async () => {
    const clock = new VirtualClock({ start: 0 });
    const times: number[] = [];
    const task = async () => {
      for (let i = 0; i < 3; i++) {
        await Promise.resolve();
        times.push(clock.now());
      }
      await clock.sleep(5);
      times.push(clock.now());
      return 'done';
    };
    expect(await clock.run(task)).toBe('done');
    expect(times).toEqual([0, 0, 0, 5]);
  });

  it('keeps fractional times exactly as added', async () => {
    const clock = new VirtualClock({ start: 0 });
    await clock.run(() => clock.sleep(1000 / 300 * 10));
    expect(clock.now()).toBeCloseTo(33.333333, 5);
  });

  it('holds time while tracked real I/O is in flight', async () => {
    const clock = new VirtualClock({ start: 0 });
    let finishedAt = -1;
    const io = new Promise<void>((r) => setTimeout(r, 30)); // real timer stands for real I/O
    clock.track(io, 'fake disk write').then(() => (finishedAt = clock.now()));
    clock.setTimer(1, () => {});
    await clock.runUntil(10);
    expect(finishedAt).toBe(0);
  });

  it('cancels timers and sleeps', async () => {
    const clock = new VirtualClock({ start: 0 });
    let fired = false;
    const t = clock.setTimer(5, () => (fired = true));
    t.cancel();
    const ac = new AbortController();
    const slept = clock.sleep(50, ac.signal).catch((e: unknown) => e);
    clock.setTimer(10, () => ac.abort('shutdown'));
    await clock.runUntil(100);
    expect(await slept).toBeInstanceOf(CancelledError);
    expect(fired).toBe(false);
    expect(clock.pendingTimers).toBe(0);
  });

  it('ignores cancelling a timer that already fired', async () => {
    const clock = new VirtualClock({ start: 0 });
    const t = clock.setTimer(1, () => {});
    clock.setTimer(5, () => {});
    await clock.runUntil(2);
    t.cancel();
    expect(clock.pendingTimers).toBe(1);
  });

  it('reports a deadlock naming the waiting task and what it waits on', async () => {
    const clock = new VirtualClock({ start: 0 });
    clock.noteWait('meter reader waits for an answer on line optical');
    const never = new Promise<void>(() => {});
    const err = await clock.run(never, { label: 'scenario main' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ClockDeadlockError);
    expect(String((err as Error).message)).toMatch(/scenario main.*nothing is scheduled.*line optical/);
  });

  it('stops at the virtual time limit of a run', async () => {
    const clock = new VirtualClock({ start: 0 });
    const forever = async () => {
      for (;;) await clock.sleep(1000);
    };
    await expect(clock.run(forever, { limitMs: 10_000 })).rejects.toThrow(/time limit/);
    expect(clock.now()).toBe(10_000);
  });

  it('runs a virtual hour of one-second ticks far faster than wall time', async () => {
    const clock = new VirtualClock({ start: 0 });
    let ticks = 0;
    const tick = () => {
      ticks++;
      if (ticks < 3600) clock.setTimer(1000, tick);
    };
    clock.setTimer(1000, tick);
    await clock.runFor(3600_000);
    expect(ticks).toBe(3600);
  });
});
