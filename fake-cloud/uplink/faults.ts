/**
 * Fault switches of the fake cloud's uplink listener, for scenarios. Each can be set and cleared
 * at any time; `dropAfterRecords` wears off once it fired.
 */
export interface UplinkFaults {
  /** Every new connection is closed at once, without a byte (a refused or filtered port). */
  refuseConnections: string | undefined;
  /**
   * The link is dropped right after the N-th record from now has been stored, before its ACK
   * goes out (so the terminal must resend it). Clears itself once it fired.
   */
  dropAfterRecords: number | undefined;
  /** Until this clock time, storing fails: records are answered with NACK, not stored. */
  storageErrorUntil: number | undefined;
  /** The error text of those NACKs. */
  storageErrorText: string;
  /** Every ACK goes out this many ms late. */
  ackDelayMs: number;
}

export function noFaults(): UplinkFaults {
  return { refuseConnections: undefined, dropAfterRecords: undefined, storageErrorUntil: undefined, storageErrorText: 'storage error', ackDelayMs: 0 };
}
