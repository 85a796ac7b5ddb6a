/**
 * One JSON document kept in the terminal's flash: written under a temporary name, synced and
 * renamed into place, so a power cut leaves the old document or the new one, never half of one.
 * Reading checks the document with the caller's validator; a file that fails it is reported,
 * not used.
 */
import type { Clock } from '../core/clock/index.ts';
import { errorMessage } from '../core/errors.ts';
import type { OutboxFs } from './uplink/outbox-fs.ts';

export interface FlashJson<T> {
  /** The stored document (undefined: none yet); `problem` says why a stored one was not used. */
  load(): Promise<{ value: T | undefined; problem?: string }>;
  /** Resolves once the document is on stable storage. */
  save(value: T): Promise<void>;
}

export function flashJson<T>(o: {
  fs: OutboxFs;
  dir: string;
  name: string;
  clock: Clock;
  /** Validates a stored document; a failing one may still give the part that can be used. */
  check: (raw: unknown) => { ok: true; value: T } | { ok: false; message: string; partial?: T };
}): FlashJson<T> {
  const path = `${o.dir}/${o.name}`;
  const label = `flash ${o.name}`;
  return {
    async load() {
      try {
        await o.clock.track(o.fs.mkdir(o.dir), `${label}: mkdir`);
        if (!(await o.clock.track(o.fs.list(o.dir), `${label}: list`)).includes(o.name)) return { value: undefined };
        const raw: unknown = JSON.parse(new TextDecoder().decode(await o.clock.track(o.fs.read(path), `${label}: read`)));
        const c = o.check(raw);
        return c.ok ? { value: c.value } : { value: c.partial, problem: `${path}: ${c.message}` };
      } catch (err) {
        return { value: undefined, problem: `${path}: ${errorMessage(err)}` };
      }
    },
    async save(value) {
      const tmp = `${path}.tmp`;
      const work = async (): Promise<void> => {
        await o.fs.mkdir(o.dir);
        if ((await o.fs.list(o.dir)).includes(`${o.name}.tmp`)) await o.fs.remove(tmp);
        const f = await o.fs.open(tmp, 'append');
        try {
          await f.write(new TextEncoder().encode(JSON.stringify(value)));
          await f.sync();
        } finally {
          await f.close();
        }
        await o.fs.rename(tmp, path);
        await o.fs.syncDir(o.dir);
      };
      await o.clock.track(work(), `${label}: save`);
    },
  };
}
