/**
 * Device-level quantities every class shares (serial number, firmware, model code, baud and
 * parity settings), layered over a class model, and a settable model for classes without
 * behaviour of their own (I/O modules, sensors).
 */
import type { DeviceModel } from './device-model.ts';
import type { QuantityName } from './quantities.ts';

export interface IdentityOptions {
  serial: string;
  /** Firmware version as the device encodes it (default 100, "1.00"). */
  firmware?: number;
  /** Model or product code (default 0). */
  modelCode?: number;
  /** The line's baud rate, shown until a write changes the stored setting. */
  baud: number;
}

/** The serial number as a number: its digits, the last nine when longer (fits a u32). */
export function serialNumberValue(serial: string): number {
  const digits = serial.replace(/\D/g, '');
  return digits ? Number(digits.slice(-9)) : 0;
}

/**
 * Answers `device.*` quantities and passes the rest to `inner`. Written baud and parity settings
 * are stored and read back; like the devices they emulate, they apply only after a restart, so
 * the line keeps its settings (`device.address` is the slave engine's own).
 */
export class IdentityModel implements DeviceModel {
  private readonly stored = new Map<QuantityName, number>();

  constructor(private readonly inner: DeviceModel, private readonly o: IdentityOptions) {}

  read(name: QuantityName, t: number): number | undefined {
    switch (name) {
      case 'device.serial': return serialNumberValue(this.o.serial);
      case 'device.firmware': return this.o.firmware ?? 100;
      case 'device.model': return this.o.modelCode ?? 0;
      case 'device.baud': return this.stored.get(name) ?? this.o.baud;
      case 'device.parity': return this.stored.get(name) ?? 0;
      default: return this.inner.read(name, t);
    }
  }

  accepts(name: QuantityName, value: number, t: number): boolean {
    if (name === 'device.baud') return value >= 300 && value <= 115200;
    if (name === 'device.parity') return Number.isInteger(value) && value >= 0;
    if (name.startsWith('device.')) return false;
    return this.inner.accepts(name, value, t);
  }

  write(name: QuantityName, value: number, t: number): void {
    if (name === 'device.baud' || name === 'device.parity') this.stored.set(name, value);
    else this.inner.write(name, value, t);
  }
}

/** A model whose values a scenario sets (I/O points, sensor readings); writes are stored. */
export class SettableModel implements DeviceModel {
  private readonly values = new Map<QuantityName, number>();

  /** Sets the value a quantity reads as (canonical unit). */
  set(name: QuantityName, value: number): void {
    this.values.set(name, value);
  }

  read(name: QuantityName): number | undefined {
    return this.values.get(name);
  }

  accepts(): boolean {
    return true;
  }

  write(name: QuantityName, value: number): void {
    this.values.set(name, value);
  }
}
