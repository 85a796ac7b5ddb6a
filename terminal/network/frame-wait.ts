/** Waiting on the clock for a frame that matches, as the DHCP client and the route check do. */
import type { Clock } from '../../core/clock/index.ts';
import { CancelledError } from '../../core/errors.ts';
import type { LanFrame, LanPort } from './lan-port.ts';

/**
 * Resolves with the first frame from `port` that `match` accepts, or undefined after `ms` of
 * clock time. Rejects with a `CancelledError` when `signal` aborts.
 */
export function waitForFrame<T extends LanFrame>(clock: Clock, port: LanPort, match: (f: LanFrame) => f is T, ms: number, signal: AbortSignal, label: string): Promise<T | undefined> {
  return new Promise<T | undefined>((resolve, reject) => {
    if (signal.aborted) {
      reject(new CancelledError(`${label}: stopped`));
      return;
    }
    const finish = (f: () => void) => {
      timer.cancel();
      off();
      signal.removeEventListener('abort', onAbort);
      f();
    };
    const onAbort = () => finish(() => reject(new CancelledError(`${label}: stopped`)));
    const off = port.onFrame((frame) => {
      if (match(frame)) finish(() => resolve(frame));
    });
    const timer = clock.setTimer(ms, () => finish(() => resolve(undefined)), label);
    signal.addEventListener('abort', onAbort, { once: true });
  });
}
