/**
 * Screenshots of a modem's dashboard in headless Chromium (Debian's `/usr/bin/chromium`, driven
 * by playwright-core), for run reports: logs in (or uses a session cookie, e.g. from
 * `dashboardSession`), opens `/modems/:no[?day=]`, waits for the plots and saves a full-page PNG.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { EnvironmentError } from '../../core/errors.ts';
import { SESSION_COOKIE } from '../accounts/http-auth.ts';
import type { CloudService } from '../api/service.ts';

/** Where Debian installs Chromium. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/** Why a browser cannot be used here, or undefined when it can. */
export function chromiumMissing(path = CHROMIUM_PATH): string | undefined {
  return existsSync(path) ? undefined : `no Chromium at ${path} (Debian: apt-get install chromium)`;
}

/** Launches headless Chromium (throws `EnvironmentError` when it is not installed). */
export async function launchChromium(path = CHROMIUM_PATH): Promise<Browser> {
  const missing = chromiumMissing(path);
  if (missing) throw new EnvironmentError(missing);
  return chromium.launch({ executablePath: path, args: ['--no-sandbox'] });
}

export interface CaptureOptions {
  /** The cloud's HTTP address, e.g. `http://127.0.0.1:40123`. */
  baseUrl: string;
  /** A session cookie's value (`ht_session`), or… */
  cookie?: string;
  /** …an account to log in with. */
  credentials?: { email: string; password: string };
  modemNo: string;
  /** The PNG to write (folders are made). */
  file: string;
  /** Local day `YYYY-MM-DD` (default: the day the modem was last seen). */
  day?: string;
  /** Page width in CSS pixels (default 1200). */
  width?: number;
  /** A browser to use (it stays open); default: launch Chromium and close it afterwards. */
  browser?: Browser;
  /** Real-time limit for the page to load, ms (default 15 000). */
  timeoutMs?: number;
}

/** What was captured: the file and how many plots, bars and points the page drew. */
export interface Capture {
  file: string;
  url: string;
  plots: number;
  bars: number;
  points: number;
}

/**
 * A session token that may view the modem's dashboard, for screenshots after a run: a session of
 * the owner of the modem's account, or, when the modem is in no account, of a new account
 * (`report-viewer-<modem>@ht-hil.invalid`, random password) that the modem is put into.
 */
export async function dashboardSession(service: CloudService, modemNo: string): Promise<string> {
  const accounts = service.accounts;
  service.modem(modemNo);
  let accountId = accounts.claims.accountOf(modemNo);
  if (accountId === undefined) {
    const viewer = await accounts.openAccount({ email: `report-viewer-${modemNo.toLowerCase()}@ht-hil.invalid`, password: randomBytes(18).toString('base64url'), account: `Report viewer of ${modemNo}` });
    accountId = accounts.claims.assign(modemNo, viewer.accountId).accountId;
  }
  const owner = accounts.users(accountId).find((u) => u.role === 'owner');
  if (!owner) throw new EnvironmentError(`the account of modem ${modemNo} has no owner`);
  return accounts.sessions.create(owner.id).token;
}

/** Opens the dashboard and saves a full-page screenshot. Throws when the page shows no plot. */
export async function captureDashboard(o: CaptureOptions): Promise<Capture> {
  if (!o.cookie && !o.credentials) throw new EnvironmentError('captureDashboard needs a session cookie or credentials');
  const browser = o.browser ?? (await launchChromium());
  const timeout = o.timeoutMs ?? 15_000;
  try {
    const context = await browser.newContext({ viewport: { width: o.width ?? 1200, height: 900 }, baseURL: o.baseUrl, locale: 'en-GB' });
    try {
      if (o.cookie) await context.addCookies([{ name: SESSION_COOKIE, value: o.cookie, url: o.baseUrl }]);
      else {
        const r = await context.request.post('/api/login', { data: o.credentials, timeout });
        if (!r.ok()) throw new EnvironmentError(`login for the dashboard screenshot failed: HTTP ${r.status()} ${await r.text()}`);
      }
      const page = await context.newPage();
      const url = `/modems/${encodeURIComponent(o.modemNo)}${o.day ? `?day=${o.day}` : ''}`;
      const res = await page.goto(url, { timeout, waitUntil: 'load' });
      if (!res || !res.ok()) throw new EnvironmentError(`dashboard of modem ${o.modemNo}: HTTP ${res?.status() ?? 'no answer'}`);
      await page.locator('svg.plot').first().waitFor({ timeout });
      mkdirSync(dirname(o.file), { recursive: true });
      await page.screenshot({ path: o.file, fullPage: true, timeout });
      const counts = {
        plots: await page.locator('svg.plot').count(),
        bars: await page.locator('svg.plot rect.bar').count(),
        points: await page.locator('svg.plot circle.point').count(),
      };
      return { file: o.file, url: new URL(url, o.baseUrl).href, ...counts };
    } finally {
      await context.close();
    }
  } finally {
    if (!o.browser) await browser.close();
  }
}
