import { describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mulberry32 } from '../core/random.ts';
import { InputError } from '../core/errors.ts';
import { loadRigFile, parseRigFile, RigFileError, rigPort, rigPortsOf } from './rig-file.ts';

const GOOD = `rig: bench-1
description: two adapters and a meter
ports:
  - id: meter-bus
    path: /dev/serial/by-id/usb-FTDI_FT232R_USB_UART_A50285BI-if00-port0
    role: rs485-meter-bus
    echo: true
    meters:
      - { brand: Landis, model: ZMD310, serial: '95316176' }
      - { brand: Makel, serial: '80099921', name: kitchen }
    emulate:
      meters: [{ brand: Luna, serial: '70000131' }]
  - id: modbus
    path: /dev/serial/by-id/usb-1a86_USB_Serial-if00-port0
    role: rs485-modbus
    modbus:
      - { model: Eastron SDM630, address: 1 }
    emulate:
      modbus: [{ model: Klemsan RAPIDUS, address: 9 }]
  - id: sniffer
    path: /dev/ttyUSB3
    role: rs485-meter-bus
    listenOnly: true
  - id: modem-uart
    path: /dev/serial/by-id/usb-Prolific-if00-port0
    role: modem
    emulate: { modem: { module: SIM800C, cloud: '10.0.0.5:7001' } }
  - id: terminal-usb
    path: /dev/serial/by-id/usb-HT_terminal-if00
    role: terminal-usb
terminal: { model: HT G21, usb: terminal-usb }
`;

describe('rig files', () => {
  it('binds physical and emulated devices to their profiles, with default settings by role', () => {
    const rig = parseRigFile(GOOD, 'bench.yaml');
    expect(rig.name).toBe('bench-1');
    const bus = rigPort(rig, 'meter-bus')!;
    expect(bus.settings).toEqual({ baudRate: 300, dataBits: 7, parity: 'even', stopBits: 1 });
    expect(bus.echo).toBe(true);
    expect(bus.meters.map((m) => [m.profile.flag, m.address])).toEqual([['LGZ', '95316176'], ['MSY', 'MSY80099921']]);
    expect(bus.meters[1]!.name).toBe('kitchen');
    expect(bus.emulated.meters[0]!.profile.flag).toBe('LUN');
    const modbus = rigPort(rig, 'modbus')!;
    expect(modbus.settings.dataBits).toBe(8);
    expect(modbus.modbus[0]!.profile.model).toMatch(/SDM630/);
    expect(modbus.emulated.modbus[0]!.address).toBe(9);
    expect(rigPort(rig, 'modem-uart')!.settings.baudRate).toBe(115200);
    expect(rigPort(rig, 'modem-uart')!.emulated.modem!.cloud).toEqual({ host: '10.0.0.5', port: 7001 });
    expect(rigPortsOf(rig, 'rs485-meter-bus').map((p) => p.id)).toEqual(['meter-bus', 'sniffer']);
    expect(rig.terminal).toEqual({ model: 'HT G21', usb: 'terminal-usb' });
    expect(rig.hints.join('\n')).toMatch(/sniffer: \/dev\/ttyUSB3 .*by-id/);
  });

  it('names file, line, column and field for a schema problem', () => {
    const text = GOOD.replace("serial: '80099921'", 'serial: x-1').replace('role: rs485-modbus', 'role: rs485-modbuss');
    let err: RigFileError | undefined;
    try {
      parseRigFile(text, 'bench.yaml');
    } catch (e) {
      err = e as RigFileError;
    }
    expect(err).toBeInstanceOf(RigFileError);
    expect(err).toBeInstanceOf(InputError);
    const lines = err!.message.split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toMatch(/^bench\.yaml:10:33: ports\[0\]\.meters\[1\]\.serial: expected 1 to 32 letters or digits/);
    expect(lines[1]).toMatch(/^bench\.yaml:15:11: ports\[1\]\.role: expected one of rs485-meter-bus, /);
  });

  it('names an unknown field, an unknown brand and cross-field problems', () => {
    const bad = `rig: b
ports:
  - id: a
    path: /dev/serial/by-id/a
    role: optical-head
    baud: 9600
    meters: [{ brand: Landys, serial: '1' }]
  - id: a
    path: /dev/serial/by-id/b
    role: rs485-modbus
    meters: [{ brand: Landis, model: ZMD310, serial: '95316176' }]
    modbus: [{ model: Eastron SDM630, address: 3 }, { model: Eastron SDM630, address: 3 }]
terminal: { model: HT E21, usb: a }
`;
    expect(() => parseRigFile(bad, 'r.yaml')).toThrow(/r\.yaml:6:5: ports\[0\]\.baud: unknown field \(expected id, path, role, settings, echo, listenOnly, meters, modbus, modem, emulate, note\)/);
    const fixed = bad.replace('    baud: 9600\n', '');
    let msg = '';
    try {
      parseRigFile(fixed, 'r.yaml');
    } catch (e) {
      msg = (e as Error).message;
    }
    expect(msg).toContain('r.yaml:6:23: ports[0].meters[0].brand: no meter profile for "Landys"');
    expect(msg).toMatch(/r\.yaml:7:9: ports\[1\]\.id: id "a" is already used by ports\[0\]/);
    expect(msg).toMatch(/r\.yaml:10:13: ports\[1\]\.meters: a rs485-modbus port carries no meters/);
    expect(msg).toMatch(/r\.yaml:11:87: ports\[1\]\.modbus\[1\]\.address: address 3 is already used by modbus\[0\]/);
    expect(msg).toMatch(/r\.yaml:12:33: terminal\.usb: port "a" has role optical-head, expected terminal-usb/);
  });

  it('reports YAML syntax errors with line and column, and an unreadable file', async () => {
    expect(() => parseRigFile('rig: a\nports: [\n', 'x.yaml')).toThrow(/^x\.yaml:\d+:\d+: \(root\): YAML syntax error/);
    const dir = await mkdtemp(join(tmpdir(), 'rig-'));
    try {
      await expect(loadRigFile(join(dir, 'none.yaml'))).rejects.toThrow(/cannot read the rig file \(ENOENT\)/);
      await writeFile(join(dir, 'ok.yaml'), GOOD);
      expect((await loadRigFile(join(dir, 'ok.yaml'))).ports).toHaveLength(5);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('never throws anything but an InputError on mutated files (fuzz)', () => {
    const rnd = mulberry32(62056);
    const alphabet = ' :-[]{}\'"\n#&*!|>0123456789abcdefxyz,';
    for (let i = 0; i < 150; i++) {
      const chars = [...GOOD];
      const edits = 1 + Math.floor(rnd() * 6);
      for (let e = 0; e < edits; e++) {
        const at = Math.floor(rnd() * chars.length);
        const op = rnd();
        const c = alphabet[Math.floor(rnd() * alphabet.length)]!;
        if (op < 0.4) chars[at] = c;
        else if (op < 0.7) chars.splice(at, 1);
        else chars.splice(at, 0, c);
      }
      try {
        parseRigFile(chars.join(''), 'fuzz.yaml');
      } catch (e) {
        if (!(e instanceof InputError)) throw e;
      }
    }
  });
});
