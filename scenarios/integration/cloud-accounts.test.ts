/**
 * Accounts on the cloud, end to end: a user adds a terminal with the code from the paper in its
 * box (once), a sub-user without control rights is refused a relay command at the service, and a
 * send period changed on the settings page reaches a real terminal, whose readings then arrive
 * at the new period. One virtual clock; the terminal meets the cloud only on a memory link.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { IEC_OPENING } from '../../lines/settings.ts';
import { VirtualWire } from '../../lines/virtual-wire.ts';
import { EmulatedMeter } from '../../emulators/meters/meter.ts';
import { loadMeterProfiles } from '../../emulators/meters/profile-loader.ts';
import { SiteLoad } from '../../emulators/site/load.ts';
import { FAST_HASH } from '../../fake-cloud/accounts/test-bench.ts';
import { ApiError } from '../../fake-cloud/api/errors.ts';
import { FakeCloud } from '../../fake-cloud/fake-cloud.ts';
import { parseTerminalConfig } from '../../terminal/config.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import { Terminal } from '../../terminal/terminal.ts';
import { memoryOutboxFs } from '../../terminal/uplink/outbox-memfs.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const MODEM = '21000042';
const SECRET = '0123456789abcdef0123456789abcdef';
const MIN = 60_000;

class Bench {
  readonly clock = new VirtualClock();
  readonly cloud = new FakeCloud({ clock: this.clock, logger, accounts: { hashCost: FAST_HASH } });
  readonly code: string;
  terminal: Terminal | undefined;
  meter: EmulatedMeter | undefined;

  constructor() {
    this.code = this.cloud.provisionModem({ modemNo: MODEM, secret: SECRET, model: 'HT E21' }).authCode;
  }

  /** An HT E21 on Ethernet with one meter on its optical head, polling every 15 minutes. */
  /** The terminal's flash, kept across its restarts. */
  private readonly flash = memoryOutboxFs();
  private wire: VirtualWire | undefined;

  async startTerminal(): Promise<Terminal> {
    const profile = loadMeterProfiles().map((l) => l.profile).find((p) => p.ports.optical && !p.opticalEcho)!;
    const wire = (this.wire ??= new VirtualWire(this.clock, 'optical', { id: 'optical/terminal', settings: IEC_OPENING }, { id: 'optical/meter', settings: IEC_OPENING }));
    this.meter ??= new EmulatedMeter({ clock: this.clock, endpoint: wire.b, profile, serial: profile.serialNumber.example, port: 'optical', load: new SiteLoad({ baseKw: 4, peakKw: 12, powerFactor: 0.95 }), initialKwh: 1000 });
    const model = findTerminalModel('HT E21');
    this.terminal = new Terminal({
      clock: this.clock,
      model,
      config: parseTerminalConfig({ modemNo: MODEM, secret: SECRET, sendPeriodMin: 15, meters: { optical: {} } }, model),
      ports: { optical: wire.a },
      dialer: new MemoryDialer(this.clock, this.cloud.uplink, `uplink/${MODEM}`, { latencyMs: 80 }),
      storageDir: '/flash/outbox',
      storageFs: this.flash,
      logger,
    });
    await this.clock.run(this.terminal.start());
    return this.terminal;
  }

  /** Start times of the readouts stored at the cloud (the terminal's poll times). */
  readoutStarts(): number[] {
    return this.cloud.service.records(MODEM, { kind: 'meter-reading' }).map((r) => (r.body as { readStart: number }).readStart);
  }

  async dispose(): Promise<void> {
    await this.terminal?.stop({ powerCut: true });
    this.meter?.dispose();
    await this.cloud.stop();
  }
}

async function refusal(f: () => unknown): Promise<ApiError> {
  try {
    await f();
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

let bench: Bench | undefined;
afterEach(async () => {
  await bench?.dispose();
  bench = undefined;
});

describe('cloud accounts end to end', () => {
  it('add modem authorization works once; a sub-user without control is refused a relay command', async () => {
    bench = new Bench();
    const { cloud } = bench;
    const owner = await cloud.accounts.openAccount({ email: 'owner@mill.example', password: 'owner-password', account: 'Konya mill' });
    const stranger = await cloud.accounts.openAccount({ email: 'other@elsewhere.example', password: 'other-password' });
    const asOwner = cloud.service.as(owner.id);
    expect(asOwner.listModems()).toEqual([]);
    expect(await asOwner.addModem({ modemNo: MODEM, code: bench.code })).toMatchObject({ modemNo: MODEM, accountId: owner.accountId });
    expect(asOwner.listModems().map((m) => m.modemNo)).toEqual([MODEM]);
    expect(await refusal(() => asOwner.addModem({ modemNo: MODEM, code: bench!.code }))).toMatchObject({ status: 409, message: `modem ${MODEM} is already in your account` });
    const second = await refusal(() => cloud.service.as(stranger.id).addModem({ modemNo: MODEM, code: bench!.code }));
    expect(second.status).toBe(409);
    expect(second.message).toMatch(new RegExp(`^modem ${MODEM} is in another account: its authorization code was used at `));
    expect(await refusal(() => cloud.service.as(stranger.id).readings(MODEM))).toMatchObject({ status: 404 });

    const operator = await asOwner.createSubUser({ email: 'operator@mill.example', password: 'operator-password' });
    asOwner.setRights(operator.id, { modems: { [MODEM]: ['view', 'settings'] } });
    asOwner.io.setSettings(MODEM, { enabled: true });
    const asOperator = cloud.service.as(operator.id);
    expect(await refusal(() => asOperator.io.setRelay(MODEM, { output: 1, on: true }))).toMatchObject({ status: 403, message: `no 'control' right on modem ${MODEM} (a relay command needs it)` });
    expect(cloud.service.pushes(MODEM).filter((p) => p.kind === 'command')).toEqual([]);
    // What the operator may do goes through.
    expect(asOperator.setSiteSettings(MODEM, { location: { name: 'Mill, pump house' } }).location).toEqual({ name: 'Mill, pump house' });
  });

  it('a send period changed on the settings page reaches the terminal; readings then arrive at the new period', async () => {
    bench = new Bench();
    const { cloud, clock } = bench;
    const owner = await cloud.accounts.openAccount({ email: 'owner@mill.example', password: 'owner-password' });
    const asOwner = cloud.service.as(owner.id);
    await asOwner.addModem({ modemNo: MODEM, code: bench.code });
    const terminal = await bench.startTerminal();
    const t0 = clock.now();
    await clock.runFor(62 * MIN);
    const before = bench.readoutStarts();
    expect(before.map((t) => Math.round((t - t0) / MIN))).toEqual([15, 30, 45, 60]);

    const change = t0 + 63 * MIN;
    await clock.runUntil(change);
    expect(asOwner.setSiteSettings(MODEM, { sendPeriodMin: 5 })).toMatchObject({ sendPeriodMin: 5, periodVersion: 1 });
    await clock.runFor(MIN);
    expect(cloud.service.siteSettings(MODEM).periodAckedVersion).toBe(1);
    expect(terminal.periodMs).toBe(5 * MIN);
    expect(cloud.service.pushes(MODEM).at(-1)).toMatchObject({ kind: 'config', ok: true, resultText: 'send period 5 min' });

    await clock.runUntil(change + 29 * MIN);
    const after = bench.readoutStarts().slice(before.length);
    // From the next 5-minute mark after the change: :05, :10, …, on the clock's grid.
    expect(after.map((t) => Math.round((t - t0) / MIN))).toEqual([65, 70, 75, 80, 85, 90]);
    for (const t of after) expect(t % (5 * MIN)).toBeLessThan(1000);

    // The period is kept in the terminal's flash: after a power cut it polls every 5 minutes at
    // once, without waiting for the cloud (which does not push an acknowledged period again).
    await bench.terminal!.stop({ powerCut: true });
    const pushes = cloud.service.pushes(MODEM).length;
    const again = await bench.startTerminal();
    expect(again.periodMs).toBe(5 * MIN);
    const restartAt = clock.now();
    await clock.runFor(11 * MIN);
    const resumed = bench.readoutStarts().filter((t) => t > restartAt);
    expect(resumed.map((t) => Math.round((t - restartAt) / MIN) <= 11)).toEqual([true, true]);
    expect(cloud.service.pushes(MODEM)).toHaveLength(pushes);
  });
});
