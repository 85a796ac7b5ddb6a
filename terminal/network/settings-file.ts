/**
 * Where the terminal keeps its network settings: `network.json` in its configuration folder on
 * flash, written under a temporary name, synced and renamed into place (a power cut leaves the
 * old file or the new one, never half of one). A missing file means the factory settings
 * (DHCP); a file that cannot be read or fails the rules of `protocols/usb-config` is reported as
 * `problem` and the factory settings are used.
 */
import type { Clock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import { checkNetworkSettings, DEFAULT_NETWORK_SETTINGS, type NetworkSettings } from '../../protocols/usb-config/index.ts';
import type { OutboxFs } from '../uplink/outbox-fs.ts';

export interface NetworkSettingsStore {
  /** The stored settings; `problem` says why a stored file could not be used. */
  load(): Promise<{ settings: NetworkSettings; problem?: string }>;
  /** Resolves once the settings are on stable storage. */
  save(settings: NetworkSettings): Promise<void>;
}

const FILE = 'network.json';

/** Keeps the settings in `dir/network.json` on the terminal's storage. */
export function networkSettingsFile(o: { fs: OutboxFs; dir: string; clock: Clock }): NetworkSettingsStore {
  const path = `${o.dir}/${FILE}`;
  return {
    async load() {
      try {
        await o.clock.track(o.fs.mkdir(o.dir), 'network settings: mkdir');
        const names = await o.clock.track(o.fs.list(o.dir), 'network settings: list');
        if (!names.includes(FILE)) return { settings: DEFAULT_NETWORK_SETTINGS };
        const raw = JSON.parse(new TextDecoder().decode(await o.clock.track(o.fs.read(path), 'network settings: read'))) as { settings?: unknown };
        return { settings: checkNetworkSettings(raw.settings) };
      } catch (err) {
        return { settings: DEFAULT_NETWORK_SETTINGS, problem: `${path}: ${errorMessage(err)}; using DHCP` };
      }
    },
    async save(settings) {
      const tmp = `${path}.tmp`;
      const work = async (): Promise<void> => {
        await o.fs.mkdir(o.dir);
        if ((await o.fs.list(o.dir)).includes(`${FILE}.tmp`)) await o.fs.remove(tmp);
        const f = await o.fs.open(tmp, 'append');
        try {
          await f.write(new TextEncoder().encode(JSON.stringify({ version: 1, settings })));
          await f.sync();
        } finally {
          await f.close();
        }
        await o.fs.rename(tmp, path);
        await o.fs.syncDir(o.dir);
      };
      await o.clock.track(work(), 'network settings: save');
    },
  };
}

/** Keeps the settings in memory (tests; survives a restart when the same store is handed in again). */
export function memoryNetworkSettings(initial: NetworkSettings = DEFAULT_NETWORK_SETTINGS): NetworkSettingsStore & { settings: NetworkSettings; failNextSave?: string } {
  const box: { settings: NetworkSettings; failNextSave?: string } = { settings: initial };
  return Object.assign(box, {
    load: async () => ({ settings: box.settings }),
    save: async (s: NetworkSettings) => {
      const fail = box.failNextSave;
      if (fail) {
        delete box.failNextSave;
        throw new Error(fail);
      }
      box.settings = s;
    },
  });
}
