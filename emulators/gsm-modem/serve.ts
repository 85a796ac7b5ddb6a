/**
 * The emulated cellular module served on one serial device — a USB–UART adapter, a UART, or one
 * end of a socat pty pair — in real time (115200 8N1), for AT clients outside the process: a real
 * HT terminal's firmware, `chat`, a vendor tool. Its sockets reach a real TCP address (the cloud)
 * through a `TcpDialer`.
 *
 *   DTE ── device ── SerialPortEndpoint ──┬── view ── GsmModem ── TcpDialer ── cloud HOST:PORT
 *                    (115200 8N1)         └── tap: one printed line and one trace record per AT line each way
 *
 * Lines from the DTE are cut at CR (and at Ctrl-Z / ESC, the end of prompt data, or after a quiet
 * gap); the module's writes are printed one per write with their lines joined by ` · `.
 */
import { concatBytes, toPrintable } from '../../core/bytes.ts';
import type { Timer } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import type { LinkDialer } from '../../lines/net/link.ts';
import { TcpDialer } from '../../lines/net/tcp-link.ts';
import type { LineSettings } from '../../lines/settings.ts';
import { createPortTap, createPortWriter, openServedPort, PortView, type AttachOptions, type PortSend, type EngineSet, type Served } from '../serve-port.ts';
import { createModem } from './create-modem.ts';
import type { GsmModem } from './modem.ts';
import { findModemProfile, shippedModemProfiles } from './profile-loader.ts';
import type { SimOptions } from './sim.ts';

/** The serial settings the module is served at. */
export const MODEM_LINE: LineSettings = Object.freeze({ baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 });

/** Where sockets go when no cloud address is given. */
export const DEFAULT_CLOUD = '127.0.0.1:7001';

/** A cloud address `HOST:PORT`. */
export interface CloudAddress {
  host: string;
  port: number;
}

/** Parses `HOST:PORT` (port 1..65535); throws an `InputError` naming `where` otherwise. */
export function parseCloudAddress(text: string, where = '--cloud'): CloudAddress {
  const m = /^(\[[^\]]+\]|[^:\s]+):(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port < 1 || port > 65535) throw new InputError(where, `expected HOST:PORT with a port 1..65535, got "${text}"`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** Checks a module name against the shipped profiles; throws an `InputError` listing them otherwise. */
export function checkModuleName(name: string, where = '--module'): string {
  const profiles = shippedModemProfiles();
  const p = findModemProfile(name, profiles);
  if (!p) throw new InputError(where, `no module profile is named "${name}" (known: ${profiles.map((l) => `${l.vendor} ${l.model}`).join(', ')})`);
  return name;
}

export interface AttachModemOptions extends AttachOptions {
  /** Module profile name: `SIM800C`, `EC25-E`, `quectel/ec25-e`. */
  module: string;
  sim?: SimOptions;
  /** Constant signal at the site on every technology, dBm (default: the module's default coverage). */
  signalDbm?: number;
  /** Where the module's sockets go. */
  dialer: LinkDialer;
  /** Hold each write for its line time before handing it over (a pty has no baud rate). */
  holdLineTime?: boolean;
  /** Quiet gap after which a DTE line without CR is shown anyway, ms (default 200). */
  flushMs?: number;
}

/** The module attached to one endpoint. */
export interface ModemSet extends EngineSet {
  readonly modem: GsmModem;
}

/** The lines of a module write, printable, joined by ` · ` (`<CR><LF>` separators dropped). */
export function describeModemOutput(bytes: Uint8Array): string {
  const text = toPrintable(bytes).split(/(?:<CR>|<LF>)+/).filter((l) => l !== '');
  return text.length === 0 ? '(line end)' : text.join(' · ');
}

/**
 * Attaches a module to `endpoint` and taps its traffic: every DTE line and every module write is
 * one trace record and one printed line. Throws an `InputError` for an unknown module.
 */
export function attachModem(o: AttachModemOptions): ModemSet {
  const { endpoint: port, clock } = o;
  checkModuleName(o.module);
  const tap = createPortTap({ port, clock, peer: 'sender', ...(o.title ? { title: o.title } : {}), ...(o.onTraffic ? { onTraffic: o.onTraffic } : {}) });
  const dte = `${port.line}/dte`;
  const me = `${port.line}/modem`;
  tap.name(dte, 'DTE');
  tap.name(me, 'modem');
  let disposed = false;

  const write = createPortWriter({
    port, clock, sliceMs: o.sliceMs ?? 0, holdLineTime: o.holdLineTime ?? false,
    onSent: (from, t, end, bytes, settings, collision) => tap.frame(from, t, end, bytes, settings, describeModemOutput(bytes), collision),
  });

  // The module fires its writes without waiting; held for line time, a short write could
  // overtake a long one. One after another keeps them in order.
  let queue: Promise<void> = Promise.resolve();
  const send: PortSend = (from, bytes) => {
    const done = queue.then(() => write(from, bytes));
    queue = done.catch(() => {});
    return done;
  };

  // DTE lines: cut at CR, Ctrl-Z or ESC, or shown after a quiet gap.
  let pending: Uint8Array[] = [];
  let first = 0;
  let last = 0;
  let quiet: Timer | undefined;
  const flush = () => {
    quiet?.cancel();
    quiet = undefined;
    if (pending.length === 0) return;
    const bytes = concatBytes(pending);
    pending = [];
    const text = toPrintable(bytes).replace(/<CR>$/, '');
    tap.frame(dte, first, last, bytes, port.settings, text === '' ? '(empty line)' : text);
  };
  const offRx = port.onData((c) => {
    if (c.echo || disposed) return;
    let from = 0;
    for (let i = 0; i < c.bytes.length; i++) {
      const b = c.bytes[i]!;
      if (b !== 0x0d && b !== 0x1a && b !== 0x1b) continue;
      if (pending.length === 0) first = c.start;
      pending.push(c.bytes.subarray(from, i + 1));
      last = c.end;
      flush();
      from = i + 1;
    }
    if (from < c.bytes.length) {
      if (pending.length === 0) first = c.start;
      pending.push(c.bytes.slice(from));
      last = c.end;
      quiet?.cancel();
      quiet = clock.setTimer(o.flushMs ?? 200, flush, 'modem: DTE quiet');
    }
  });

  let modem: GsmModem;
  try {
    modem = createModem({
      profile: o.module,
      endpoint: new PortView(me, port, send),
      clock,
      dialer: o.dialer,
      ...(o.sim ? { sim: o.sim } : {}),
      ...(o.signalDbm !== undefined ? { radio: { gsm: { kind: 'constant', dbm: o.signalDbm }, lte: { kind: 'constant', dbm: o.signalDbm } } } : {}),
      note: (text) => {
        if (!disposed) tap.note(me, text);
      },
    });
  } catch (err) {
    offRx();
    throw err;
  }
  return {
    modem,
    trace: tap.trace,
    dispose: () => {
      if (disposed) return;
      flush();
      disposed = true;
      offRx();
      modem.dispose();
    },
  };
}

export interface ServeModemOptions extends Omit<AttachModemOptions, 'endpoint' | 'dialer' | 'holdLineTime'> {
  /** The serial device: `/dev/ttyUSB0`, or one end of a pty pair. */
  path: string;
  /** The device is a pty (no baud rate): hold each write for its line time. Leave off for a real port. */
  pace: boolean;
  /** Where the module's TCP sockets go (default `DEFAULT_CLOUD`). */
  cloud?: CloudAddress;
  /** Line id in traces; default the path. */
  line?: string;
}

/** The module served on an open device. `close()` switches it off and closes the device. */
export type ServedModem = Served<ModemSet>;

/**
 * Opens `path` at 115200 8N1 and serves the module on it until `close()`. Rejects with an
 * `InputError` for an unknown module (before the device is opened) and with the endpoint's
 * `EnvironmentError` when the device is missing or not permitted.
 */
export async function serveModem(o: ServeModemOptions): Promise<ServedModem> {
  checkModuleName(o.module);
  const cloud = o.cloud ?? parseCloudAddress(DEFAULT_CLOUD);
  const dialer = new TcpDialer(cloud.host, cloud.port);
  return openServedPort({ path: o.path, settings: MODEM_LINE, clock: o.clock, pace: false, ...(o.line ? { line: o.line } : {}) }, (endpoint) =>
    attachModem({ ...o, endpoint, dialer, holdLineTime: o.pace, sliceMs: o.pace ? (o.sliceMs ?? 20) : 0 }),
  );
}
