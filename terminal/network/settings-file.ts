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
import { flashJson } from '../flash-json.ts';

export interface NetworkSettingsStore {
  /** The stored settings; `problem` says why a stored file could not be used. */
  load(): Promise<{ settings: NetworkSettings; problem?: string }>;
  /** Resolves once the settings are on stable storage. */
  save(settings: NetworkSettings): Promise<void>;
}

/** Keeps the settings in `dir/network.json` on the terminal's storage. */
export function networkSettingsFile(o: { fs: OutboxFs; dir: string; clock: Clock }): NetworkSettingsStore {
  const file = flashJson<{ version: 1; settings: NetworkSettings }>({ ...o, name: 'network.json', check: checkStored });
  return {
    async load() {
      const { value, problem } = await file.load();
      if (problem) return { settings: DEFAULT_NETWORK_SETTINGS, problem: `${problem}; using DHCP` };
      return { settings: value?.settings ?? DEFAULT_NETWORK_SETTINGS };
    },
    save: (settings) => file.save({ version: 1, settings }),
  };
}

function checkStored(raw: unknown): { ok: true; value: { version: 1; settings: NetworkSettings } } | { ok: false; message: string } {
  try {
    return { ok: true, value: { version: 1, settings: checkNetworkSettings((raw as { settings?: unknown } | null)?.settings) } };
  } catch (err) {
    return { ok: false, message: errorMessage(err) };
  }
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
