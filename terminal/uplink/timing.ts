/**
 * Uplink timing, all on the terminal's clock.
 *
 * Reconnect back-off: after the n-th failure in a row (a dial that fails, a session that ends
 * before reaching `online`, or one that drops) the next attempt waits
 * `min(backoffInitialMs × backoffFactor^(n−1), backoffMaxMs)`: 10 s, 20 s, 40 s, … 15 min by
 * default. A session that reached `online` resets the count, so a drop after a good session
 * waits 10 s. There is no random jitter: a virtual run repeats exactly; spreading a fleet's
 * reconnects is left to the cloud side (it may refuse with a reason) for now.
 */
export interface UplinkTiming {
  backoffInitialMs: number;
  backoffMaxMs: number;
  backoffFactor: number;
  /** A dial that has not connected by then fails. */
  connectTimeoutMs: number;
  /** From HELLO to WELCOME. */
  handshakeTimeoutMs: number;
  /** Records in flight and no ACK progress for this long: the link is dropped and redialled. */
  ackTimeoutMs: number;
  /** Nothing received for this long: send a PING. */
  keepaliveMs: number;
  /** No PONG (nor anything else) this long after a PING: the link is dropped. */
  pongTimeoutMs: number;
  /** The data-exchange indication stays on this long after the last frame. */
  activityHoldMs: number;
}

export const DEFAULT_UPLINK_TIMING: UplinkTiming = {
  backoffInitialMs: 10_000,
  backoffMaxMs: 15 * 60_000,
  backoffFactor: 2,
  connectTimeoutMs: 30_000,
  handshakeTimeoutMs: 30_000,
  ackTimeoutMs: 60_000,
  keepaliveMs: 120_000,
  pongTimeoutMs: 30_000,
  activityHoldMs: 250,
};

/** Wait before attempt number `failures + 1` after `failures` (≥ 1) failures in a row. */
export function backoffDelay(failures: number, t: Pick<UplinkTiming, 'backoffInitialMs' | 'backoffMaxMs' | 'backoffFactor'> = DEFAULT_UPLINK_TIMING): number {
  if (failures <= 0) return 0;
  const d = t.backoffInitialMs * Math.pow(t.backoffFactor, failures - 1);
  return Math.min(Number.isFinite(d) ? d : t.backoffMaxMs, t.backoffMaxMs);
}
