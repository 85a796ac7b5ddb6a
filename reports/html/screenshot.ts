/**
 * Pictures of a report.html taken with Debian's chromium driven by playwright-core: the top of
 * the page (summary and index), or the first failing scenario opened at its first failure.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { EnvironmentError } from '../../core/errors.ts';

/** Where chromium is looked for: `$HT_HIL_CHROMIUM`, else Debian's `/usr/bin/chromium`. */
export function chromiumPath(): string | undefined {
  const path = process.env['HT_HIL_CHROMIUM'] || '/usr/bin/chromium';
  return existsSync(path) ? path : undefined;
}

export interface CaptureOptions {
  width?: number;
  height?: number;
  /** `top`: the summary; `first-failure`: the first failing scenario, scrolled into view. */
  focus?: 'top' | 'first-failure';
  /** The whole page rather than one window's height. */
  fullPage?: boolean;
}

/** PNG bytes of `htmlFile` as chromium renders it. Throws EnvironmentError without chromium. */
export async function captureReport(htmlFile: string, options: CaptureOptions = {}): Promise<Uint8Array> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new EnvironmentError('chromium not found at /usr/bin/chromium (apt-get install -y chromium, or set HT_HIL_CHROMIUM)');
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: options.width ?? 1280, height: options.height ?? 1400 } });
    await page.goto(pathToFileURL(resolve(htmlFile)).href);
    if (options.focus === 'first-failure') {
      const failing = page.locator('details.scenario.failed, details.scenario.error').first();
      if ((await failing.count()) > 0) await failing.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    }
    return await page.screenshot({ fullPage: options.fullPage ?? false });
  } finally {
    await browser.close();
  }
}
