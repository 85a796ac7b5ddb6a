import { describe, expect, it } from 'vitest';
import { findTerminalModel, loadTerminalModels, parseTerminalModel } from './loader.ts';

describe('terminal models', () => {
  it('loads the eight HT models with the facts of the manuals', () => {
    const models = loadTerminalModels();
    expect(models.map((m) => m.model)).toEqual(['HT E21', 'HT E22', 'HT G21', 'HT G22', 'HT G23', 'HT G24', 'HT G25', 'HT G26']);
    expect(findTerminalModel('G21')).toMatchObject({ code: 'GA3121', uplink: '2g', outageDetection: true, reads: { meters: true, modbus: false } });
    expect(findTerminalModel('GA3126')).toMatchObject({ model: 'HT G26', uplink: '4g', fallback2g: true, outageDetection: false, supply: { kind: 'dc' } });
    expect(findTerminalModel('ht e22').io.inputs).toBe(0);
  });

  it('names the file and field of a bad profile', () => {
    expect(() => parseTerminalModel('model: HT G23\ncode: GA3123\nsource: [x]\nuplink: 2g\nsupply: {kind: dc, minV: 10, maxV: 30}\nreads: {meters: false, modbus: true}\noutageDetection: true\nio: {inputs: 2, outputs: 2}\nports: {optical: false, rs232: true, rs485: true, maxRs485Meters: 32, maxModbusDevices: 247}\nsendPeriodMin: {min: 1, max: 240}\nleds: [power]\n', 'g23.yaml')).toThrow(
      /g23\.yaml: outageDetection: only AC-supplied models detect a mains outage/,
    );
    expect(() => findTerminalModel('G99')).toThrow(/unknown model 'G99'/);
  });
});
