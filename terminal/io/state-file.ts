/**
 * What the I/O block keeps across restarts and power cuts: the I/O settings last pushed by the
 * cloud (I/O support flag and schedule, with their version) and the start of an outage still
 * open. `ioStateFile` keeps it as one JSON file written under a temporary name, synced and
 * renamed into place; `memoryIoState` keeps it in an object (tests, or a caller that holds it).
 */
import type { Clock } from '../../core/clock/index.ts';
import { errorMessage } from '../../core/errors.ts';
import { checkIoConfigPushBody, type IoConfigPushBody } from '../../protocols/uplink/io.ts';
import type { OutboxFs } from '../uplink/outbox-fs.ts';

export interface IoState {
  config?: IoConfigPushBody | undefined;
  outageSince?: number | undefined;
}

export interface IoStateStore {
  /** The stored state; `problem` says why a stored file could not be used. */
  load(): Promise<{ state: IoState; problem?: string }>;
  /** Resolves once the state is on stable storage. */
  save(state: IoState): Promise<void>;
}

/** Keeps the state in memory (survives a restart when the same store is handed in again). */
export function memoryIoState(initial: IoState = {}): IoStateStore & { state: IoState } {
  const box = { state: { ...initial } };
  return {
    get state() {
      return box.state;
    },
    load: async () => ({ state: { ...box.state } }),
    save: async (s) => {
      box.state = { ...s };
    },
  };
}

const FILE = 'io-state.json';

/** Keeps the state in `dir/io-state.json` on the terminal's storage. */
export function ioStateFile(o: { fs: OutboxFs; dir: string; clock: Clock }): IoStateStore {
  const path = `${o.dir}/${FILE}`;
  return {
    async load() {
      try {
        await o.clock.track(o.fs.mkdir(o.dir), 'io state: mkdir');
        const names = await o.clock.track(o.fs.list(o.dir), 'io state: list');
        if (!names.includes(FILE)) return { state: {} };
        const raw = JSON.parse(new TextDecoder().decode(await o.clock.track(o.fs.read(path), 'io state: read'))) as { config?: unknown; outageSince?: unknown };
        const state: IoState = {};
        if (typeof raw.outageSince === 'number') state.outageSince = raw.outageSince;
        if (raw.config !== undefined) {
          const c = checkIoConfigPushBody(raw.config);
          if (!c.ok) return { state, problem: `${path}: config: ${c.message}` };
          state.config = c.value;
        }
        return { state };
      } catch (err) {
        return { state: {}, problem: `${path}: ${errorMessage(err)}` };
      }
    },
    async save(state) {
      const tmp = `${path}.tmp`;
      const work = async (): Promise<void> => {
        await o.fs.mkdir(o.dir);
        if ((await o.fs.list(o.dir)).includes(`${FILE}.tmp`)) await o.fs.remove(tmp);
        const f = await o.fs.open(tmp, 'append');
        try {
          await f.write(new TextEncoder().encode(JSON.stringify(state)));
          await f.sync();
        } finally {
          await f.close();
        }
        await o.fs.rename(tmp, path);
        await o.fs.syncDir(o.dir);
      };
      await o.clock.track(work(), 'io state: save');
    },
  };
}
