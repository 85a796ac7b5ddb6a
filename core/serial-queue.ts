/**
 * Runs asynchronous steps one after another in call order (writes on a port, settings changes
 * behind them). A step that fails rejects its own promise only; the next step still runs.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(step: () => Promise<T>): Promise<T> {
    const result = this.tail.then(step);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
