/** The scenario library runs here in virtual mode: each scenario is one test. */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findScenarioFiles, loadScenarios, runScenario } from './api/index.ts';

const scenarios = await loadScenarios(await findScenarioFiles([join(import.meta.dirname, 'library')]));

describe('scenario library (virtual)', () => {
  scenarios.forEach((s, i) => {
    it(s.name, async () => {
      const r = await runScenario(s, {}, i);
      const failed = r.expectations.filter((e) => !e.passed).map((e) => `${e.name}: ${e.message}`);
      expect({ verdict: r.verdict, reason: r.reason, failed }).toEqual({ verdict: 'passed', reason: undefined, failed: [] });
    }, 120_000);
  });
});
