/**
 * The test surface of an emulated device: what it received, with when, and timed expectations on
 * virtual time (as zwave-js mocks offer `expectHostMessage`).
 */
import type { Clock, Timer } from '../../core/clock/index.ts';
import { HtHilError, TimeoutError } from '../../core/errors.ts';
import type { ModbusRequest } from '../../protocols/modbus-rtu/index.ts';

/** One request a device took as addressed to it (its own address or broadcast). */
export interface ReceivedRequest {
  /** Clock time the request's last byte arrived. */
  at: number;
  /** Address in the frame: the device's own, or 0 for a broadcast. */
  slave: number;
  /** Function code. */
  fn: number;
  /** The decoded request; undefined for a function the codec does not handle (answered with exception 1). */
  request: ModbusRequest | undefined;
  /** The frame as received. */
  frame: Uint8Array;
}

export type RequestPredicate = (r: ReceivedRequest) => boolean;

interface Waiter {
  predicate: RequestPredicate;
  resolve: (r: ReceivedRequest) => void;
  timer: Timer;
}

export class RequestLog {
  /** Every request received since the last `clearReceived()`, oldest first. */
  readonly received: ReceivedRequest[] = [];
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly clock: Clock, private readonly label: string) {}

  /** Records a request and resolves the expectations it matches. */
  push(r: ReceivedRequest): void {
    this.received.push(r);
    for (const w of [...this.waiters]) {
      if (!w.predicate(r)) continue;
      this.waiters.delete(w);
      w.timer.cancel();
      w.resolve(r);
    }
  }

  /**
   * Resolves with the next request (arriving after this call) that matches `predicate`; rejects
   * with a TimeoutError when none arrives within `withinMs` of clock time.
   */
  expectRequest(withinMs: number, predicate: RequestPredicate = () => true): Promise<ReceivedRequest> {
    return new Promise<ReceivedRequest>((resolve, reject) => {
      const w: Waiter = {
        predicate,
        resolve,
        timer: this.clock.setTimer(withinMs, () => {
          this.waiters.delete(w);
          reject(new TimeoutError(`${this.label}: no matching request within ${withinMs} ms`));
        }, `${this.label}: expectRequest`),
      };
      this.waiters.add(w);
    });
  }

  /** The first received request matching `predicate`; throws naming `what` when there is none. */
  assertReceived(predicate: RequestPredicate, what = 'a matching request'): ReceivedRequest {
    const hit = this.received.find(predicate);
    if (!hit) throw new HtHilError('E_ASSERT', `${this.label}: expected ${what}; received ${this.received.length} request(s), none matched`);
    return hit;
  }

  /** Forgets what was received (pending expectations stay). */
  clearReceived(): void {
    this.received.length = 0;
  }
}
