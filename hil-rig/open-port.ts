/**
 * Opens rig ports as endpoints. A pty has no baud rate: bytes written to it arrive at once, so a
 * pty is paced to line time (after each write, or before it: see `HeldEndpoint`).
 */
import { isPtyPath } from '../lines/pty-path.ts';
import type { Clock } from '../core/clock/index.ts';
import { EndpointWrapper } from '../lines/endpoint-wrapper.ts';
import type { Endpoint } from '../lines/endpoint.ts';
import { SerialPortEndpoint } from '../lines/serialport-endpoint.ts';
import { charTimeMs, type LineSettings } from '../lines/settings.ts';
import type { RigPort } from './rig-file.ts';

/** True when `path` (after symlinks) is a pseudo-terminal, e.g. one end of a socat pair. */
export { isPtyPath };

/** Opens a device path; `pace` defaults to on for ptys, off for real ports. */
export async function openSerial(path: string, clock: Clock, o: { settings: LineSettings; id?: string; line?: string; pace?: boolean }): Promise<SerialPortEndpoint> {
  const pty = await isPtyPath(path);
  const pace = o.pace ?? pty;
  return SerialPortEndpoint.open({ path, settings: o.settings, clock, pace, id: o.id ?? path, line: o.line ?? path, ...(pty ? { osSettings: false } : {}) });
}

/**
 * Opens a rig port with its settings (or `settings`); the line id is the port id. Rejects with
 * an `EnvironmentError` naming the path when the adapter is missing or not permitted.
 */
export function openRigPort(port: RigPort, clock: Clock, o: { settings?: LineSettings; pace?: boolean } = {}): Promise<SerialPortEndpoint> {
  return openSerial(port.path, clock, { settings: o.settings ?? port.settings, id: `${port.id}/rig`, line: port.id, ...(o.pace !== undefined ? { pace: o.pace } : {}) });
}

/**
 * An endpoint that holds each write for its line time BEFORE handing it over, so that on a pty
 * the far end gets the bytes when a real line would have finished delivering them, and the
 * write resolves then. A probe measures a device's reaction from there.
 */
export class HeldEndpoint extends EndpointWrapper {
  constructor(inner: Endpoint, private readonly clock: Clock) {
    super(inner);
  }
  override async write(bytes: Uint8Array): Promise<void> {
    await this.clock.sleep(bytes.length * charTimeMs(this.inner.settings));
    await this.inner.write(bytes);
  }
}

/** Opens a rig port for questions and answers (a probe): ptys are held to line time before each write. */
export async function openRigPortForQuestions(port: RigPort, clock: Clock): Promise<Endpoint> {
  const pty = await isPtyPath(port.path);
  const ep = await openRigPort(port, clock, { pace: false });
  return pty ? new HeldEndpoint(ep, clock) : ep;
}
