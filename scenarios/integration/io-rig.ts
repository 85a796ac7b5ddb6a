/**
 * A bench for site I/O: GSM/4G modems whose I/O block (the terminal's real code) is wired to the
 * site's I/O panel, with the outbox and uplink the terminal uses, on one virtual clock with the
 * fake cloud. The wiring is the one the Terminal does (outbox as the sink, I/O pushes to the I/O
 * block, power fail stops the terminal, mains back restarts it).
 */
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { MemoryDialer } from '../../lines/net/memory-link.ts';
import { IoPanel } from '../../emulators/site/io-panel.ts';
import { MainsSupply } from '../../emulators/site/mains.ts';
import type { DryContact } from '../../emulators/site/dry-contact.ts';
import type { RelayDrivenLoad } from '../../emulators/site/relay-load.ts';
import { FakeCloud } from '../../fake-cloud/index.ts';
import { findTerminalModel } from '../../terminal/models/loader.ts';
import { ioStateFile } from '../../terminal/io/state-file.ts';
import { TerminalIo } from '../../terminal/io/terminal-io.ts';
import { Outbox, UplinkClient } from '../../terminal/uplink/index.ts';
import { memoryOutboxFs } from '../../terminal/uplink/outbox-memfs.ts';

export const logger = rootLogger().child({}, { level: 'silent' });

export class IoModem {
  readonly flash = memoryOutboxFs();
  readonly mains: MainsSupply;
  readonly panel: IoPanel;
  io: TerminalIo | undefined;
  outbox: Outbox | undefined;
  client: UplinkClient | undefined;
  networkDown: string | undefined;
  powered = false;
  private readonly dialer: MemoryDialer;
  private readonly model;

  constructor(
    readonly bench: IoBench,
    readonly modemNo: string,
    modelName: string,
    wiring: { inputs?: DryContact[]; outputs?: RelayDrivenLoad[] } = {},
  ) {
    this.model = findTerminalModel(modelName);
    this.mains = new MainsSupply(bench.clock);
    this.panel = new IoPanel(bench.clock, { ...wiring, ...(this.model.supply.kind === 'ac' ? { mains: this.mains } : {}) });
    this.dialer = new MemoryDialer(bench.clock, bench.cloud.uplink, `uplink/${modemNo}`, { latencyMs: 300 }, () => this.networkDown);
    bench.cloud.provisionModem({ modemNo, secret: `secret-${modemNo}`, model: this.model.model });
    this.mains.onChange((c) => {
      // An AC terminal boots two seconds after the mains returns.
      if (c.present && !this.powered && this.model.supply.kind === 'ac') bench.clock.setTimer(2000, () => void bench.clock.track(this.start(), 'boot'), 'boot');
    });
  }

  /** Powers the terminal up: outbox, uplink, I/O block. */
  async start(): Promise<void> {
    const { clock } = this.bench;
    this.powered = true;
    this.outbox = await Outbox.open({ dir: '/flash/outbox', clock, fs: this.flash, logger });
    const outbox = this.outbox;
    this.client = new UplinkClient({ clock, dialer: this.dialer, identity: { modemNo: this.modemNo, secret: `secret-${this.modemNo}`, model: this.model.model, firmware: '2.0.0' }, outbox, logger, timing: { backoffInitialMs: 5000, backoffMaxMs: 30_000 } });
    this.io = new TerminalIo({
      clock,
      model: this.model,
      pins: this.panel.pins,
      sink: async (r) => {
        if (this.powered) await outbox.append(r);
      },
      state: ioStateFile({ fs: this.flash, dir: '/flash/config', clock }),
      onPowerFail: () => void clock.track(this.powerCut(), 'power fail'),
      logger,
    });
    const io = this.io;
    this.client.setPushHandler((p) => (io.handles(p) ? io.handlePush(p) : { ok: false, text: `no handler for ${p.kind} pushes` }));
    this.client.start();
    await io.start();
  }

  /** The supply is gone: the terminal stops at once. */
  async powerCut(): Promise<void> {
    if (!this.powered) return;
    this.powered = false;
    this.io?.dispose();
    await this.client?.stop('power cut');
  }

  setNetwork(up: boolean): void {
    this.networkDown = up ? undefined : 'no coverage';
    if (!up) this.bench.cloud.uplink.dropModem(this.modemNo, 'no coverage');
    else this.client?.connectNow();
  }
}

export class IoBench {
  readonly clock = new VirtualClock();
  readonly cloud = new FakeCloud({ clock: this.clock, logger });
  readonly modems: IoModem[] = [];

  modem(modemNo: string, model: string, wiring: { inputs?: DryContact[]; outputs?: RelayDrivenLoad[] } = {}): IoModem {
    const m = new IoModem(this, modemNo, model, wiring);
    this.modems.push(m);
    return m;
  }

  async start(): Promise<void> {
    for (const m of this.modems) await this.clock.track(m.start(), 'start');
    await this.clock.runFor(5000);
  }

  async dispose(): Promise<void> {
    for (const m of this.modems) {
      await m.powerCut();
      m.mains.dispose();
    }
    await this.cloud.stop();
  }
}
