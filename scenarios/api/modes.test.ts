import { describe, expect, it } from 'vitest';
import { checkClockScale, modeSkipReason, scenariosFor, supportedModes } from './modes.ts';
import { defineScenario } from './scenario.ts';

const base = { site: { terminal: {} }, runFor: '1s', expect: [] };
const virtualOnly = defineScenario({ ...base, name: 'week', modes: { supported: ['virtual'], reason: 'a week of polls needs virtual time' } });
const undeclared = defineScenario({ ...base, name: 'plain' });
const everywhere = defineScenario({ ...base, name: 'quick', modes: { supported: ['virtual', 'pty', 'rig'] } });

describe('modes', () => {
  it('a scenario runs in virtual mode only unless it says otherwise', () => {
    expect(supportedModes(undeclared)).toEqual(['virtual']);
    expect(modeSkipReason(undeclared, 'virtual')).toBeUndefined();
    expect(modeSkipReason(undeclared, 'pty')).toBe('runs in virtual mode only');
  });

  it('the skip reason carries the scenario’s own reason', () => {
    expect(modeSkipReason(virtualOnly, 'rig')).toBe('runs in virtual mode only: a week of polls needs virtual time');
    expect(modeSkipReason(everywhere, 'rig')).toBeUndefined();
    expect(scenariosFor([virtualOnly, undeclared, everywhere], 'pty').map((s) => s.name)).toEqual(['quick']);
  });

  it('a clock scale is a number > 0 for pty and rig runs', () => {
    expect(() => checkClockScale(10, 'pty')).not.toThrow();
    expect(() => checkClockScale(undefined, 'virtual')).not.toThrow();
    expect(() => checkClockScale(0, 'pty')).toThrow(/--clock-scale: expected a number > 0, got 0/);
    expect(() => checkClockScale(Number('x'), 'rig')).toThrow(/got NaN/);
    expect(() => checkClockScale(5, 'virtual')).toThrow(/virtual runs have no wall clock to scale/);
  });
});
