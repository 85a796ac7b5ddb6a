import { describe } from 'vitest';
import { RealClock, VirtualClock } from '../core/clock/index.ts';
import { endpointConformance, type ConnectedPair } from './endpoint-conformance.ts';
import { PtyPair } from './pty-pair.ts';
import { Rs485Bus } from './rs485-bus.ts';
import { SerialPortEndpoint } from './serialport-endpoint.ts';
import { MODBUS_DEFAULT } from './settings.ts';
import { VirtualWire } from './virtual-wire.ts';

function virtualPair(make: (clock: VirtualClock) => { a: ConnectedPair['a']; b: ConnectedPair['b'] }): () => Promise<ConnectedPair> {
  return async () => {
    const clock = new VirtualClock();
    const { a, b } = make(clock);
    return { a, b, clock, timed: true, run: (p) => clock.run(p), pass: (ms) => clock.runFor(ms), dispose: async () => {} };
  };
}

describe('VirtualWire endpoints', () => {
  endpointConformance(virtualPair((clock) => new VirtualWire(clock, 'rs232', { settings: MODBUS_DEFAULT }, { settings: MODBUS_DEFAULT })));
});

describe('Rs485Bus drops', () => {
  endpointConformance(
    virtualPair((clock) => {
      const bus = new Rs485Bus(clock, 'rs485');
      const a = bus.attach('master', { settings: MODBUS_DEFAULT });
      bus.attach('bystander', { settings: MODBUS_DEFAULT });
      return { a, b: bus.attach('slave', { settings: MODBUS_DEFAULT }) };
    }),
  );
});

for (const [pace, osSettings] of [[false, true], [true, true], [true, false]] as const) {
  describe(`SerialPortEndpoint on a socat pty pair${pace ? ', paced' : ''}${osSettings ? '' : ', settings kept in memory'}`, () => {
    endpointConformance(async () => {
      const clock = new RealClock();
      const pty = await PtyPair.start({ name: 'conf' });
      const a = await SerialPortEndpoint.open({ path: pty.a, settings: MODBUS_DEFAULT, clock, pace, osSettings });
      const b = await SerialPortEndpoint.open({ path: pty.b, settings: MODBUS_DEFAULT, clock, pace, osSettings });
      return {
        a,
        b,
        clock,
        timed: pace,
        run: (p) => p,
        pass: (ms) => clock.sleep(ms),
        dispose: async () => {
          await a.close();
          await b.close();
          await pty.stop();
        },
      };
    });
  });
}
