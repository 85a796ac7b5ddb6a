/**
 * `CellularDialer`: the terminal's `LinkDialer` on a GSM/4G model. `dial()` brings the module up
 * as far as needed (`ModemManager.ensureOnline`) and opens one TCP socket to the cloud; the
 * returned link is a `CellularLink`. One socket at a time: a new dial closes the previous link,
 * and a dial while another is under way joins it.
 */
import type { LedState } from '../leds.ts';
import type { ByteLink, LinkDialer } from '../../lines/net/link.ts';
import type { TerminalModel } from '../models/schema.ts';
import { errorMessage } from '../../core/errors.ts';
import { CellularLink } from './cellular-link.ts';
import type { TechnologyPreference } from './dialect.ts';
import { CellularError, ModemManager, type ModemManagerOptions } from './modem-manager.ts';
import { gsmLedState, type CellularStatus, type ModuleDialect } from './status.ts';

/** Options of the dialer: the manager's, and where the cloud is. */
export interface CellularDialerOptions extends ModemManagerOptions {
  /** The cloud's uplink host and port (as given to CIPSTART / QIOPEN). */
  host: string;
  port: number;
  /** Names the links in traces (default `cellular`). */
  id?: string;
}

/** Dials the cloud through the module. */
export class CellularDialer implements LinkDialer {
  readonly manager: ModemManager;
  private link: CellularLink | undefined;
  private dialing: Promise<ByteLink> | undefined;
  private count = 0;

  constructor(private readonly o: CellularDialerOptions) {
    this.manager = new ModemManager(o);
  }

  /** Brings the module up as needed and opens the socket; rejects with a `CellularError` naming why. */
  dial(): Promise<ByteLink> {
    if (!this.dialing) this.dialing = this.open().finally(() => (this.dialing = undefined));
    return this.dialing;
  }

  /** The current link, if one is open. */
  get current(): CellularLink | undefined {
    return this.link && !this.link.closed ? this.link : undefined;
  }

  status(): CellularStatus {
    return this.manager.status();
  }

  onStatus(listener: (s: CellularStatus) => void): () => void {
    return this.manager.onStatus(listener);
  }

  /** The GSM LED's state now (blink while registering, lit when registered). */
  gsmLed(): LedState {
    return gsmLedState(this.manager.status());
  }

  private async open(): Promise<ByteLink> {
    this.link?.close('replaced by a new connection');
    this.link = undefined;
    await this.manager.ensureOnline();
    const dialect = this.manager.dialect!;
    try {
      await dialect.open(this.manager.at, this.o.host, this.o.port);
    } catch (err) {
      throw err instanceof CellularError ? err : new CellularError('connect-failed', `cannot open ${this.o.host}:${this.o.port}: ${errorMessage(err)}`);
    }
    this.count++;
    this.link = new CellularLink(`${this.o.id ?? 'cellular'}/${this.count}`, this.manager, dialect, this.o.clock);
    return this.link;
  }
}

/** The dialect and radios of a GSM/4G terminal model: 2G models carry a SIMCom module, 4G models a Quectel one. */
export function cellularSettingsFor(model: Pick<TerminalModel, 'uplink' | 'fallback2g'>): { dialect: ModuleDialect; technologies: TechnologyPreference } | undefined {
  if (model.uplink === '2g') return { dialect: 'simcom', technologies: '2g' };
  if (model.uplink === '4g') return { dialect: 'quectel', technologies: model.fallback2g ? '4g-fallback-2g' : '4g' };
  return undefined;
}
