/**
 * The cellular test rig: a virtual clock, a 115200 8N1 wire, the emulated module on one end and
 * the terminal's `CellularDialer` on the other, the module's sockets reaching an echoing acceptor.
 */
import { VirtualClock } from '../../core/clock/index.ts';
import { concatBytes } from '../../core/bytes.ts';
import { cellularDialers, createModem, type CreateModemOptions } from '../../emulators/gsm-modem/index.ts';
import type { ByteLink, LinkAcceptor } from '../../lines/net/link.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { CellularDialer, type CellularDialerOptions } from '../../terminal/cellular/index.ts';

/** Echoes every byte back and keeps what it received. */
export class EchoAcceptor implements LinkAcceptor {
  readonly links: ByteLink[] = [];
  readonly received: Uint8Array[] = [];
  accept(link: ByteLink): void {
    this.links.push(link);
    link.onData((b) => {
      this.received.push(b);
      void link.write(b).catch(() => undefined);
    });
  }
  text(): string {
    return new TextDecoder().decode(concatBytes(this.received));
  }
}

/** A wired rig for one module profile. */
export function cellularRig(o: Partial<Omit<CreateModemOptions, 'endpoint' | 'clock' | 'dialer'>> & { profile: string; dialer?: Partial<CellularDialerOptions> }) {
  const clock = new VirtualClock();
  const settings = { baudRate: 115200, dataBits: 8, parity: 'none', stopBits: 1 } as const;
  const wire = new VirtualWire(clock, 'gsm', { settings, id: 'gsm/terminal' }, { settings, id: 'gsm/modem' });
  const cloud = new EchoAcceptor();
  const { dialer: dialerOptions, ...modemOptions } = o;
  const modem = createModem({ ...modemOptions, endpoint: wire.b, clock, dialer: cellularDialers(clock, cloud, 'cloud') });
  const dialer = new CellularDialer({
    endpoint: wire.a,
    clock,
    apn: { apn: 'm2m.turkcell.com.tr' },
    host: 'uplink.smartpower.example',
    port: 7001,
    powerCycle: () => modem.powerCycle(),
    ...dialerOptions,
  });
  return { clock, wire, modem, cloud, dialer };
}

/** Collects what a link receives. */
export function collect(link: ByteLink): { text: () => string; closed: () => string | undefined } {
  const parts: Uint8Array[] = [];
  let reason: string | undefined;
  link.onData((b) => parts.push(b));
  link.onClose((r) => (reason = r));
  return { text: () => new TextDecoder().decode(concatBytes(parts)), closed: () => reason };
}
