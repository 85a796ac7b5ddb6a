import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { Outbox } from './outbox.ts';
import { powerCutFs } from './outbox-fs.ts';
import { memoryOutboxFs } from './outbox-memfs.ts';

const reading = (n: number) => ({ at: n, kind: 'event' as const, body: { name: 'terminal-start', details: { n } } });

describe('memory flash for the outbox', () => {
  it('keeps unacknowledged records across a restart and tears a write at a power cut', async () => {
    const clock = new VirtualClock({ start: 0 });
    const flash = memoryOutboxFs();
    const a = await Outbox.open({ dir: '/flash/outbox', clock, fs: flash });
    for (let i = 1; i <= 5; i++) await a.append(reading(i));
    await a.ack(2);
    await a.close();
    const cut = powerCutFs(flash, { afterBytes: 40 });
    const b = await Outbox.open({ dir: '/flash/outbox', clock, fs: cut });
    expect(b.recovery.pending).toBe(3);
    expect(b.nextSeq).toBe(6);
    await expect(b.append(reading(6))).rejects.toThrow(/power cut/);
    const c = await Outbox.open({ dir: '/flash/outbox', clock, fs: flash });
    // Records acknowledged stay gone, unacknowledged ones survive; the torn line is dropped.
    // (Record 6's append was refused, so it may or may not have reached the flash whole.)
    expect(c.pending().map((r) => r.seq).slice(0, 3)).toEqual([3, 4, 5]);
    expect(c.recovery.tornBytes + c.recovery.corruptLines).toBeGreaterThan(0);
  });
});
