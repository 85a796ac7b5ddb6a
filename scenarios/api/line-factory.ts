/**
 * How a site gets its clock, its serial lines and its network paths: one factory per mode, so
 * the site builder, the terminal and the emulators are the same code in every mode.
 *
 * | mode    | clock                    | meter / modem lines            | RS-485 line                 | to the cloud            |
 * |---------|--------------------------|--------------------------------|-----------------------------|-------------------------|
 * | virtual | VirtualClock             | VirtualWire                    | Rs485Bus                    | MemoryDialer (latency)  |
 * | pty     | RunClock (wall, scaled)  | socat PtyPair + serialport     | PtyBus (pty per drop + hub) | TCP to the cloud        |
 * | rig     | RunClock (wall, scaled)  | the rig's port (adapter)       | the rig's bus port          | TCP to the cloud        |
 *
 * In rig mode a device the rig has physically is not emulated: `place()` says where it is, and the
 * terminal reads the real one through the adapter.
 */
import type { Clock } from '../../core/clock/index.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import type { LinkDialer } from '../../lines/net/link.ts';
import type { LineSettings } from '../../lines/settings.ts';
import type { MeterProfile } from '../../emulators/meters/profile-schema.ts';
import type { ModbusProfile } from '../../emulators/modbus/profile-schema.ts';
import type { TechnologyDialers } from '../../emulators/gsm-modem/index.ts';
import type { FakeCloud } from '../../fake-cloud/index.ts';
import type { Mode } from './scenario.ts';

/** A device the site puts on a line (a rig may have the real one). */
export type DeviceWant =
  | { kind: 'meter'; port: 'optical' | 'rs232' | 'rs485'; index: number; profile: MeterProfile; serial: string }
  | { kind: 'modbus'; index: number; profile: ModbusProfile; address?: number | undefined };

/** Where a wanted device is: an end to serve its emulator on, or the real device on a rig port. */
export type DevicePlace =
  | { kind: 'emulated'; endpoint: Endpoint }
  | {
      kind: 'physical';
      /** The rig port's id. */
      port: string;
      /** The real device's serial and address (IEC device address, or Modbus address). */
      serial?: string | undefined;
      address?: string | number | undefined;
      name?: string | undefined;
    };

/** A point-to-point meter port: the terminal's end, and where the meter is. */
export interface MeterLine {
  readonly terminal: Endpoint;
  readonly device: DevicePlace;
}

/** The RS-485 line: the terminal's drop, and drops for the devices. */
export interface BusLine {
  readonly terminal: Endpoint;
  /** A drop for a device named `name` (trace id `rs485/<name>`) with its own settings. */
  place(want: DeviceWant, name: string, settings: LineSettings): Promise<DevicePlace>;
}

export interface LineFactory {
  readonly mode: Mode;
  readonly clock: Clock;
  /** Pty and rig modes: opens the cloud's TCP listener that the dialers connect to. */
  connectCloud(cloud: FakeCloud): Promise<void>;
  /** The optical or RS-232 line of the main terminal, with the meter wanted on it. */
  meterLine(want: Extract<DeviceWant, { kind: 'meter' }> & { port: 'optical' | 'rs232' }, options: { echo: boolean; settings: LineSettings }): Promise<MeterLine>;
  /** The main terminal's RS-485 line; `settings` are the terminal drop's (and a pty bus's timing). */
  bus(options: { line: string; terminalSettings: LineSettings; busSettings: LineSettings; adapterEcho: boolean }): Promise<BusLine>;
  /** A terminal's UART to its cellular module (`main` is the main terminal's). */
  modemLine(line: string, settings: LineSettings, main: boolean): Promise<{ terminal: Endpoint; modem: Endpoint }>;
  /** The Ethernet path to the cloud; `reachable` returns why it is not (an outage), or undefined. */
  dialer(id: string, path: { latencyMs: number }, reachable: () => string | undefined): LinkDialer;
  /** A cellular module's data paths to the cloud, per radio technology. */
  cellularDialers(id: string, reachable: () => string | undefined): TechnologyDialers;
  /** Closes every line it made (ports, socat, hubs). Idempotent. */
  close(): Promise<void>;
}
