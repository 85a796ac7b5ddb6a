/**
 * Rig mode's lines: the terminal's code opens the rig's ports (USB–RS485 adapters, an optical
 * head, a UART), so it reads the physical devices the rig has; the site's other devices are
 * served by their emulators on the ports the rig names for them (`rig-plan.ts`). Clock and cloud
 * are pty mode's: wall time, TCP on 127.0.0.1.
 *
 * The trace holds what the terminal's ends send and receive (a physical device is seen only
 * through them). Device ends on a pty (a stand-in rig) are paced; real adapters pace themselves.
 */
import { realpath } from 'node:fs/promises';
import type { TraceRecorder } from '../../core/trace/index.ts';
import { InputError } from '../../core/errors.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { LineSettings } from '../../lines/settings.ts';
import { traceTap } from '../../lines/trace-tap.ts';
import type { RigPort } from '../../hil-rig/rig-file.ts';
import type { BusLine, DevicePlace, DeviceWant, LineFactory } from './line-factory.ts';
import { deviceHold, RealWorld } from './pty-lines.ts';
import { PtyEnd } from './pty-end.ts';
import { wantKey, type RigPlan } from './rig-plan.ts';
import { TracedEndpoint } from './traced-endpoint.ts';

/** True when `path` is (a link to) a pseudo-terminal, which has no baud rate of its own. */
async function isPty(path: string): Promise<boolean> {
  try {
    return (await realpath(path)).startsWith('/dev/pts/');
  } catch {
    return false;
  }
}

export function rigLines(o: { start: number; scale?: number | undefined; trace: TraceRecorder; plan: RigPlan }): LineFactory {
  const world = new RealWorld(o, o.trace);
  const tap = traceTap(o.trace);
  const clock = world.clock;
  const served = new Map<string, Promise<{ pty: boolean; ep: Endpoint }>>();

  /** The terminal's end on a rig port, traced both ways (a pty stand-in keeps its settings in process). */
  async function terminalEnd(port: RigPort, echo = false): Promise<Endpoint> {
    const o = { path: port.path, id: `${port.id}/terminal`, line: port.id, settings: port.settings };
    const ep = (await isPty(port.path)) ? await world.openPty({ ...o, hold: 'none' }) : await world.open({ ...o, pace: false });
    return new TracedEndpoint(ep, { clock, tap, rx: true, echo });
  }

  /**
   * An emulator's end on `port`: every emulator served there shares one open port; on a pty each
   * holds its writes for their line time (a real adapter's UART paces itself).
   */
  async function servedEnd(port: RigPort, settings: LineSettings, kind: 'meter' | 'modem' | 'modbus'): Promise<Endpoint> {
    let opened = served.get(port.path);
    if (!opened) {
      opened = isPty(port.path).then(async (pty) => ({ pty, ep: await world.open({ path: port.path, id: `${port.id}/emulated`, line: port.id, settings, pace: false }) }));
      served.set(port.path, opened);
    }
    const { pty, ep } = await opened;
    return pty ? new PtyEnd(ep, clock, deviceHold(kind)) : ep;
  }

  async function place(want: DeviceWant, settings: LineSettings): Promise<DevicePlace> {
    const p = o.plan.places.get(wantKey(want));
    if (!p) throw new InputError(`rig '${o.plan.rig.name}'`, `no place for ${wantKey(want)}`);
    if (p.kind === 'emulated') return { kind: 'emulated', endpoint: await servedEnd(p.port, settings, want.kind) };
    const dev = p.meter ?? p.modbus;
    return { kind: 'physical', port: p.port.id, serial: dev?.serial, address: dev?.address, name: dev?.name };
  }

  function portOf(which: 'optical' | 'rs232' | 'rs485'): RigPort {
    const port = o.plan.terminalPorts[which];
    if (!port) throw new InputError(`rig '${o.plan.rig.name}'`, `no port for the terminal's ${which} line`);
    return port;
  }

  return {
    mode: 'rig',
    clock,
    connectCloud: (cloud) => world.connectCloud(cloud),
    async meterLine(want, { echo, settings }) {
      const terminal = await terminalEnd(portOf(want.port), echo);
      return { terminal, device: await place(want, settings) };
    },
    async bus({ adapterEcho }): Promise<BusLine> {
      const port = portOf('rs485');
      const terminal = await terminalEnd(port, adapterEcho && !port.echo);
      return { terminal, place: (want, _name, settings) => place(want, settings) };
    },
    async modemLine(line, settings, main) {
      const own = main ? o.plan.terminalPorts.modem : undefined;
      const modemPlace = o.plan.places.get('modem');
      if (own && modemPlace) {
        return { terminal: await terminalEnd(own), modem: await servedEnd(modemPlace.port, settings, 'modem') };
      }
      const p = await world.ptyPair(line.replace(/[^A-Za-z0-9_-]/g, '_'));
      const a = await world.openPty({ path: p.a, id: `${line}/terminal`, line, settings, hold: 'none' });
      const b = await world.openPty({ path: p.b, id: `${line}/modem`, line, settings, hold: deviceHold('modem') });
      return { terminal: new TracedEndpoint(a, { clock, tap }), modem: new TracedEndpoint(b, { clock, tap }) };
    },
    dialer: (id, _path, reachable) => world.dialer(id, reachable),
    cellularDialers: (id, reachable) => {
      const d = world.dialer(id, reachable);
      return () => d;
    },
    close: () => world.close(),
  };
}
