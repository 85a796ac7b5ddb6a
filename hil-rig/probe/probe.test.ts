import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import type { Endpoint } from '../../lines/endpoint.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { createModbusDevice } from '../../emulators/modbus/device.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { parseRigFile, rigPort, type RigPort } from '../rig-file.ts';
import { formatProbeTable, probeRig } from './probe.ts';

const RIG = `rig: virtual-bench
ports:
  - id: meter-bus
    path: /dev/serial/by-id/usb-meter-bus
    role: rs485-meter-bus
    meters:
      - { brand: Landis, model: ZMD310, serial: '95316176' }
      - { brand: Makel, serial: '80099921' }
      - { brand: Luna, serial: '70000130', name: missing luna }
  - id: modbus
    path: /dev/serial/by-id/usb-modbus
    role: rs485-modbus
    modbus:
      - { model: Eastron SDM630, address: 1 }
      - { model: Eastron SDM630, address: 2, name: missing analyzer }
  - id: nowhere
    path: /dev/serial/by-id/usb-unplugged
    role: rs232
`;

describe('rig probe', () => {
  it('finds the declared devices, reports the missing ones and an undeclared Modbus address', async () => {
    const rig = parseRigFile(RIG, 'virtual.yaml');
    const clock = new VirtualClock();
    const load = new SiteLoad({ baseKw: 5, peakKw: 40, powerFactor: 0.92 });
    const meterBus = new Rs485Bus(clock, 'meter-bus');
    const modbusBus = new Rs485Bus(clock, 'modbus');
    const mb = rigPort(rig, 'meter-bus')!;
    for (const m of mb.meters.slice(0, 2)) {
      new EmulatedMeter({ clock, endpoint: meterBus.attach(m.serial, { settings: mb.settings }), profile: m.profile, serial: m.serial, port: 'rs485', load });
    }
    const md = rigPort(rig, 'modbus')!;
    const profile = md.modbus[0]!.profile;
    createModbusDevice({ profile, address: 1, endpoint: modbusBus.attach('sdm-1', { settings: md.settings }), clock, load });
    createModbusDevice({ profile, address: 5, endpoint: modbusBus.attach('sdm-5', { settings: md.settings }), clock, load });
    const ends: Record<string, Endpoint> = {
      'meter-bus': meterBus.attach('rig', { settings: mb.settings }),
      modbus: modbusBus.attach('rig', { settings: md.settings }),
    };
    const open = async (p: RigPort) => {
      const ep = ends[p.id];
      if (!ep) throw new Error(`${p.path}: no such device`);
      return ep;
    };
    const report = await clock.run(probeRig(rig, { clock, open, scanAll: true, scanRange: [1, 8] }));
    const row = (device: string) => report.rows.find((r) => r.device === device);

    const landis = row('Landis+Gyr ZMD310 95316176')!;
    expect(landis).toMatchObject({ answered: true, declared: true });
    expect(landis.identification).toMatch(/^\/LGZ5\\2ZMD310/);
    expect(landis.reactionMs).toBeGreaterThanOrEqual(200);
    expect(landis.reactionMs).toBeLessThanOrEqual(1500);
    expect(landis.problem).toBeUndefined();
    expect(row('Makel C500 80099921')).toMatchObject({ answered: true });
    expect(row('missing luna')).toMatchObject({ answered: false, problem: 'missing: no answer within 2000 ms' });

    const sdm = row('Eastron SDM630 @1')!;
    expect(sdm.answered).toBe(true);
    expect(sdm.identification).toMatch(/ = .*\(3\d{4}\)$/);
    expect(sdm.reactionMs).toBeGreaterThanOrEqual(10);
    expect(row('missing analyzer')).toMatchObject({ answered: false });
    expect(row('Modbus @5')).toMatchObject({ declared: false, answered: true, problem: expect.stringMatching(/^unexpected: address 5 answers/) });
    expect(report.rows.filter((r) => r.device.startsWith('Modbus @'))).toHaveLength(1);

    expect(report.rows.find((r) => r.port === 'nowhere')).toMatchObject({ device: '(adapter)', answered: false, problem: expect.stringMatching(/cannot open/) });
    expect(report).toMatchObject({ missing: 2, unexpected: 1, unopened: 1, ok: false });

    const table = formatProbeTable(report);
    expect(table[0]).toMatch(/^PORT\s+ROLE\s+DEVICE\s+ANSWERED\s+IDENTIFICATION\s+REACTION\s+NOTE$/);
    expect(table.find((l) => l.includes('missing luna'))).toMatch(/NO .*missing: no answer/);
    expect(table.at(-1)).toBe('rig virtual-bench: 2 declared devices missing, 1 port not opened, 1 unexpected');
  });

  it('says so when every declared device answers', async () => {
    const rig = parseRigFile(RIG.replace(/\n      - \{ brand: Luna[^\n]*/, '').replace(/\n      - \{ model: Eastron SDM630, address: 2[^\n]*/, '').replace(/\n  - id: nowhere[^]*$/, '\n'), 'ok.yaml');
    const clock = new VirtualClock();
    const load = new SiteLoad({ baseKw: 5, peakKw: 40, powerFactor: 0.92 });
    const meterBus = new Rs485Bus(clock, 'meter-bus');
    const modbusBus = new Rs485Bus(clock, 'modbus');
    const mb = rigPort(rig, 'meter-bus')!;
    for (const m of mb.meters) {
      new EmulatedMeter({ clock, endpoint: meterBus.attach(m.serial, { settings: mb.settings }), profile: m.profile, serial: m.serial, port: 'rs485', load });
    }
    const md = rigPort(rig, 'modbus')!;
    createModbusDevice({ profile: md.modbus[0]!.profile, address: 1, endpoint: modbusBus.attach('sdm', { settings: md.settings }), clock, load });
    const ends: Record<string, Endpoint> = { 'meter-bus': meterBus.attach('rig', { settings: mb.settings }), modbus: modbusBus.attach('rig', { settings: md.settings }) };
    const report = await clock.run(probeRig(rig, { clock, open: async (p) => ends[p.id]! }));
    expect(report.ok).toBe(true);
    expect(formatProbeTable(report).at(-1)).toBe('rig virtual-bench: every declared device answered');
  });
});
