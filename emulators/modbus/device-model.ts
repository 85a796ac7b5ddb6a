/**
 * The seam between the Modbus slave engine (bytes, registers, timing) and a device's behaviour
 * (what it measures and how it reacts). The engine asks a model for quantities by name, in their
 * canonical units (`quantities.ts`), and hands it the writes it accepted.
 */
import type { QuantityName } from './quantities.ts';

export interface DeviceModel {
  /**
   * The value of `name` at clock time `t`, in the quantity's canonical unit (a state is 0 or 1).
   * Undefined when the model does not know the quantity: its register reads as zero.
   */
  read(name: QuantityName, t: number): number | undefined;
  /**
   * Whether a write of `value` (canonical unit) would be accepted. The engine asks for every
   * value of a request before it applies any, so a refused request changes nothing (exception 3).
   */
  accepts(name: QuantityName, value: number, t: number): boolean;
  /** Applies a write the model accepted. */
  write(name: QuantityName, value: number, t: number): void;
}
