/**
 * Pty mode's lines: the same site, with every byte through the OS on a wall clock.
 *
 * - A point-to-point line (optical, RS-232, a terminal's modem UART) is a socat pty pair; the
 *   terminal and the device each open their end with `SerialPortEndpoint`.
 * - The RS-485 line is a `PtyBus`: a pty pair per drop and a hub that repeats every byte to the
 *   other drops at the bus's character time, with collisions.
 * - The cloud listens on TCP on 127.0.0.1 and the terminal (or its modem) connects to it.
 *
 * Every end on a pty is a `PtyEnd`: its settings stay in process (a pty has no baud rate, and
 * serialport's settings change would flush bytes in flight), and device ends hold each write
 * for its line time before the OS gets it: a meter's 300-baud identification arrives byte by
 * byte as on a real line, and a half-duplex device is busy until its answer is out.
 */
import { RunClock } from './run-clock.ts';
import type { TraceRecorder } from '../../core/trace/index.ts';
import { HtHilError } from '../../core/errors.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { ByteLink, LinkDialer } from '../../lines/net/link.ts';
import { TcpDialer } from '../../lines/net/tcp-link.ts';
import { PtyBus } from '../../lines/pty-bus.ts';
import { PtyPair } from '../../lines/pty-pair.ts';
import { SerialPortEndpoint } from '../../lines/serialport-endpoint.ts';
import type { LineSettings } from '../../lines/settings.ts';
import { traceTap } from '../../lines/trace-tap.ts';
import type { FakeCloud } from '../../fake-cloud/index.ts';
import type { BusLine, LineFactory } from './line-factory.ts';
import { TracedEndpoint } from './traced-endpoint.ts';
import { PtyEnd, type Hold } from './pty-end.ts';

/** How a device's end on a pty holds its writes: meters and modems trickle, Modbus frames go whole. */
export function deviceHold(kind: 'meter' | 'modem' | 'modbus'): Hold {
  return kind === 'modbus' ? 'whole' : 20;
}

/** What pty and rig modes share: the wall clock, the cloud on TCP, and the things to close. */
export class RealWorld {
  readonly clock: RunClock;
  private port: number | undefined;
  private readonly closers: (() => Promise<void>)[] = [];
  private closed = false;

  constructor(
    o: { start: number; scale?: number | undefined },
    readonly trace: TraceRecorder,
  ) {
    this.clock = new RunClock({ start: o.start, ...(o.scale !== undefined ? { scale: o.scale } : {}) });
  }

  /** Runs `close` when the factory closes (last added, first closed). */
  onClose(close: () => Promise<void>): void {
    this.closers.push(close);
  }

  async connectCloud(cloud: FakeCloud): Promise<void> {
    const { uplinkPort } = await cloud.start({ tcp: { port: 0, host: '127.0.0.1' } });
    this.port = uplinkPort;
  }

  /** A TCP path to the cloud that refuses while `reachable` names an outage. */
  dialer(id: string, reachable: () => string | undefined): LinkDialer {
    return {
      dial: async (): Promise<ByteLink> => {
        const why = reachable();
        if (why) throw new HtHilError('E_LINK', `${id}: cannot connect: ${why}`);
        if (this.port === undefined) throw new HtHilError('E_LINK', `${id}: cannot connect: the cloud is not listening`);
        return new TcpDialer('127.0.0.1', this.port, id).dial();
      },
    };
  }

  /** Opens an OS port; closed with the factory. */
  async open(o: { path: string; id: string; line: string; settings: LineSettings; pace: boolean }): Promise<SerialPortEndpoint> {
    const ep = await SerialPortEndpoint.open({ path: o.path, settings: o.settings, clock: this.clock, pace: o.pace, id: o.id, line: o.line });
    this.onClose(() => ep.close());
    return ep;
  }

  /** Opens one end of a pty as a `PtyEnd`; closed with the factory. */
  async openPty(o: { path: string; id: string; line: string; settings: LineSettings; hold: Hold }): Promise<PtyEnd> {
    return new PtyEnd(await this.open({ ...o, pace: false }), this.clock, o.hold);
  }

  /** A socat pty pair, stopped with the factory. */
  async ptyPair(name: string): Promise<PtyPair> {
    const pair = await PtyPair.start({ name, clock: this.clock });
    this.onClose(() => pair.stop());
    return pair;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.closers.reverse()) await c().catch(() => {});
    this.clock.stop();
  }
}

export function ptyLines(o: { start: number; scale?: number | undefined; trace: TraceRecorder }): LineFactory {
  const world = new RealWorld(o, o.trace);
  const tap = traceTap(o.trace);
  const clock = world.clock;

  /** A pty pair with the terminal on one end and a device on the other, both traced. */
  async function pair(line: string, device: string, settings: LineSettings, echo: boolean): Promise<{ terminal: Endpoint; device: Endpoint }> {
    const p = await world.ptyPair(line.replace(/[^A-Za-z0-9_-]/g, '_'));
    const a = await world.openPty({ path: p.a, id: `${line}/terminal`, line, settings, hold: 'none' });
    const b = await world.openPty({ path: p.b, id: `${line}/${device}`, line, settings, hold: deviceHold(device === 'modem' ? 'modem' : 'meter') });
    return { terminal: new TracedEndpoint(a, { clock, tap, echo }), device: new TracedEndpoint(b, { clock, tap }) };
  }

  return {
    mode: 'pty',
    clock,
    connectCloud: (cloud) => world.connectCloud(cloud),
    async meterLine(want, { echo, settings }) {
      const p = await pair(want.port, 'meter', settings, echo);
      return { terminal: p.terminal, device: { kind: 'emulated', endpoint: p.device } };
    },
    async bus({ line, terminalSettings, busSettings, adapterEcho }): Promise<BusLine> {
      const bus = new PtyBus({ clock, line, settings: busSettings });
      world.onClose(() => bus.close());
      bus.tap(tap);
      const drop = await bus.attach('terminal', { echo: adapterEcho });
      const terminal = await world.openPty({ path: drop.path, id: drop.id, line, settings: terminalSettings, hold: 'none' });
      return {
        terminal,
        place: async (want, name, settings) => {
          const d = await bus.attach(name);
          return { kind: 'emulated', endpoint: await world.openPty({ path: d.path, id: d.id, line, settings, hold: deviceHold(want.kind) }) };
        },
      };
    },
    async modemLine(line, settings) {
      const p = await pair(line, 'modem', settings, false);
      return { terminal: p.terminal, modem: p.device };
    },
    dialer: (id, _path, reachable) => world.dialer(id, reachable),
    cellularDialers: (id, reachable) => {
      const gsm = world.dialer(`${id}/gsm`, reachable);
      const lte = world.dialer(`${id}/lte`, reachable);
      return (tech) => (tech === 'lte' ? lte : gsm);
    },
    close: () => world.close(),
  };
}
