/**
 * The terminal's meter polling: each period it reads every configured meter, port by port, with
 * retries, and hands one `meter-reading` record per meter to the sink: the values as read, or
 * `missing` with the reason. A meter that stops answering raises a `meter-not-answering` event
 * once, and `meter-answering-again` once it is back.
 *
 * Retry rule: after a failed exchange the terminal waits the standard's tt (2.2 s, so the meter
 * is back at its start) and tries again, `retries` more times.
 */
import type { Clock } from '../../core/clock/index.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { NO_RESPONSE_WAIT_MAX_MS } from '../../protocols/iec62056-21/index.ts';
import type { TerminalConfig, MeterSlot } from '../config.ts';
import { readModeC } from './mode-c.ts';
import type { MissingReason, ReadOutcome } from './outcome.ts';

export type MeterPortName = 'optical' | 'rs232' | 'rs485';

/** What the poller produces; the terminal puts it in its outbox. */
export type PollerRecord =
  | { kind: 'meter-reading'; at: number; body: MeterReadingRecordBody }
  | { kind: 'event'; at: number; body: { name: string; details?: Record<string, unknown> } };

export interface MeterReadingRecordBody {
  port: MeterPortName;
  meterSerial: string;
  flag?: string;
  identification?: string;
  readStart: number;
  readEnd: number;
  values?: { address: string; value: string; unit?: string }[];
  missing?: { reason: MissingReason; text: string };
}

export interface MeterPollerOptions {
  clock: Clock;
  config: TerminalConfig;
  ports: Partial<Record<MeterPortName, Endpoint>>;
  /** Receives each record; resolves once it is stored durably. */
  sink: (record: PollerRecord) => Promise<void>;
  /** Called around each exchange on a port (the port's communication LED). */
  activity?: (port: MeterPortName, busy: boolean) => void;
}

export interface PollResult {
  port: MeterPortName;
  slot: MeterSlot;
  outcome: ReadOutcome;
}

export class MeterPoller {
  private readonly failing = new Set<string>();

  constructor(private readonly o: MeterPollerOptions) {}

  /** The meters to read, in order: optical, RS-232, then the RS-485 line. */
  slots(): { port: MeterPortName; slot: MeterSlot }[] {
    const m = this.o.config.meters;
    const out: { port: MeterPortName; slot: MeterSlot }[] = [];
    if (m.optical && this.o.ports.optical) out.push({ port: 'optical', slot: m.optical });
    if (m.rs232 && this.o.ports.rs232) out.push({ port: 'rs232', slot: m.rs232 });
    if (this.o.ports.rs485) for (const s of m.rs485) out.push({ port: 'rs485', slot: s });
    return out;
  }

  /** Reads every meter once and stores the records. */
  async pollAll(signal?: AbortSignal): Promise<PollResult[]> {
    const results: PollResult[] = [];
    for (const { port, slot } of this.slots()) {
      if (signal?.aborted) break;
      const outcome = await this.readWithRetries(port, slot);
      results.push({ port, slot, outcome });
      await this.report(port, slot, outcome);
    }
    return results;
  }

  private async readWithRetries(port: MeterPortName, slot: MeterSlot): Promise<ReadOutcome> {
    const ep = this.o.ports[port]!;
    const address = port === 'rs485' && this.slots().filter((s) => s.port === 'rs485').length > 1 ? (slot.address ?? slot.serial ?? '') : (slot.address ?? (port === 'rs485' ? (slot.serial ?? '') : ''));
    let last: ReadOutcome | undefined;
    for (let attempt = 1; attempt <= this.o.config.retries + 1; attempt++) {
      if (attempt > 1) await this.o.clock.sleep(NO_RESPONSE_WAIT_MAX_MS);
      this.o.activity?.(port, true);
      try {
        last = await readModeC(ep, this.o.clock, { address, maxBaud: this.o.config.maxBaud });
      } finally {
        this.o.activity?.(port, false);
      }
      last.attempts = attempt;
      if (last.ok) break;
    }
    return last!;
  }

  private async report(port: MeterPortName, slot: MeterSlot, out: ReadOutcome): Promise<void> {
    const serial = slot.serial ?? slot.address ?? port;
    const key = `${port}/${serial}`;
    const body: MeterReadingRecordBody = { port, meterSerial: serial, readStart: Math.round(out.start), readEnd: Math.round(out.end) };
    if (out.ok) {
      body.flag = out.identification.flag;
      body.identification = out.identification.ident;
      // Further bracket groups of a set (a max demand's time stamp) go as `<address>#2`, `#3`, …
      body.values = out.sets.flatMap((s) => s.values.map((v, i) => ({ address: i === 0 ? s.address : `${s.address}#${i + 1}`, value: v.value, ...(v.unit ? { unit: v.unit } : {}) })));
    } else {
      body.missing = { reason: out.reason, text: out.detail.slice(0, 256) };
    }
    const at = Math.round(out.end);
    await this.o.sink({ kind: 'meter-reading', at, body });
    if (!out.ok && !this.failing.has(key)) {
      this.failing.add(key);
      await this.o.sink({ kind: 'event', at, body: { name: 'meter-not-answering', details: { port, meterSerial: serial, reason: out.reason, attempts: out.attempts } } });
    } else if (out.ok && this.failing.delete(key)) {
      await this.o.sink({ kind: 'event', at, body: { name: 'meter-answering-again', details: { port, meterSerial: serial } } });
    }
  }
}
