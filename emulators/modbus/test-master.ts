/**
 * A minimal Modbus RTU master built from the codec, for the tests of this folder (not part of the
 * public API): it sends a request on an endpoint and collects what comes back, framed by silence
 * exactly as a terminal's UART would see it.
 */
import { VirtualClock, type Clock, type Timer } from '../../core/clock/index.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { MODBUS_DEFAULT, type LineSettings } from '../../lines/settings.ts';
import { SiteLoad } from '../site/load.ts';
import { modbusFrameGapMs, QuietDetector, type GapFrame } from '../../lines/quiet.ts';
import {
  decodeResponse, encodeRequest, isException, type EncodeOptions, type ModbusRequest, type ModbusResponse, type ResponseFrame,
} from '../../protocols/modbus-rtu/index.ts';

/** What one request brought back. */
export interface Exchange {
  /** End of the request's last byte. */
  sentAt: number;
  /** Every frame heard until the answer or the time-out. */
  frames: GapFrame[];
  /** The first frame that answers the request. */
  response?: ResponseFrame;
  /** When that answer's first byte began. */
  answerStart?: number;
  /** Any frame heard was a collision. */
  collision: boolean;
  /** Why frames did not decode. */
  errors: string[];
}

export class TestMaster {
  readonly frames: GapFrame[] = [];
  private readonly listeners = new Set<(f: GapFrame) => void>();
  private readonly detector: QuietDetector;

  constructor(private readonly clock: Clock, readonly endpoint: Endpoint) {
    this.detector = new QuietDetector(endpoint, clock, () => modbusFrameGapMs(endpoint.settings), (f) => {
      this.frames.push(f);
      for (const l of [...this.listeners]) l(f);
    });
  }

  dispose(): void {
    this.detector.dispose();
  }

  /** Sends a request and waits up to `timeoutMs` after it for the answer (a broadcast waits the whole time). */
  request(slave: number, req: ModbusRequest, options: { timeoutMs?: number; encode?: EncodeOptions; raw?: Uint8Array } = {}): Promise<Exchange> {
    const bytes = options.raw ?? encodeRequest(slave, req, options.encode);
    const expected = { slave, request: req };
    const ex: Exchange = { sentAt: 0, frames: [], collision: false, errors: [] };
    return new Promise<Exchange>((resolve) => {
      let timer: Timer | undefined;
      const finish = (): void => {
        timer?.cancel();
        this.listeners.delete(listen);
        resolve(ex);
      };
      const listen = (f: GapFrame): void => {
        ex.frames.push(f);
        if (f.collision) ex.collision = true;
        if (slave === 0) return;
        try {
          ex.response = decodeResponse(f.bytes, expected);
          ex.answerStart = f.start;
          finish();
        } catch (e) {
          ex.errors.push(String(e));
        }
      };
      this.listeners.add(listen);
      void this.endpoint.write(bytes).then(() => {
        ex.sentAt = this.clock.now();
        timer = this.clock.setTimer(options.timeoutMs ?? 1000, finish, 'test master: response time-out');
      });
    });
  }

  /** Reads registers (3 or 4) and returns their values; throws with what happened otherwise. */
  async readRegisters(slave: number, fn: 3 | 4, address: number, quantity: number): Promise<number[]> {
    const r = await this.request(slave, { fn, address, quantity });
    return registersOf(r.response?.response, `read ${fn} ${address}+${quantity} from ${slave}: ${r.errors.join('; ') || 'no answer'}`);
  }
}

/** The register values of a response; throws `what` for anything else. */
export function registersOf(res: ModbusResponse | undefined, what: string): number[] {
  if (!res || isException(res) || (res.fn !== 3 && res.fn !== 4)) throw new Error(`${what} (${JSON.stringify(res)})`);
  return (res as { values: number[] }).values;
}

/** A virtual clock, an RS-485 bus at `settings` and a master drop on it. */
export function bench(settings: LineSettings = MODBUS_DEFAULT): { clock: VirtualClock; bus: Rs485Bus; master: TestMaster } {
  const clock = new VirtualClock();
  const bus = new Rs485Bus(clock, 'rs485');
  const master = new TestMaster(clock, bus.attach('master', { settings }));
  return { clock, bus, master };
}

/** A load that draws `kw` at power factor `pf` (inductive unless `capacitive`) all day, without noise. */
export function flatLoad(kw: number, pf: number, capacitive = false): SiteLoad {
  return new SiteLoad({ baseKw: kw, peakKw: kw, powerFactor: pf, capacitive, noise: 0 });
}
