/**
 * The terminal's Ethernet port as its IP stack sees it: carrier, frames out and in, and the
 * address connections leave from. The site's LAN (emulated, or a real one behind an adapter)
 * implements it; the terminal never knows which.
 *
 * Frames are modelled as messages, not bytes: DHCP (RFC 2131) with the options the terminal
 * uses, and ARP (RFC 826) for the gateway check. Connections to the centre go through the
 * terminal's `LinkDialer`, which the LAN provides beside the port.
 */

import type { InterfaceAddress, LanFrame } from '../../lines/net/lan-frames.ts';
export type { ArpMessage, DhcpMessage, InterfaceAddress, LanFrame } from '../../lines/net/lan-frames.ts';

export interface LanPort {
  /** A cable joins the port to a live switch port. */
  readonly carrier: boolean;
  /** Called on every carrier change. Returns the unsubscribe function. */
  onCarrier(listener: (up: boolean) => void): () => void;
  /** Puts a frame on the wire; it is lost without carrier. Never throws. */
  send(frame: LanFrame): void;
  /** Frames for this port (its MAC, or broadcast), in arrival order. Returns the unsubscribe function. */
  onFrame(listener: (frame: LanFrame) => void): () => void;
  /** The address outgoing connections leave from from now on; undefined: none. */
  configure(address: InterfaceAddress | undefined): void;
}
