export { defineScenario, durationMs, type Scenario, type ScenarioSpec, type TimelineEvent, type Expectation, type Duration, type Mode } from './scenario.ts';
export { check, checkEqual, ExpectationFailure } from './expectation.ts';
export { Site, buildSite } from './site.ts';
export type { SiteSpec, MeterSpec } from './site-spec.ts';
export { runScenario, runSuite, type RunOptions } from './runner.ts';
export { findScenarioFiles, loadScenarios } from './loader.ts';
export { MODES, supportedModes, modeSkipReason, scenariosFor, rigPlanFor, checkClockScale } from './modes.ts';
