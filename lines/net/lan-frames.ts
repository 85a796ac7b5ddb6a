/**
 * What crosses an Ethernet port, as messages rather than bytes: DHCP (RFC 2131) with the options
 * an HT terminal uses, and ARP (RFC 826) for the gateway check. Shared by the terminal's IP stack
 * (terminal/network) and the site's LAN (emulators/site/lan.ts), which meet only here.
 */

/** A DHCP message with the options the terminal uses (option numbers in brackets). */
export interface DhcpMessage {
  kind: 'dhcp';
  op: 'discover' | 'offer' | 'request' | 'ack' | 'nak' | 'release';
  /** Transaction id: a reply carries the one of its request. */
  xid: number;
  /** Client hardware address, `02:48:54:41:0e:a1`. */
  mac: string;
  /** The client's address in use (renewing, rebinding, releasing). */
  ciaddr?: string;
  /** The address offered or assigned. */
  yiaddr?: string;
  /** Requested address [50]. */
  requested?: string;
  /** Server identifier [54]. */
  serverId?: string;
  /** Unicast destination (renewing: the server that gave the lease); absent: broadcast. */
  to?: string;
  /** Subnet mask [1], as a prefix length. */
  prefix?: number;
  /** Router [3]: the first one. */
  router?: string;
  /** Domain name servers [6]. */
  dns?: string[];
  /** Lease time [51], seconds. */
  leaseS?: number;
  /** Message [56]: why a NAK. */
  message?: string;
  /** Host name [12]. */
  hostname?: string;
}

/** An ARP request (who has `targetIp`? tell `senderIp`) or its reply (`senderIp` is at `senderMac`). */
export interface ArpMessage {
  kind: 'arp';
  op: 'request' | 'reply';
  senderMac: string;
  senderIp: string;
  targetIp: string;
  targetMac?: string;
}

export type LanFrame = DhcpMessage | ArpMessage;

/** The address the IP stack uses: its own, the subnet, the default gateway. */
export interface InterfaceAddress {
  address: string;
  prefix: number;
  gateway: string | undefined;
}
