/**
 * The meter engine's programming mode, driven by a master built from the codec alone:
 * password, reads, clock write, load profile, sign-off, and the NAK / (ERROR) faults.
 */
import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { ACK, NAK } from '../../core/bytes.ts';
import { LineReader } from '../../lines/reader.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import {
  decodeDataMessage,
  encodeCommand,
  encodeOptionSelect,
  encodeRequest,
  formatLoadProfileRequest,
  parseErrorMessage,
  parseLoadProfile,
  passwordCommand,
  readCommand,
  writeCommand,
} from '../../protocols/iec62056-21/index.ts';
import { SiteLoad } from '../site/load.ts';
import { EmulatedMeter } from './meter.ts';
import { findMeterProfile, loadMeterProfiles } from './profile-loader.ts';

const profiles = loadMeterProfiles().map((l) => l.profile);
const emh = findMeterProfile('EMH', undefined, profiles)!;

async function session() {
  const clock = new VirtualClock();
  const wire = new VirtualWire(clock, 'optical', { settings: IEC_OPENING }, { settings: IEC_OPENING });
  const load = new SiteLoad({ baseKw: 10, peakKw: 10, powerFactor: 0.9, noise: 0 });
  const meter = new EmulatedMeter({ clock, endpoint: wire.b, profile: emh, serial: emh.serialNumber.example, port: 'optical', load });
  const reader = new LineReader(wire.a, clock);
  const master = wire.a;
  const untilLf = (b: Uint8Array) => b.indexOf(0x0a) + 1;
  /** One message from the meter: ACK/NAK alone, or STX/SOH … ETX BCC. */
  const message = (b: Uint8Array) => {
    if (b[0] === ACK || b[0] === NAK) return 1;
    const etx = b.indexOf(0x03);
    return etx >= 0 && etx + 1 < b.length ? etx + 2 : 0;
  };
  const read = (frame: (b: Uint8Array) => number) => reader.read({ frame, firstByteTimeoutMs: 2000, interCharTimeoutMs: 1500 });
  const send = async (bytes: Uint8Array) => {
    await clock.sleep(250);
    await master.write(bytes);
  };
  const signOn = async () => {
    await master.write(encodeRequest({ address: '' }));
    await read(untilLf);
    await send(encodeOptionSelect({ protocolControl: '0', baudChar: '5', modeControl: '1' }));
    await master.update({ baudRate: 9600 });
    return read(message); // SOH P0 STX (operand) ETX BCC
  };
  return { clock, meter, master, read, send, signOn, message };
}

describe('meter programming mode', () => {
  it('opens with P0, checks the password, answers reads and writes the clock', async () => {
    const s = await session();
    await s.clock.runFor(3 * 3600_000);
    const run = async () => {
      const p0 = await s.signOn();
      expect(String.fromCharCode(...p0.bytes)).toContain(`P0\x02(${emh.serialNumber.example})\x03`);
      await s.send(encodeCommand(passwordCommand('99999999')));
      expect((await s.read(s.message)).bytes[0]).toBe(NAK);
      await s.send(encodeCommand(passwordCommand(emh.programming.passwordP1!)));
      expect((await s.read(s.message)).bytes[0]).toBe(ACK);
      await s.send(encodeCommand(readCommand('0.9.1', '', '5')));
      const time = decodeDataMessage((await s.read(s.message)).bytes).text;
      expect(time).toMatch(/^0\.9\.1\(0?\d{2}:?\d{2}:?\d{2}\)/); // EMH writes 0hhmmss
      await s.send(encodeCommand(writeCommand('0.9.1', '23:59:00', '5')));
      expect((await s.read(s.message)).bytes[0]).toBe(ACK);
      await s.send(encodeCommand(readCommand('9.9.9', '', '5')));
      expect(parseErrorMessage(decodeDataMessage((await s.read(s.message)).bytes).text)).toBe('ERROR');
      await s.send(encodeCommand({ command: 'B', type: '0' }));
      await s.master.update({ baudRate: 300 });
      await s.clock.sleep(500);
    };
    await s.clock.run(run);
    const local = new Date(s.meter.state.localTime(s.clock.now()));
    expect(local.getUTCHours()).toBe(23);
    expect(local.getUTCMinutes()).toBe(59);
  });

  it('reads the load profile of the last hours as VDEW P.01 blocks', async () => {
    const s = await session();
    await s.clock.runFor(2 * 3600_000 + 60_000);
    const block = await s.clock.run(async () => {
      await s.signOn();
      await s.send(encodeCommand(passwordCommand(emh.programming.passwordP1!)));
      await s.read(s.message);
      await s.send(encodeCommand({ command: 'R', type: '5', data: formatLoadProfileRequest({ profile: 1 }) }));
      return decodeDataMessage((await s.read(s.message)).bytes).text;
    });
    const [lp] = parseLoadProfile(block);
    expect(lp!.header.periodMinutes).toBe(15);
    expect(lp!.header.channels.map((c) => c.code)).toEqual(['1.5.0', '5.5.0', '8.5.0']);
    expect(lp!.rows).toHaveLength(8);
    // a flat 10 kW load: every 15-minute average demand is 10 kW
    for (const row of lp!.rows) expect(Number(row[0])).toBeCloseTo(10, 2);
  });

  it('answers NAK or (ERROR) while the fault is on, then normally', async () => {
    const s = await session();
    s.meter.inject({ kind: 'programming-nak' }, { count: 1 });
    s.meter.inject({ kind: 'programming-error' }, { count: 1 });
    // both are on: the first command meets the NAK, the second the (ERROR), the third neither
    const answers = await s.clock.run(async () => {
      await s.signOn();
      const out: string[] = [];
      for (let i = 0; i < 3; i++) {
        await s.send(encodeCommand(passwordCommand(emh.programming.passwordP1!)));
        const b = (await s.read(s.message)).bytes;
        out.push(b[0] === ACK ? 'ACK' : b[0] === NAK ? 'NAK' : (parseErrorMessage(decodeDataMessage(b).text) ?? '?'));
      }
      return out;
    });
    expect(answers).toEqual(['NAK', 'ERROR', 'ACK']);
  });
});
