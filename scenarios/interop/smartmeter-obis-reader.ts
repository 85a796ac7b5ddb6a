/**
 * One mode C readout by `smartmeter-obis` (npm; the D0 reader of ioBroker.smartmeter and
 * node-red-contrib-smartmeter), an IEC 62056-21 implementation written independently of this
 * project, over a serial device. It opens the device at 300 7E1, sends `/?<address>!`, parses the
 * identification, answers `ACK 0 Z 0` at 300 baud, switches to the offered baud rate and parses
 * the data message into OBIS measurements.
 */
import { init, type ObisMeasurement } from 'smartmeter-obis';
import type { Clock } from '../../core/clock/index.ts';
import { TimeoutError } from '../../core/errors.ts';

/** What the independent reader made of the meter. */
export interface IndependentReadout {
  /** FLAG id from the identification. */
  manufacturer: string;
  /** The identification after `/XXXZ` (and after the first `\W` pair in mode E). */
  identification: string;
  /** `C`, or `E` when the identification announces an enhanced mode (`\2`, `\@`). */
  mode: string;
  /** Baud rate it switched to for the data message. */
  baud: number;
  /** Parsed measurements by full OBIS id (`1-0:1.8.0`, `1-0:1.8.0*1`). */
  values: Record<string, ObisMeasurement>;
  /** Problems it reported while parsing (it reports them and goes on). */
  complaints: string[];
}

interface D0State {
  deviceManufacturer?: string;
  deviceIdentification?: string;
  commMode?: string;
  commBaudrateChangeover?: number;
}

/**
 * Reads the meter on `path` once. `address` is sent in the request (`''`: none). Rejects when
 * the library gives up (no answer within its message timeout) or after `timeoutMs` of clock time.
 */
export function readWithSmartmeterObis(path: string, clock: Clock, options: { address?: string; timeoutMs?: number } = {}): Promise<IndependentReadout> {
  const complaints: string[] = [];
  const timeoutMs = options.timeoutMs ?? 20_000;
  return new Promise((resolve, reject) => {
    const transport = init(
      {
        protocol: 'D0Protocol',
        transport: 'SerialRequestResponseTransport',
        transportSerialPort: path,
        transportSerialBaudrate: 300,
        transportSerialMessageTimeout: timeoutMs,
        protocolD0DeviceAddress: options.address ?? '',
        requestInterval: -1, // one readout, then the transport stops itself
        obisFallbackMedium: 1,
        debug: 0,
        logger: () => {},
      },
      (err, result) => {
        if (err) {
          complaints.push(err.message);
          if (/No or too long answer/.test(err.message)) finish(() => reject(new TimeoutError(`smartmeter-obis: ${err.message} (${complaints.join('; ')})`)));
          return;
        }
        const p = (transport as unknown as { protocol: D0State }).protocol;
        finish(() =>
          resolve({
            manufacturer: p.deviceManufacturer ?? '',
            identification: p.deviceIdentification ?? '',
            mode: p.commMode ?? '',
            baud: p.commBaudrateChangeover ?? 0,
            values: result,
            complaints,
          }),
        );
      },
    );
    let done = false;
    const timer = clock.setTimer(timeoutMs + 1000, () => finish(() => reject(new TimeoutError(`smartmeter-obis: no readout within ${timeoutMs + 1000} ms (${complaints.join('; ')})`))), 'smartmeter-obis readout');
    function finish(settle: () => void): void {
      if (done) return;
      done = true;
      timer.cancel();
      // After the library's own handling of this message; settle once it has closed its port.
      clock.setTimer(0, () => transport.stop(settle), 'smartmeter-obis stop');
    }
    transport.process();
  });
}
