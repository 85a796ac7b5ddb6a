/**
 * Timing of the Ethernet interface, all on the terminal's clock. Defaults follow RFC 2131
 * without its random jitter (a virtual run must repeat exactly):
 *
 * - DISCOVER is sent again after 4, 8, 16, 32 and 64 s without an OFFER; a round that ends with
 *   no OFFER (124 s) makes the status say "DHCP got no answer", and a new round starts
 *   `retryAfterMs` later, forever;
 * - REQUEST waits 4, 8, 16 s for its ACK;
 * - renewing (from T1 = ½ lease) and rebinding (from T2 = ⅞ lease) send REQUEST again after half
 *   of the time left to T2 (or to the lease's end), at least every `renewMinWaitMs`;
 * - the gateway is checked with ARP: 3 requests 1 s apart; while it does not answer, again every
 *   30 s.
 */
export interface NetworkTiming {
  discoverWaitsMs: readonly number[];
  requestWaitsMs: readonly number[];
  retryAfterMs: number;
  renewMinWaitMs: number;
  arpTries: number;
  arpWaitMs: number;
  routeRecheckMs: number;
  /** The USB LED blinks at least this long for a settings write (so a person sees it). */
  usbBlinkMinMs: number;
  /** From the RESTART answer to the restart. */
  restartDelayMs: number;
}

export const DEFAULT_NETWORK_TIMING: NetworkTiming = Object.freeze({
  discoverWaitsMs: Object.freeze([4000, 8000, 16_000, 32_000, 64_000]),
  requestWaitsMs: Object.freeze([4000, 8000, 16_000]),
  retryAfterMs: 60_000,
  renewMinWaitMs: 60_000,
  arpTries: 3,
  arpWaitMs: 1000,
  routeRecheckMs: 30_000,
  usbBlinkMinMs: 1000,
  restartDelayMs: 500,
});
