/** Pins for the I/O block's own tests: contacts, mains and relay coils set directly. */
import type { IoPins } from './pins.ts';

export class TestPins implements IoPins {
  readonly contacts = [false, false];
  readonly coils = [false, false];
  mainsOn = true;
  private readonly inputListeners = new Set<(n: number, closed: boolean) => void>();
  private readonly mainsListeners = new Set<(present: boolean) => void>();

  input(n: number): boolean {
    return this.contacts[n - 1] ?? false;
  }
  onInput(listener: (n: number, closed: boolean) => void): () => void {
    this.inputListeners.add(listener);
    return () => this.inputListeners.delete(listener);
  }
  setRelay(n: number, on: boolean): void {
    this.coils[n - 1] = on;
  }
  mains(): boolean {
    return this.mainsOn;
  }
  onMains(listener: (present: boolean) => void): () => void {
    this.mainsListeners.add(listener);
    return () => this.mainsListeners.delete(listener);
  }
  /** Moves contact `n`. */
  contact(n: number, closed: boolean): void {
    this.contacts[n - 1] = closed;
    for (const l of [...this.inputListeners]) l(n, closed);
  }
  setMains(on: boolean): void {
    this.mainsOn = on;
    for (const l of [...this.mainsListeners]) l(on);
  }
}
