/**
 * A byte-stream connection between the terminal and the cloud: a TCP socket, or an in-memory
 * pipe on the clock (virtual mode). The uplink protocol runs over it; the cellular modem
 * emulator bridges one to its AT sockets.
 */
export interface ByteLink {
  /** Names the link in traces (e.g. `uplink/G21-000123`). */
  readonly id: string;
  readonly closed: boolean;
  /** Sends bytes; resolves when they are handed to the network. Rejects once closed. */
  write(bytes: Uint8Array): Promise<void>;
  /** Received bytes, in order. Returns the unsubscribe function. */
  onData(listener: (bytes: Uint8Array) => void): () => void;
  /** Called once when either side closes or the network drops the link. */
  onClose(listener: (reason: string) => void): () => void;
  /** Closes this side; the peer sees `onClose`. Idempotent. */
  close(reason?: string): void;
}

/** Something that accepts links (the cloud's uplink listener). */
export interface LinkAcceptor {
  accept(link: ByteLink): void;
}

/** Something that opens links (the terminal's network path: Ethernet, or a modem's socket). */
export interface LinkDialer {
  /** Opens a link to the cloud; rejects with a message naming why (refused, no route, timeout). */
  dial(): Promise<ByteLink>;
}
