/**
 * The cloud's web pages in headless Chromium: an HT E21 reads an emulated Makel meter and a
 * Klemsan RAPIDUS compensation relay on one RS-485 bus and sends to the fake cloud from 02:00
 * to 07:05 local time; then, with the clock parked, a user logs in, adds the modem with
 * the code from its paper (a second use is refused in the API's words), changes the send period
 * (stored, pushed, applied by the terminal once the clock moves on), and opens the dashboard,
 * whose plots are checked element by element against the cloud's reports.
 *
 * Screenshots go to `$HT_HIL_SCREENSHOTS` when it is set, else to a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { Rs485Bus } from '../../lines/rs485-bus.ts';
import { IEC_OPENING, MODBUS_DEFAULT } from '../../lines/settings.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { DEFAULT_PROFILES_DIR, loadMeterProfile } from '../../emulators/meters/profile-loader.ts';
import { createModbusDevice } from '../../emulators/modbus/device.ts';
import { DEFAULT_PROFILE_DIR, loadModbusProfile } from '../../emulators/modbus/profile-loader.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { FakeCloud } from '../../fake-cloud/index.ts';
import { captureDashboard, chromiumMissing, launchChromium } from '../../fake-cloud/web/capture.ts';
import { parseTerminalConfig } from '../../terminal/config.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import { Terminal } from '../../terminal/terminal.ts';
import { memoryOutboxFs } from '../../terminal/uplink/outbox-memfs.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const H = 3_600_000;
/** 2026-01-05 00:00 in Turkey (UTC+3). */
const DAY0 = Date.UTC(2026, 0, 4, 21);
const MODEM = '21000042';
const SERIAL = '80012345';
const USER = { email: 'owner@konya-osb.example', password: 'correct horse battery' };
const skip = chromiumMissing();

const clock = new VirtualClock({ start: DAY0 + 2 * H - 10 * 60_000 });
const cloud = new FakeCloud({ clock, logger });
const reports = cloud.reports;
const alarms = cloud.alarms;
let authCode = '';
let baseUrl = '';
let browser: Browser | undefined;
let page: Page;
let terminal: Terminal;
const shotsDir = process.env['HT_HIL_SCREENSHOTS'];
const shots = shotsDir || mkdtempSync(join(tmpdir(), 'ht-hil-web-'));

beforeAll(async () => {
  if (skip) return;
  const model = findTerminalModel('HT E21');
  const secret = '5ec7e21f00000042a1b2c3d4e5f60718';
  authCode = cloud.provisionModem({ modemNo: MODEM, secret, model: model.model }).authCode;
  await cloud.accounts.openAccount({ ...USER, name: 'Plant manager', account: 'Konya OSB plant 2' });
  cloud.service.setModbusDevices(MODEM, { devices: [{ address: 5, type: 'compensation-relay', model: 'Klemsan RAPIDUS' }] });

  // An inductive plant; the relay switches its capacitor steps in, the meter measures the rest.
  const plant = new SiteLoad({ baseKw: 25, peakKw: 110, powerFactor: 0.78, seed: 11 });
  const bus = new Rs485Bus(clock, 'rs485');
  const relay = createModbusDevice({ profile: loadModbusProfile(join(DEFAULT_PROFILE_DIR, 'klemsan/rapidus.yaml')), address: 5, clock, load: plant, endpoint: bus.attach('relay', { settings: MODBUS_DEFAULT }) });
  const meter = new EmulatedMeter({ clock, endpoint: bus.attach('meter', { settings: IEC_OPENING }), profile: loadMeterProfile(join(DEFAULT_PROFILES_DIR, 'makel/c500.yaml')), serial: SERIAL, port: 'rs485', load: relay.siteLoad, initialKwh: 12_480.25 });
  terminal = new Terminal({
    clock,
    model,
    config: parseTerminalConfig({ modemNo: MODEM, secret, sendPeriodMin: 15, meters: { rs485: [{ serial: SERIAL, brand: 'Makel' }] } }, model),
    ports: { rs485: bus.attach('terminal', { settings: IEC_OPENING }) },
    dialer: new MemoryDialer(clock, cloud.uplink, `uplink/${MODEM}`, { latencyMs: 120 }),
    storageDir: '/flash/outbox',
    storageFs: memoryOutboxFs(),
    logger,
  });
  // The meter loses its supply at 06:50: the 07:00 readout finds it silent (an open alarm).
  clock.setTimer(DAY0 + 6 * H + 50 * 60_000 - clock.now(), () => meter.setPowered(false), 'meter off');
  await clock.run(terminal.start());
  await clock.runUntil(DAY0 + 7 * H + 5 * 60_000);
  await clock.settle();

  baseUrl = `http://127.0.0.1:${(await cloud.start({ http: {} })).httpPort}`;
  browser = await launchChromium();
  page = await (await browser.newContext({ viewport: { width: 1200, height: 900 }, baseURL: baseUrl })).newPage();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  if (terminal) await clock.run(terminal.stop());
  await cloud.stop();
  if (!shotsDir) rmSync(shots, { recursive: true, force: true });
});

/** The text the form's result region shows once the API answered. */
async function resultOf(form: string): Promise<string> {
  const out = page.locator(`${form} .form-result`);
  await out.filter({ hasText: /\S/ }).waitFor({ timeout: 10_000 });
  return (await out.textContent())!.trim();
}

describe.skipIf(skip)(`cloud web pages in Chromium${skip ? ` (skipped: ${skip})` : ''}`, () => {
  it('the cloud holds a morning of the terminal’s data', () => {
    expect(reports.meters(MODEM)).toEqual([SERIAL]);
    expect(cloud.service.records(MODEM, { kind: 'modbus-reading' }).length).toBeGreaterThanOrEqual(20);
  });

  it('logs in, adds the modem with its code, and is refused a second use in the API’s words', async () => {
    await page.goto('/modems');
    expect(new URL(page.url()).pathname).toBe('/login');
    await page.getByLabel('E-mail').fill(USER.email);
    await page.getByLabel('Password').fill('wrong password');
    await page.getByRole('button', { name: 'Log in' }).click();
    expect(await resultOf('form[data-form="login"]')).toBe('wrong e-mail or password');
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.waitForURL('**/modems');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Modems');
    expect(await page.locator('#modems').count()).toBe(0);

    await page.getByRole('link', { name: 'Add modem authorization' }).click();
    await page.getByLabel('Modem No').fill(MODEM);
    await page.getByLabel('Authorization code').fill(authCode.toLowerCase().replace('-', ' '));
    await page.getByRole('button', { name: 'Add modem' }).click();
    expect(await resultOf('form[data-form="add-modem"]')).toBe(`Modem ${MODEM} is now in your account. Open its dashboard`);
    await page.getByRole('button', { name: 'Add modem' }).click();
    await page.locator('form[data-form="add-modem"] .form-result.error').waitFor();
    const second = await resultOf('form[data-form="add-modem"]');
    const api = await page.request.post('/api/account/modems', { data: { modemNo: MODEM, code: authCode } });
    expect(api.status()).toBe(409);
    expect(second).toBe(((await api.json()) as { error: string }).error);
    expect(second).toBe(`modem ${MODEM} is already in your account`);
    expect(await page.locator('form[data-form="add-modem"] [role="alert"]').count()).toBe(1);

    await page.goto('/modems');
    const row = page.locator(`#modems tr[data-modem="${MODEM}"]`);
    expect(await row.locator('td.state').textContent()).toBe('online');
    expect(await row.locator('time').textContent()).toMatch(/^05\.01\.2026 0[67]:\d\d$/);
    expect(await row.locator('td.alarms').textContent()).toBe('1');
  });

  it('changes the send period; the cloud stores it and the terminal applies it', async () => {
    await page.goto(`/modems/${MODEM}/settings`);
    expect(await page.getByLabel('Send period (minutes)').inputValue()).toBe('');
    expect(await page.locator('#modbus-devices tbody tr').count()).toBe(1);
    expect(await page.locator('#d0-type').inputValue()).toBe('compensation-relay');
    await page.getByLabel('Location').fill('Konya OSB, plant 2');
    await page.getByLabel('Send period (minutes)').fill('500');
    await page.getByRole('button', { name: 'Save site settings' }).click();
    expect(await resultOf('form[data-form="site"]')).toMatch(/^site settings: sendPeriodMin: /);
    await page.getByLabel('Send period (minutes)').fill('30');
    await page.getByRole('button', { name: 'Save site settings' }).click();
    expect(await resultOf('form[data-form="site"]')).toBe('Saved. Send period: 30 min (waiting for the terminal to apply it).');
    const stored = cloud.service.siteSettings(MODEM);
    expect(stored).toMatchObject({ sendPeriodMin: 30, periodVersion: 1, location: { name: 'Konya OSB, plant 2' } });

    // An alarm recipient: a bad phone number is refused in the API's words, then saved.
    const recipients = page.locator('form[data-form="recipients"]');
    await recipients.getByRole('button', { name: 'Add recipient' }).click();
    await recipients.getByLabel('E-mail').fill('shift@konya-osb.example');
    await recipients.getByLabel('Phone').fill('0532 123 45 67');
    await recipients.getByRole('button', { name: 'Save recipients' }).click();
    expect(await resultOf('form[data-form="recipients"]')).toBe('site settings: recipients[0].phone: expected a phone number in E.164, e.g. +905321234567');
    await recipients.getByLabel('Phone').fill('+905321234567');
    await recipients.getByRole('button', { name: 'Save recipients' }).click();
    await recipients.locator('.form-result:not(.error)').waitFor();
    expect(cloud.service.siteSettings(MODEM).recipients).toEqual([{ email: 'shift@konya-osb.example', phone: '+905321234567', alarms: 'all' }]);

    // The modem is online: the push went out; the terminal's acknowledgement needs the clock.
    await clock.runFor(60_000);
    expect(cloud.service.siteSettings(MODEM).periodAckedVersion).toBe(1);
    await page.reload();
    expect(await page.getByLabel('Send period (minutes)').inputValue()).toBe('30');
    expect(await page.locator('#period-state').textContent()).toContain('applied by the terminal (version 1)');
  });

  it('shows the dashboard with hourly, daily, reactive and capacitor-step plots drawn from the reports', async () => {
    await page.goto(`/modems/${MODEM}`);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain(`Modem ${MODEM}`);
    expect(await page.locator(`#modem-state a[href="/alarms?modem=${MODEM}"]`).textContent()).toBe('1 open alarm');
    const day = reports.consumption(MODEM, { bucket: 'hour', from: DAY0, to: DAY0 + 24 * H });
    const hourly = page.locator('svg#consumption-day');
    expect(await hourly.getAttribute('role')).toBe('img');
    expect(await hourly.locator('title').first().textContent()).toBe('Active energy per hour, 05.01.2026');
    // One bar (per tariff) per hour with data; the bars of an hour add up to the hour's kWh
    // (within the registers' 1 Wh resolution: each tariff register is truncated on its own).
    const bars = await hourly.locator('rect.bar').evaluateAll((els) => els.map((e) => ({ from: Number(e.getAttribute('data-from')), value: Number(e.getAttribute('data-value')), h: Number(e.getAttribute('height')) })));
    const hours = day.buckets.filter((b) => b.kwh !== null);
    expect(hours.length).toBeGreaterThanOrEqual(4);
    for (const b of hours) {
      const sum = bars.filter((x) => x.from === b.from).reduce((a, x) => a + x.value, 0);
      expect(Math.abs(sum - b.kwh!)).toBeLessThanOrEqual(0.003);
    }
    expect(bars.every((b) => b.h >= 0)).toBe(true);
    expect(Math.max(...bars.map((b) => b.h))).toBeGreaterThan(20);
    const ticks = await hourly.locator('g.axis-x g.tick text').allTextContents();
    expect(ticks.slice(0, 3)).toEqual(['00:00', '03:00', '06:00']);

    const reactive = page.locator('svg#reactive');
    expect(await reactive.locator('g.limit').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))))).toEqual([20, 15]);
    const r = reports.reactive(MODEM, { month: '2026-01' });
    const ind = await reactive.locator('g.series[data-series="Inductive"] rect.bar').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    expect(ind).toEqual(r.days.filter((d) => d.inductivePct !== null).map((d) => d.inductivePct));

    const kvar = page.locator('svg.plot[id$="-kvar"]').first();
    const points = await kvar.locator('circle.point').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-value'))));
    const steps = reports.capacitorSteps(MODEM, { from: DAY0, to: DAY0 + 24 * H }).relays[0]!;
    expect(points).toEqual(steps.samples.filter((s) => s.onKvar !== null).map((s) => s.onKvar));
    expect(points.some((p) => p > 0)).toBe(true);
    expect(await page.locator('svg.lanes rect.span[data-state="on"]').count()).toBeGreaterThan(0);

    const shot = await captureDashboard({ baseUrl, credentials: USER, modemNo: MODEM, day: '2026-01-05', file: join(shots, `dashboard-${MODEM}.png`), browser: browser! });
    expect(shot.plots).toBeGreaterThanOrEqual(4);
    expect(shot.bars).toBeGreaterThan(hours.length);
  });

  it('lists alarms and keeps pages behind the login', async () => {
    await page.goto('/alarms');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Alarms');
    const rows = page.locator('#alarm-list tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getAttribute('data-state')).toBe('open');
    expect(await rows.first().locator('td').nth(1).textContent()).toBe('meter not answering');
    expect(await rows.first().locator('td').nth(2).textContent()).toBe(`meter ${SERIAL} (rs485)`);
    expect(alarms.all({ state: 'open' }).map((a) => [a.modemNo, a.rule])).toEqual([[MODEM, 'meter-not-answering']]);
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.waitForURL('**/login');
    await page.goto(`/modems/${MODEM}/settings`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(new URL(page.url()).searchParams.get('next')).toBe(`/modems/${MODEM}/settings`);
  });
});
