import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../core/clock/index.ts';
import { ascii } from '../core/bytes.ts';
import { VirtualWire } from './virtual-wire.ts';
import { IEC_OPENING } from './settings.ts';
import { traceTap } from './trace-tap.ts';
import { LineReader } from './reader.ts';
import { parseTrace, prettyTrace, TraceRecorder } from '../core/trace/index.ts';

async function exchange(): Promise<string> {
  const clock = new VirtualClock();
  const rec = new TraceRecorder();
  rec.add({ kind: 'header', version: 1, clock: 'virtual', start: clock.now() });
  const wire = new VirtualWire(clock, 'optical', { id: 'optical/terminal', settings: IEC_OPENING }, { id: 'optical/meter', settings: IEC_OPENING });
  wire.tap(traceTap(rec));
  const meter = new LineReader(wire.b, clock);
  const session = async () => {
    await wire.a.write(ascii('/?!\r\n'));
    await meter.read({ frame: (b) => b.indexOf(0x0a) + 1, firstByteTimeoutMs: 1500 });
    await clock.sleep(200);
    await wire.b.write(ascii('/ELS5\\@V9.20\r\n'));
    await wire.a.update({ baudRate: 9600 });
    await wire.b.write(ascii('garbled at 300 baud'));
  };
  await clock.run(session);
  await clock.runFor(1000);
  return rec.toJsonl();
}

describe('trace', () => {
  it('the same virtual exchange run twice gives byte-identical traces', async () => {
    const first = await exchange();
    const second = await exchange();
    expect(first).toBe(second);
    expect(first.split('\n').length).toBeGreaterThan(4);
  });

  it('records sender, settings and what a mismatched receiver got, and reads back', async () => {
    const records = parseTrace(await exchange(), 'x.jsonl');
    const tx = records.filter((r) => r.kind === 'tx');
    expect(tx[0]).toMatchObject({ line: 'optical', from: 'optical/terminal', hex: '2f3f210d0a', settings: '300 7E1' });
    const rx = records.find((r) => r.kind === 'rx');
    expect(rx).toMatchObject({ to: 'optical/terminal', settings: '9600 7E1', sent: '300 7E1' });
    expect(rx?.kind === 'rx' && rx.flags).toContain('mismatch');
  });

  it('pretty prints with named control characters', async () => {
    const text = prettyTrace(parseTrace(await exchange())).join('\n');
    expect(text).toMatch(/\+0\.000000 {2}optical {2}optical\/terminal → {2}300 7E1 {2}5 bytes/);
    expect(text).toContain('/?!<CR><LF>');
    expect(text).toContain('/ELS5\\@V9.20<CR><LF>');
    expect(text).toMatch(/optical\/terminal ←! {2}9600 7E1 \[.*mismatch\] \(sent at 300 7E1\)/);
  });

  it('names the file, line and field of a bad record', () => {
    expect(() => parseTrace('{"kind":"header","version":1,"clock":"virtual","start":0}\n{"kind":"tx","t":1}', 'cap.jsonl')).toThrow(/cap\.jsonl:2: end/);
    expect(() => parseTrace('nope', 'cap.jsonl')).toThrow(/cap\.jsonl:1: not JSON/);
    expect(() => parseTrace('{"kind":"tx","t":0,"end":1,"line":"l","from":"f","hex":"ABC","settings":"9600 8N1"}')).toThrow(/hex/);
  });
});
