/**
 * report.html in a real browser (Debian's chromium, driven by playwright-core): written from a
 * real run of three library scenarios, one of them made to fail through the scenario API.
 */
import { existsSync } from 'node:fs';
import { readFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setLogLevel } from '../../core/log.ts';
import { cloudReadings, readingEvidence } from '../../scenarios/api/cloud-view.ts';
import { check, findScenarioFiles, loadScenarios, runSuite, type Scenario } from '../../scenarios/api/index.ts';
import { machineInfo } from '../run-info.ts';
import { ReportWriter } from '../write.ts';
import { chromiumPath } from './screenshot.ts';

const CHROMIUM = chromiumPath();
const library = join(import.meta.dirname, '../../scenarios/library');

describe.skipIf(!CHROMIUM)('report.html in chromium (skipped when /usr/bin/chromium is absent: apt-get install -y chromium)', () => {
  let dir: string;
  let writer: ReportWriter;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    setLogLevel('silent');
    const all = await loadScenarios(await findScenarioFiles([join(library, 'brands-by-port.scenario.ts'), join(library, 'meter-faults.scenario.ts')]));
    const pick = (name: string) => all.find((s) => s.name === name) ?? expect.unreachable(`no library scenario '${name}'`);
    const bcc = pick('meter fault: wrong BCC');
    const failing: Scenario = {
      ...bcc,
      name: 'wrong BCC, expected to be read (made to fail)',
      expect: [
        ...bcc.expect,
        {
          name: 'the 00:15 reading arrives with values',
          check: (s) => {
            const first = cloudReadings(s, '95316176')[0]!;
            check(!first.missing, `the 00:15 reading is missing: ${first.missing?.text}`, [readingEvidence(first)]);
          },
        },
      ],
    };
    const scenarios = [pick('Landis+Gyr ZMD310 over optical: readings arrive at the cloud as sent'), failing, pick('meter fault: wrong baud rate after the switch (4800 for 9600)')];
    dir = await mkdtemp(join(tmpdir(), 'ht-hil-browser-'));
    writer = new ReportWriter(dir);
    const run = await runSuite(scenarios, { onTrace: writer.onTrace });
    await writer.finish({ ...run, machine: machineInfo() });
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM!, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    page.on('pageerror', (e) => pageErrors.push(String(e)));
    await page.goto(pathToFileURL(join(dir, 'report.html')).href);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    setLogLevel('info');
  });

  it('shows the summary and the failing scenario first, open, pointing at the line, the time and the byte', async () => {
    expect(await page.locator('.summary .totals').innerText()).toBe('2 passed 1 failed 0 errors 0 skipped');
    expect(await page.locator('.facts').innerText()).toMatch(/scenarios\s+3[\s\S]*machine\s+\S+ · linux/);
    const first = page.locator('main > details.scenario').first();
    expect(await first.getAttribute('class')).toBe('scenario failed');
    expect(await first.evaluate((el) => (el as unknown as { open: boolean }).open)).toBe(true);
    expect(await first.locator('.first-failure').innerText()).toMatch(/the 00:15 reading arrives with values[\s\S]*line optical, at 2026-01-05T00:15:\d\d\.\d+Z \(\+9\d\d\.\d{3} s\), byte 806/);
    expect(await first.locator('.first-failure mark').innerText()).toMatch(/^[0-9a-f]{2}$/);
  });

  it('filters the index, and draws a passing scenario’s timeline when it is expanded', async () => {
    await page.click('[data-filter="bad"]');
    await expect.poll(() => page.locator('main > details.scenario:visible').count()).toBe(1);
    await page.click('[data-filter="all"]');
    const passing = page.locator('main > details.scenario.passed').first();
    expect(await passing.locator('svg rect.frame').count()).toBe(0);
    await passing.locator('summary').click();
    // The timeline is drawn after the click, by the page's script: wait for it, then count.
    await passing.locator('svg rect.frame').nth(5).waitFor({ state: 'attached', timeout: 15_000 });
    expect(await passing.locator('svg rect.frame').count()).toBeGreaterThan(5);
    expect(await passing.locator('.svgbox svg text.tick').last().textContent()).toBe('UTC');
  });

  it('opens the evidence frame with the broken byte marked, and shows the hex of a clicked frame', async () => {
    const failing = page.locator('main > details.scenario.failed');
    await failing.locator('.first-failure a.goto').click();
    const detail = failing.locator('pre.detail');
    await expect.poll(() => detail.innerText()).toMatch(/^optical\/meter sent at 2026-01-05T00:15:[\s\S]*byte 806: IEC 62056-21: BCC mismatch at offset 806/);
    expect(await detail.locator('mark').first().getAttribute('title')).toMatch(/^byte 806: IEC 62056-21: BCC mismatch/);
    expect(await failing.locator('rect.frame.sel.err').count()).toBe(1);
    const other = failing.locator('rect.frame.tx:not(.sel)').first();
    const k = Number(await other.getAttribute('data-k'));
    await other.click();
    const digest = JSON.parse((await page.locator('#d1').textContent())!) as { frames: { hex: string }[] };
    const expected = digest.frames[k]!.hex;
    const firstRow = expected.slice(0, 32).replace(/(..)/g, '$1 ').trim();
    await expect.poll(() => detail.innerText()).toContain(`     0  ${firstRow}`);
    expect(await failing.locator(`rect.frame.sel[data-k="${k}"]`).count()).toBe(1);
  });

  it('keeps a screenshot in the report folder and links it from report.html', async () => {
    await page.locator('main > details.scenario.failed').evaluate((el) => el.scrollIntoView({ block: 'start' }));
    const png = await writer.screenshot('failing-scenario', await page.screenshot());
    expect(png).toBe(join(dir, 'screenshots', 'failing-scenario.png'));
    expect(existsSync(png)).toBe(true);
    expect((await readFile(png)).subarray(1, 4).toString()).toBe('PNG');
    await page.reload();
    expect(await page.locator('.screenshots img').getAttribute('src')).toBe('screenshots/failing-scenario.png');
    expect(await page.locator('.screenshots img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBe(1280);
    expect(pageErrors).toEqual([]);
  });
});
