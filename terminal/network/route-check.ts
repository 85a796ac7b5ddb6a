/**
 * The route check: is the gateway there? The terminal asks for the gateway's MAC with ARP
 * (RFC 826) from its own address, up to `tries` times `waitMs` apart. An answer means the next
 * hop to the centre exists on this segment; no answer means no route.
 */
import type { Clock } from '../../core/clock/index.ts';
import { waitForFrame } from './frame-wait.ts';
import type { ArpMessage, LanFrame, LanPort } from './lan-port.ts';

export interface RouteCheckOptions {
  clock: Clock;
  port: LanPort;
  mac: string;
  address: string;
  gateway: string;
  tries: number;
  waitMs: number;
  signal: AbortSignal;
}

/** Resolves true when the gateway answered, false when it did not; rejects when `signal` aborts. */
export async function gatewayAnswers(o: RouteCheckOptions): Promise<boolean> {
  const isReply = (f: LanFrame): f is ArpMessage => f.kind === 'arp' && f.op === 'reply' && f.senderIp === o.gateway;
  for (let i = 0; i < o.tries; i++) {
    o.port.send({ kind: 'arp', op: 'request', senderMac: o.mac, senderIp: o.address, targetIp: o.gateway });
    if (await waitForFrame(o.clock, o.port, isReply, o.waitMs, o.signal, `ARP for gateway ${o.gateway}`)) return true;
  }
  return false;
}
