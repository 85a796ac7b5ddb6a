/**
 * Screenshots of the cloud's dashboard for the report folder: for each scenario tagged
 * `dashboard`, once its expectations are checked and while its cloud still holds the run's data,
 * the main modem's dashboard is opened in headless chromium (as the owner of its account) and
 * kept as `screenshots/dashboard-<scenario>.png`. One browser serves the whole run.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Browser } from 'playwright-core';
import { captureDashboard, chromiumMissing, dashboardSession, launchChromium } from '../fake-cloud/web/capture.ts';
import { slug } from '../scenarios/api/runner.ts';
import type { Scenario } from '../scenarios/api/scenario.ts';
import type { Site } from '../scenarios/api/site.ts';

export const DASHBOARD_TAG = 'dashboard';

export interface DashboardShots {
  /** Why no screenshots are taken (no chromium), if so. */
  readonly unavailable: string | undefined;
  /** For `RunOptions.beforeDispose`. */
  beforeDispose(site: Site, scenario: Scenario): Promise<void>;
  /** The pictures taken, to hand to `ReportWriter.screenshot` once the report is written. */
  readonly taken: { name: string; file: string }[];
  close(): Promise<void>;
}

export function dashboardShots(dir: string): DashboardShots {
  const unavailable = chromiumMissing();
  let browser: Promise<Browser> | undefined;
  const taken: { name: string; file: string }[] = [];
  return {
    unavailable,
    taken,
    async beforeDispose(site, scenario) {
      if (unavailable || !scenario.tags?.includes(DASHBOARD_TAG)) return;
      const server = createServer(site.cloud.app);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => resolve());
      });
      try {
        const cookie = await dashboardSession(site.cloud.service, site.config.modemNo);
        const name = `dashboard-${slug(scenario.name)}`.slice(0, 90);
        const file = `${dir}/${name}.png`;
        await captureDashboard({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, cookie, modemNo: site.config.modemNo, file, browser: await (browser ??= launchChromium()) });
        taken.push({ name, file });
      } finally {
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      }
    },
    async close() {
      if (browser) await (await browser).close();
    },
  };
}
