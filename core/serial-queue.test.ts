import { describe, expect, it } from 'vitest';
import { SerialQueue } from './serial-queue.ts';

describe('SerialQueue', () => {
  it('runs steps in call order, one at a time, and a failure does not stop the next', async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    const step = (name: string, fail = false) => async () => {
      log.push(`start ${name}`);
      await Promise.resolve();
      log.push(`end ${name}`);
      if (fail) throw new Error(name);
      return name;
    };
    const a = q.run(step('a'));
    const b = q.run(step('b', true));
    const c = q.run(step('c'));
    expect(await a).toBe('a');
    await expect(b).rejects.toThrow('b');
    expect(await c).toBe('c');
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
  });
});
