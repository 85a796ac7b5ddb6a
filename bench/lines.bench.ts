import { VirtualClock } from '../core/clock/index.ts';
import { Rs485Bus } from '../lines/rs485-bus.ts';
import { charTimeMs, MODBUS_DEFAULT } from '../lines/settings.ts';
import { VirtualWire } from '../lines/virtual-wire.ts';
import { ratio, wallTime, type BenchResult } from './harness.ts';

const LINE_SECONDS = 600;

/** A 9600 8N1 wire kept busy: how many line-seconds are simulated per wall second. */
async function saturatedWire(chunk: number): Promise<string> {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'rs232', { settings: MODBUS_DEFAULT }, { settings: MODBUS_DEFAULT });
  let received = 0;
  wire.b.onData((c) => (received += c.bytes.length));
  const end = clock.now() + LINE_SECONDS * 1000;
  const payload = new Uint8Array(chunk).fill(0x55);
  const writer = async () => {
    while (clock.now() < end) await wire.a.write(payload);
  };
  const { wallMs } = await wallTime(() => clock.run(writer));
  const limit = (LINE_SECONDS * 1000) / charTimeMs(MODBUS_DEFAULT);
  return `9600 8N1 wire, ${chunk}-byte writes: ${LINE_SECONDS} line-s in ${(wallMs / 1000).toFixed(3)} wall s = ${ratio((LINE_SECONDS * 1000) / wallMs)} real time; delivered ${received} bytes = ${((received / limit) * 100).toFixed(1)}% of the line's limit`;
}

/** A master polling 32 drops in turn (8-byte request, 25-byte answer after 5 ms). */
async function polledBus(): Promise<string> {
  const clock = new VirtualClock();
  const bus = new Rs485Bus(clock, 'rs485');
  const master = bus.attach('master', { settings: MODBUS_DEFAULT });
  const answer = new Uint8Array(25).fill(0xaa);
  const drops = Array.from({ length: 32 }, (_, i) => bus.attach(`d${i + 1}`, { settings: MODBUS_DEFAULT }));
  drops.forEach((d, i) =>
    d.onData((c) => {
      if (c.bytes[0] === i + 1) void clock.sleep(5).then(() => d.write(answer));
    }),
  );
  let answers = 0;
  let waiting: (() => void) | undefined;
  master.onData(() => {
    answers++;
    waiting?.();
  });
  const end = clock.now() + LINE_SECONDS * 1000;
  const poll = async () => {
    for (let i = 0; clock.now() < end; i = (i + 1) % 32) {
      const got = new Promise<void>((r) => (waiting = r));
      await master.write(Uint8Array.of(i + 1, 3, 0, 0, 0, 10, 0, 0));
      await got;
      await clock.sleep(charTimeMs(MODBUS_DEFAULT) * 3.5);
    }
  };
  const { wallMs } = await wallTime(() => clock.run(poll));
  const busyMs = answers * (8 + 25) * charTimeMs(MODBUS_DEFAULT);
  return `32-drop RS-485 bus at 9600 8N1, polled: ${LINE_SECONDS} line-s in ${(wallMs / 1000).toFixed(3)} wall s = ${ratio((LINE_SECONDS * 1000) / wallMs)} real time; ${answers} exchanges, bus busy ${((busyMs / (LINE_SECONDS * 1000)) * 100).toFixed(1)}% of the time`;
}

export async function linesBench(): Promise<BenchResult> {
  return { name: 'virtual lines: simulated line-seconds per wall second', lines: [await saturatedWire(1), await saturatedWire(256), await polledBus()] };
}
