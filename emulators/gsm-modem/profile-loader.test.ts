import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_MODEM_PROFILE_DIR, ModemProfileError, findModemProfile, loadModemProfiles, parseModemProfileText } from './profile-loader.ts';

const sim800 = readFileSync(join(DEFAULT_MODEM_PROFILE_DIR, 'simcom/sim800c.yaml'), 'utf8');
const ec25 = readFileSync(join(DEFAULT_MODEM_PROFILE_DIR, 'quectel/ec25-e.yaml'), 'utf8');

function issue(text: string): ModemProfileError {
  try {
    parseModemProfileText(text, 'test.yaml');
  } catch (e) {
    if (e instanceof ModemProfileError) return e;
    throw e;
  }
  throw new Error('profile was accepted');
}

describe('module profiles', () => {
  it('the shipped profiles load and are found by key, model, vendor and model, or alias', () => {
    const all = loadModemProfiles();
    expect(all.map((p) => p.key)).toEqual(['quectel/ec25-e', 'simcom/sim800c']);
    expect(findModemProfile('SIM800C', all)?.key).toBe('simcom/sim800c');
    expect(findModemProfile('sim800', all)?.key).toBe('simcom/sim800c');
    expect(findModemProfile('SIMCom SIM800L', all)?.key).toBe('simcom/sim800c');
    expect(findModemProfile('quectel/ec25-e', all)?.key).toBe('quectel/ec25-e');
    expect(findModemProfile('EC25', all)?.key).toBe('quectel/ec25-e');
    expect(findModemProfile('BG96', all)).toBeUndefined();
    const s = all.find((p) => p.key === 'simcom/sim800c')!;
    expect(s.socketDialect).toBe('simcom-cip');
    expect(s.access.technologies).toEqual(['gsm']);
    expect(s.sockets.maxSendBytes).toBe(1460);
    expect(s.maxResponseMs['+CIPSTART']).toBe(160_000);
    const q = all.find((p) => p.key === 'quectel/ec25-e')!;
    expect(q.access.technologies).toEqual(['lte', 'gsm']);
    expect(q.socketDialect).toBe('quectel-qi');
  });

  it('a bad field is named with its path and line', () => {
    const e = issue(sim800.replace('count: 6', 'count: 20'));
    expect(e.message).toMatch(/test\.yaml: field sockets\.count \(line \d+\): Too big/);
    expect(e.issues[0]!.line).toBe(sim800.split('\n').findIndex((l) => l.includes('count: 6')) + 1);
    expect(issue(sim800.replace('socketDialect: simcom-cip', 'socketDialect: telit')).message).toMatch(/field socketDialect/);
    expect(issue(sim800.replace("maxResponseMs:\n", "maxResponseMs:\n  'cipstart': 5\n")).message).toMatch(/maxResponseMs/);
  });

  it('cross-field rules: LTE needs +CEREG, one start-up URC reads the SIM, every technology has a delay', () => {
    expect(issue(ec25.replace("registration: ['+CREG', '+CGREG', '+CEREG']", "registration: ['+CREG', '+CGREG']")).message).toMatch(/access\.registration.*\+CEREG/);
    expect(issue(sim800.replace("'+CPIN: {cpin}'", "'+CPIN: READY'")).message).toMatch(/boot\.urcs.*\{cpin\}/);
    expect(issue(ec25.replace('registrationDelayMs: { lte: 3000, gsm: 5000 }', 'registrationDelayMs: { lte: 3000 }')).message).toMatch(/registrationDelayMs\.gsm/);
  });

  it('YAML syntax errors and unknown fields are refused', () => {
    expect(issue('vendor: [').message).toMatch(/YAML syntax/);
    expect(issue(`${sim800}\ncolour: red\n`).message).toMatch(/colour|Unrecognized/);
  });

  it('a profile must sit at vendor/model.yaml, and names must not clash', () => {
    const dir = mkdtempSync(join(tmpdir(), 'modem-profiles-'));
    mkdirSync(join(dir, 'simcom'));
    writeFileSync(join(dir, 'simcom', 'wrong.yaml'), sim800);
    expect(() => loadModemProfiles(dir)).toThrow(/belongs at simcom\/sim800c\.yaml/);
    const dir2 = mkdtempSync(join(tmpdir(), 'modem-profiles-'));
    mkdirSync(join(dir2, 'simcom'));
    writeFileSync(join(dir2, 'simcom', 'sim800c.yaml'), sim800);
    writeFileSync(join(dir2, 'simcom', 'sim800l.yaml'), sim800.replace('model: SIM800C', 'model: SIM800L').replace('aliases: [SIM800, SIM800L]', 'aliases: [SIM800]'));
    expect(() => loadModemProfiles(dir2)).toThrow(/already used/);
  });
});
