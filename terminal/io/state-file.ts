/**
 * What the I/O block keeps across restarts and power cuts: the I/O settings last pushed by the
 * cloud (I/O support flag and schedule, with their version) and the start of an outage still
 * open. `ioStateFile` keeps it as one JSON file written under a temporary name, synced and
 * renamed into place; `memoryIoState` keeps it in an object (tests, or a caller that holds it).
 */
import type { Clock } from '../../core/clock/index.ts';
import { checkIoConfigPushBody, type IoConfigPushBody } from '../../protocols/uplink/io.ts';
import type { OutboxFs } from '../uplink/outbox-fs.ts';
import { flashJson } from '../flash-json.ts';

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

/** Keeps the state in `dir/io-state.json` on the terminal's storage. */
export function ioStateFile(o: { fs: OutboxFs; dir: string; clock: Clock }): IoStateStore {
  const file = flashJson<IoState>({ ...o, name: 'io-state.json', check: checkIoState });
  return {
    async load() {
      const { value, problem } = await file.load();
      return { state: value ?? {}, ...(problem ? { problem } : {}) };
    },
    save: (state) => file.save(state),
  };
}

/** A bad stored config is reported; the open outage beside it is still used. */
function checkIoState(raw: unknown): { ok: true; value: IoState } | { ok: false; message: string; partial: IoState } {
  const r = (raw ?? {}) as { config?: unknown; outageSince?: unknown };
  const state: IoState = {};
  if (typeof r.outageSince === 'number') state.outageSince = r.outageSince;
  if (r.config !== undefined) {
    const c = checkIoConfigPushBody(r.config);
    if (!c.ok) return { ok: false, message: `config: ${c.message}`, partial: state };
    state.config = c.value;
  }
  return { ok: true, value: state };
}
