import { describe, expect, it } from 'vitest';
import { toJunit } from './junit.ts';
import { totals, type ScenarioResult } from '../scenarios/api/results.ts';

const base: Omit<ScenarioResult, 'name' | 'verdict' | 'expectations'> = { mode: 'virtual', wallMs: 1234, simulatedMs: 60_000, startTime: Date.UTC(2026, 0, 5) };

describe('JUnit report', () => {
  it('has one testcase per scenario, with the failing expectation and its evidence', () => {
    const scenarios: ScenarioResult[] = [
      { ...base, name: 'reads Landis <ZMD>', verdict: 'passed', expectations: [{ name: 'cloud has readings', passed: true }] },
      {
        ...base,
        name: 'wrong BCC',
        verdict: 'failed',
        expectations: [{ name: 'reading marked missing', passed: false, message: 'got a value', evidence: [{ line: 'optical', time: Date.UTC(2026, 0, 5, 0, 15), hex: '02 31 03 7f', offset: 3, detail: 'BCC' }] }],
      },
      { ...base, name: 'rig only', verdict: 'skipped', reason: 'needs a physical rig', expectations: [] },
    ];
    const xml = toJunit({ tool: 'ht-hil', version: '0', mode: 'virtual', wallMs: 2000, scenarios, totals: totals(scenarios) });
    expect(xml).toContain('tests="3" failures="1" errors="0" skipped="1"');
    expect(xml).toContain('name="reads Landis &lt;ZMD&gt;"');
    expect(xml).toMatch(/<failure message="reading marked missing">reading marked missing: got a value\n {2}line optical, at 2026-01-05T00:15:00.000Z, byte 3: 02 31 03 7f \(BCC\)<\/failure>/);
    expect(xml).toContain('<skipped message="needs a physical rig"/>');
  });
});
