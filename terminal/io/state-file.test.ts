import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { memoryOutboxFs } from '../uplink/outbox-memfs.ts';
import { ioStateFile } from './state-file.ts';

describe('ioStateFile', () => {
  it('keeps the state across a reopen, and still uses an open outage beside a stored config it cannot use', async () => {
    const clock = new VirtualClock();
    const fs = memoryOutboxFs();
    const file = ioStateFile({ fs, dir: '/flash/config', clock });
    expect(await clock.run(file.load())).toEqual({ state: {} });
    await clock.run(file.save({ outageSince: 1234 }));
    expect(await clock.run(ioStateFile({ fs, dir: '/flash/config', clock }).load())).toEqual({ state: { outageSince: 1234 } });
    await clock.run(file.save({ outageSince: 1234, config: { nonsense: true } as never }));
    const { state, problem } = await clock.run(file.load());
    expect(state).toEqual({ outageSince: 1234 });
    expect(problem).toMatch(/^\/flash\/config\/io-state\.json: config: /);
  });
});
