import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import type { RxChunk } from '../../lines/endpoint.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import type { LineEvent } from '../../lines/tap.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { TracedEndpoint } from './traced-endpoint.ts';

describe('TracedEndpoint', () => {
  it('records each write as tx, what it received as rx when asked, and echoes its writes when asked', async () => {
    const clock = new VirtualClock();
    const wire = new VirtualWire(clock, 'optical', { id: 'optical/terminal', settings: MODBUS_DEFAULT }, { id: 'optical/meter', settings: MODBUS_DEFAULT });
    const events: LineEvent[] = [];
    const end = new TracedEndpoint(wire.a, { clock, tap: (e) => events.push(e), rx: true, echo: true });
    const got: RxChunk[] = [];
    end.onData((c) => got.push(c));
    await clock.run(end.write(Uint8Array.of(1, 2, 3)));
    await clock.run(wire.b.write(Uint8Array.of(9)));
    await clock.runFor(10);
    expect(events.map((e) => [e.kind, e.kind === 'tx' ? e.from : e.kind === 'rx' ? e.to : '', e.kind === 'note' ? [] : [...e.bytes]])).toEqual([
      ['tx', 'optical/terminal', [1, 2, 3]],
      ['rx', 'optical/terminal', [9]],
    ]);
    expect(got.map((c) => [[...c.bytes], c.echo ?? false])).toEqual([
      [[1, 2, 3], true],
      [[9], false],
    ]);
  });

  it('records nothing for a write on a closed end', async () => {
    const clock = new VirtualClock();
    const wire = new VirtualWire(clock, 'x', { settings: MODBUS_DEFAULT }, { settings: MODBUS_DEFAULT });
    const events: LineEvent[] = [];
    const end = new TracedEndpoint(wire.a, { clock, tap: (e) => events.push(e) });
    await end.close();
    await expect(end.write(Uint8Array.of(1))).rejects.toThrow(/closed/);
    expect(events).toEqual([]);
  });
});
