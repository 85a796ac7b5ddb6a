/**
 * A scenario: a site, a timeline of events and faults, and expectations. It runs in virtual time
 * by default; a scenario that needs virtual time (hours of operation in seconds, exact timing)
 * says so with `modes`.
 *
 *   export default defineScenario({
 *     name: 'reads a Landis ZMD310 on the optical port every 15 minutes',
 *     site: { terminal: { model: 'HT E21', sendPeriodMin: 15 }, optical: { brand: 'Landis', model: 'ZMD310' } },
 *     runFor: '2h',
 *     expect: [{ name: 'cloud has 8 readings', check: async ({ cloud }) => … }],
 *   });
 */
import type { Site } from './site.ts';
import type { SiteSpec } from './site-spec.ts';

/** ms, or text such as `90s`, `15m`, `6h`, `7d`, `2h5m`. */
export type Duration = number | string;

export interface TimelineEvent {
  /** When, from the scenario start. */
  at: Duration;
  /** What happens, as the report shows it. */
  label: string;
  do: (site: Site) => void | Promise<void>;
}

export interface Expectation {
  name: string;
  check: (site: Site) => void | Promise<void>;
}

export type Mode = 'virtual' | 'pty' | 'rig';

export interface ScenarioSpec {
  name: string;
  description?: string;
  /** Tags for filtering (`--tag fault`). */
  tags?: string[];
  /** Modes the scenario supports, with the reason it needs them (default: virtual only). */
  modes?: { supported: Mode[]; reason?: string };
  site: SiteSpec;
  /** How long the site runs before the expectations are checked. */
  runFor: Duration;
  timeline?: TimelineEvent[];
  expect: Expectation[];
}

export interface Scenario extends ScenarioSpec {
  /** File it was loaded from, set by the loader. */
  file?: string;
}

export function defineScenario(spec: ScenarioSpec): Scenario {
  return spec;
}

export function durationMs(d: Duration): number {
  if (typeof d === 'number') return d;
  const mult = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;
  const parts = [...d.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (!parts.length || parts.map((p) => p[0]).join('') !== d) throw new RangeError(`bad duration '${d}': expected e.g. 500ms, 90s, 15m, 6h, 7d or 2h5m`);
  return parts.reduce((sum, p) => sum + Number(p[1]) * mult[p[2] as keyof typeof mult], 0);
}
