/**
 * Serves every role a rig file keeps emulated, each on its port, so that the real terminal on the
 * bench reads emulated meters, Modbus devices and its cellular module over real wires:
 *
 *   rig port (role)          emulator                       the real terminal
 *   meter-bus (RS-485)  ◄──  meters of `emulate.meters`  ──► reads them on its RS-485
 *   modbus (RS-485)     ◄──  devices of `emulate.modbus`
 *   modem (UART)        ◄──  module of `emulate.modem`   ──► its AT commands; sockets to the cloud
 *
 * Meters and Modbus devices on one port share it as they would share a bus. Pty paths (a rig of
 * socat pairs standing in for adapters) are paced to line time.
 */
import type { Clock } from '../core/clock/index.ts';
import { InputError } from '../core/errors.ts';
import { TRACE_VERSION, TraceRecorder, type TraceRecord } from '../core/trace/index.ts';
import { serveMeters } from '../emulators/meters/serve.ts';
import { serveModbusDevices } from '../emulators/modbus/serve.ts';
import { serveModem } from '../emulators/gsm-modem/serve.ts';
import type { MeterPort } from '../emulators/meters/engine.ts';
import { isPtyPath } from './open-port.ts';
import type { Rig, RigPort } from './rig-file.ts';

/** One port with what is served on it. */
export interface ServedRigPort {
  port: RigPort;
  /** `2 meters (Makel C500 80099921, …)`. */
  what: string;
  trace: TraceRecorder;
  close(): Promise<void>;
}

export interface ServedRig {
  ports: readonly ServedRigPort[];
  /** Every served port's traffic in one trace, by time. */
  trace(): TraceRecorder;
  /** Stops every emulator and closes the ports. */
  close(): Promise<void>;
}

export interface ServeRigOptions {
  clock: Clock;
  /** One human line per frame (and per emulator note). */
  onTraffic?: (line: string) => void;
}

function meterPortOf(port: RigPort): MeterPort {
  return port.role === 'optical-head' ? 'optical' : port.role === 'rs232' ? 'rs232' : 'rs485';
}

/**
 * Starts the emulators of every port with an `emulate` section. A port with both meters and Modbus
 * devices cannot be served (one adapter, two line settings): it is refused before anything opens.
 * On a failure the emulators already started are stopped again.
 */
export async function serveRigEmulators(rig: Rig, o: ServeRigOptions): Promise<ServedRig> {
  const started: ServedRigPort[] = [];
  try {
    for (const port of rig.ports) {
      const e = port.emulated;
      if (e.meters.length === 0 && e.modbus.length === 0 && !e.modem) continue;
      const pace = await isPtyPath(port.path);
      const common = { path: port.path, clock: o.clock, pace, line: port.id, title: `ht-hil rig serve ${rig.name}: ${port.id}`, ...(o.onTraffic ? { onTraffic: o.onTraffic } : {}) };
      if (e.meters.length > 0 && e.modbus.length > 0) throw new InputError(`${rig.file}: port ${port.id}`, 'serve meters and Modbus devices on separate ports');
      if (e.meters.length > 0) {
        const s = await serveMeters({ ...common, meters: e.meters, settings: port.settings, meterPort: meterPortOf(port) });
        started.push({ port, what: `${e.meters.length} meter${e.meters.length === 1 ? '' : 's'} (${s.meters.map((m) => `${m.profile.brand} ${m.profile.model} ${m.serial}`).join(', ')})`, trace: s.trace, close: () => s.close() });
      } else if (e.modbus.length > 0) {
        const s = await serveModbusDevices({ ...common, devices: e.modbus, settings: port.settings });
        started.push({ port, what: `${e.modbus.length} Modbus device${e.modbus.length === 1 ? '' : 's'} (${s.devices.map((d) => `${d.profile.vendor} ${d.profile.model} @${d.address}`).join(', ')})`, trace: s.trace, close: () => s.close() });
      }
      if (e.modem) {
        const m = e.modem;
        const s = await serveModem({ ...common, module: m.module, cloud: m.cloud, ...(m.sim ? { sim: { state: m.sim } } : {}), ...(m.signalDbm !== undefined ? { signalDbm: m.signalDbm } : {}) });
        started.push({ port, what: `${s.modem.profile.vendor} ${s.modem.profile.model} module, sockets to ${m.cloud.host}:${m.cloud.port}`, trace: s.trace, close: () => s.close() });
      }
    }
  } catch (err) {
    for (const s of started) await s.close().catch(() => {});
    throw err;
  }
  return {
    ports: started,
    trace: () => {
      const out = new TraceRecorder();
      out.add({ kind: 'header', version: TRACE_VERSION, clock: o.clock.virtual ? 'virtual' : 'real', start: Math.min(...started.map((s) => headerStart(s.trace.records)), o.clock.now()), title: `ht-hil rig serve ${rig.name}` });
      const body = started.flatMap((s) => s.trace.records.filter((r) => r.kind !== 'header'));
      for (const r of body.sort((a, b) => ('t' in a ? a.t : 0) - ('t' in b ? b.t : 0))) out.add(r);
      return out;
    },
    close: async () => {
      for (const s of started) await s.close();
    },
  };
}

function headerStart(records: readonly TraceRecord[]): number {
  const h = records[0];
  return h?.kind === 'header' ? h.start : Infinity;
}
