/**
 * `LanDialer`: the uplink's way out on an Ethernet model. It dials the centre only once the
 * interface has an address and a route, and refuses otherwise with the reason in words:
 * `cable unplugged`, `no address: DHCP got no answer`,
 * `no route to 10.0.0.1 via gateway 192.168.5.1: the gateway does not answer`. A link it handed
 * out is closed when the carrier goes or the address changes (the sockets of an interface that
 * went down are dead).
 */
import { HtHilError } from '../../core/errors.ts';
import type { ByteLink, LinkDialer } from '../../lines/net/link.ts';
import type { EthernetInterface } from './ethernet.ts';

/** A dial refused because the interface cannot reach the centre; the message is the reason. */
export class NoRouteError extends HtHilError {
  constructor(reason: string) {
    super('E_NO_ROUTE', reason);
  }
}

export class LanDialer implements LinkDialer {
  constructor(
    /** The interface in use now (it changes at each start of the terminal). */
    private readonly iface: () => EthernetInterface | undefined,
    /** The path beyond the port: the network's own dialer. */
    private readonly inner: LinkDialer,
  ) {}

  async dial(): Promise<ByteLink> {
    const iface = this.iface();
    if (!iface) throw new NoRouteError('the Ethernet interface is down');
    const why = await iface.ensureRoute();
    if (why) throw new NoRouteError(why);
    const from = iface.current;
    const link = await this.inner.dial();
    const check = () => {
      const now = iface.current;
      if (!now) link.close(iface.refusal() ?? 'the interface lost its address');
      else if (now.address !== from?.address) link.close(`the interface's address changed from ${from?.address} to ${now.address}`);
    };
    const off = iface.onChange(check);
    link.onClose(() => off());
    check();
    return link;
  }
}
