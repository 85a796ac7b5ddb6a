/**
 * A tiny scripted Modbus slave for the tests of this folder (not part of the public API), built
 * from the codec: it cuts requests out of its line by t3.5, decodes them and answers what the
 * script says, after a delay, in one piece or split. While it is answering it hears nothing
 * (half duplex), as a real slave.
 */
import type { Clock } from '../../core/clock/index.ts';
import { VirtualClock } from '../../core/clock/index.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { modbusFrameGapMs, QuietDetector } from '../../lines/quiet.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { MODBUS_DEFAULT } from '../../lines/settings.ts';
import {
  appendCrc, decodeRequest, encodeResponse, EXCEPTION, exceptionResponse, type ModbusResponse, type RequestFrame,
} from '../../protocols/modbus-rtu/index.ts';

/** What to send back: bytes (or a response to encode), after `delayMs`, optionally in two parts. */
export interface Reply {
  response?: ModbusResponse;
  bytes?: Uint8Array;
  /** Address the answer claims (default: the request's). */
  from?: number;
  delayMs?: number;
  split?: { at: number; gapMs: number };
}

export type Script = (req: RequestFrame, n: number) => Reply | undefined;

export class ScriptedSlave {
  readonly received: RequestFrame[] = [];
  private busy = false;
  private readonly detector: QuietDetector;

  constructor(private readonly clock: Clock, private readonly endpoint: Endpoint, readonly address: number, private readonly script: Script) {
    this.detector = new QuietDetector(endpoint, clock, () => modbusFrameGapMs(endpoint.settings) - 1e-3, (f) => {
      if (this.busy || f.collision || f.errors.length) return;
      let req: RequestFrame;
      try {
        req = decodeRequest(f.bytes);
      } catch {
        return;
      }
      if (req.slave !== address) return;
      this.received.push(req);
      const reply = this.script(req, this.received.length);
      if (reply) void this.answer(req, reply);
    });
  }

  dispose(): void {
    this.detector.dispose();
  }

  private async answer(req: RequestFrame, r: Reply): Promise<void> {
    this.busy = true;
    try {
      const bytes = r.bytes ?? encodeResponse(r.from ?? req.slave, r.response ?? exceptionResponse(req.request.fn, EXCEPTION.SERVER_DEVICE_FAILURE));
      await this.clock.sleep(r.delayMs ?? 5);
      if (r.split) {
        await this.endpoint.write(bytes.slice(0, r.split.at));
        await this.clock.sleep(r.split.gapMs);
        await this.endpoint.write(bytes.slice(r.split.at));
      } else await this.endpoint.write(bytes);
    } finally {
      this.busy = false;
    }
  }
}

/** Tables of words and bits a bank slave answers reads from; an address not in them is exception 2. */
export interface Bank {
  holding?: Record<number, number>;
  input?: Record<number, number>;
  coil?: Record<number, boolean>;
  discrete?: Record<number, boolean>;
}

/** A script that answers reads from `bank`: each word or bit must exist, else exception 2. */
export function bankScript(bank: Bank, extra: { delayMs?: number } = {}): Script {
  return ({ request: q }) => {
    const delay = extra.delayMs !== undefined ? { delayMs: extra.delayMs } : {};
    if (q.fn !== 1 && q.fn !== 2 && q.fn !== 3 && q.fn !== 4) return { response: exceptionResponse(q.fn, EXCEPTION.ILLEGAL_FUNCTION), ...delay };
    const table: Record<number, number | boolean> | undefined = ({ 1: bank.coil, 2: bank.discrete, 3: bank.holding, 4: bank.input } as const)[q.fn];
    const values: (number | boolean)[] = [];
    for (let a = q.address; a < q.address + q.quantity; a++) {
      const v = table?.[a];
      if (v === undefined) return { response: exceptionResponse(q.fn, EXCEPTION.ILLEGAL_DATA_ADDRESS), ...delay };
      values.push(v);
    }
    return { response: { fn: q.fn, values } as ModbusResponse, ...delay };
  };
}

/** `bytes` with the CRC made wrong (last byte inverted). */
export function badCrc(bytes: Uint8Array): Uint8Array {
  const out = Uint8Array.from(bytes);
  out[out.length - 1] = out[out.length - 1]! ^ 0xff;
  return out;
}

/** A frame from raw bytes with a good CRC. */
export function withCrc(bytes: number[]): Uint8Array {
  return appendCrc(Uint8Array.from(bytes));
}

/** A virtual clock, an RS-485 bus at 9600 8N1 and the master's drop on it. */
export function testBus(options: { echo?: boolean } = {}): { clock: VirtualClock; bus: Rs485Bus; port: Endpoint; tx: { from: string; start: number; end: number; bytes: Uint8Array }[] } {
  const clock = new VirtualClock();
  const bus = new Rs485Bus(clock, 'rs485');
  const tx: { from: string; start: number; end: number; bytes: Uint8Array }[] = [];
  bus.tap((e) => {
    if (e.kind === 'tx') tx.push({ from: e.from, start: e.start, end: e.end, bytes: e.bytes });
  });
  const port = bus.attach('terminal', { settings: MODBUS_DEFAULT, ...(options.echo ? { echo: true } : {}) });
  return { clock, bus, port, tx };
}

/** A scripted slave on its own drop of `bus`. */
export function slaveOn(clock: Clock, bus: Rs485Bus, address: number, script: Script, name = `slave-${address}`): ScriptedSlave {
  return new ScriptedSlave(clock, bus.attach(name, { settings: MODBUS_DEFAULT }), address, script);
}
