/**
 * Virtual mode's lines: everything in process on one `VirtualClock`; every line tapped into the
 * site's trace.
 */
import { VirtualClock } from '../../core/clock/index.ts';
import type { TraceRecorder } from '../../core/trace/index.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { traceTap } from '../../lines/trace-tap.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { cellularDialers } from '../../emulators/gsm-modem/index.ts';
import type { FakeCloud } from '../../fake-cloud/index.ts';
import type { BusLine, LineFactory } from './line-factory.ts';

export function virtualLines(o: { start?: number; trace: TraceRecorder }): LineFactory {
  const clock = new VirtualClock(o.start !== undefined ? { start: o.start } : {});
  let cloud: FakeCloud | undefined;
  const acceptor = { accept: (link: Parameters<FakeCloud['uplink']['accept']>[0]) => cloud!.uplink.accept(link) };
  return {
    mode: 'virtual',
    clock,
    connectCloud: async (c) => void (cloud = c),
    async meterLine(want, { echo, settings }) {
      const port = want.port;
      const wire = new VirtualWire(clock, port, { id: `${port}/terminal`, settings, echo }, { id: `${port}/meter`, settings });
      wire.tap(traceTap(o.trace));
      return { terminal: wire.a, device: { kind: 'emulated', endpoint: wire.b } };
    },
    async bus({ line, terminalSettings, adapterEcho }): Promise<BusLine> {
      const bus = new Rs485Bus(clock, line);
      bus.tap(traceTap(o.trace));
      const terminal = bus.attach('terminal', { settings: terminalSettings, echo: adapterEcho });
      return { terminal, place: async (_want, name, settings) => ({ kind: 'emulated', endpoint: bus.attach(name, { settings }) }) };
    },
    async modemLine(line, settings) {
      const wire = new VirtualWire(clock, line, { id: `${line}/terminal`, settings }, { id: `${line}/modem`, settings });
      wire.tap(traceTap(o.trace));
      return { terminal: wire.a, modem: wire.b };
    },
    dialer: (id, path, reachable) => new MemoryDialer(clock, acceptor, id, { latencyMs: path.latencyMs }, reachable),
    cellularDialers: (id, reachable) => cellularDialers(clock, acceptor, id, {}, reachable),
    close: async () => {},
  };
}
