/**
 * The I/O terminals of one HT GSM/4G modem as the site wires them: dry contacts on IN1, IN2,
 * relay-driven loads on C1, C2, and the mains at its supply terminals. `pins` is the electrical
 * face the terminal's I/O code sees (contact states and edges, relay coils, mains present).
 */
import type { Clock } from '../../core/clock/index.ts';
import { InputError } from '../../core/errors.ts';
import { DryContact } from './dry-contact.ts';
import type { MainsSupply } from './mains.ts';
import { RelayDrivenLoad } from './relay-load.ts';

/** What the terminal's I/O hardware reads and drives (structurally `IoPins` of terminal/io). */
export interface PanelPins {
  input(n: number): boolean;
  onInput(listener: (n: number, closed: boolean) => void): () => void;
  setRelay(n: number, on: boolean): void;
  mains(): boolean;
  onMains(listener: (present: boolean) => void): () => void;
}

export class IoPanel {
  readonly inputs: DryContact[];
  readonly outputs: RelayDrivenLoad[];
  readonly pins: PanelPins;

  /**
   * `inputs`/`outputs`: what is wired to IN1.. and C1.. (the rest: a loose contact, a 0 kW
   * load); `mains`: the supply the modem is fed from (absent: a DC supply, always on).
   */
  constructor(
    clock: Clock,
    options: { inputs?: DryContact[]; outputs?: RelayDrivenLoad[]; mains?: MainsSupply; count?: { inputs: number; outputs: number } } = {},
  ) {
    const count = options.count ?? { inputs: 2, outputs: 2 };
    this.inputs = Array.from({ length: Math.max(count.inputs, options.inputs?.length ?? 0) }, (_, i) => options.inputs?.[i] ?? new DryContact(clock, `IN${i + 1}`));
    this.outputs = Array.from({ length: Math.max(count.outputs, options.outputs?.length ?? 0) }, (_, i) => options.outputs?.[i] ?? new RelayDrivenLoad(clock, `C${i + 1}`, 0, options.mains));
    const mains = options.mains;
    const input = (n: number): DryContact => {
      const c = this.inputs[n - 1];
      if (!c) throw new InputError('io panel', `no input IN${n} (have ${this.inputs.length})`);
      return c;
    };
    this.pins = {
      input: (n) => input(n).closed,
      onInput: (listener) => {
        const offs = this.inputs.map((c, i) => c.onEdge((e) => listener(i + 1, e.closed)));
        return () => offs.forEach((off) => off());
      },
      setRelay: (n, on) => {
        const o = this.outputs[n - 1];
        if (!o) throw new InputError('io panel', `no output C${n} (have ${this.outputs.length})`);
        o.setContact(on);
      },
      mains: () => mains?.present ?? true,
      onMains: (listener) => (mains ? mains.onChange((c) => listener(c.present)) : () => {}),
    };
  }
}
