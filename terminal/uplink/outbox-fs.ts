/**
 * The file operations the outbox needs, as a seam: `nodeOutboxFs` is the real thing
 * (fs.promises, FileHandle.sync); `powerCutFs` wraps another and cuts the power after a given
 * number of written bytes, leaving on disk exactly the bytes written so far (a torn record), so
 * that recovery is tested against real files.
 */
import { mkdir, open, readdir, readFile, rename, unlink, type FileHandle } from 'node:fs/promises';
import { HtHilError } from '../../core/errors.ts';

/** An open file: writes go to its end (append) or replace nothing (update, for truncation). */
export interface OutboxFile {
  /** Writes every byte (looping over short writes); resolves when the OS has them. */
  write(bytes: Uint8Array): Promise<void>;
  /** fsync: resolves when the bytes are on stable storage. */
  sync(): Promise<void>;
  truncate(length: number): Promise<void>;
  close(): Promise<void>;
}

export interface OutboxFs {
  /** Creates the directory and its parents if missing. */
  mkdir(dir: string): Promise<void>;
  /** File names in a directory. */
  list(dir: string): Promise<string[]>;
  read(path: string): Promise<Uint8Array>;
  /** 'append' creates the file if missing; 'update' opens an existing file for truncation. */
  open(path: string, mode: 'append' | 'update'): Promise<OutboxFile>;
  rename(from: string, to: string): Promise<void>;
  remove(path: string): Promise<void>;
  /** fsync of a directory, so that created, renamed and removed names are durable. */
  syncDir(dir: string): Promise<void>;
}

class NodeFile implements OutboxFile {
  constructor(private readonly handle: FileHandle) {}
  async write(bytes: Uint8Array): Promise<void> {
    let off = 0;
    while (off < bytes.length) {
      const { bytesWritten } = await this.handle.write(bytes, off, bytes.length - off);
      off += bytesWritten;
    }
  }
  sync(): Promise<void> {
    return this.handle.sync();
  }
  truncate(length: number): Promise<void> {
    return this.handle.truncate(length);
  }
  close(): Promise<void> {
    return this.handle.close();
  }
}

/** The real file system. */
export const nodeOutboxFs: OutboxFs = {
  mkdir: async (dir) => {
    await mkdir(dir, { recursive: true });
  },
  list: (dir) => readdir(dir),
  read: async (path) => new Uint8Array(await readFile(path)),
  open: async (path, mode) => new NodeFile(await open(path, mode === 'append' ? 'a' : 'r+')),
  rename: (from, to) => rename(from, to),
  remove: (path) => unlink(path),
  syncDir: async (dir) => {
    const h = await open(dir, 'r');
    try {
      await h.sync();
    } finally {
      await h.close();
    }
  },
};

/** The terminal lost power: nothing more reaches the disk. */
export class PowerCutError extends HtHilError {
  constructor(detail: string) {
    super('E_POWER_CUT', `power cut: ${detail}`);
  }
}

export interface PowerCutFs extends OutboxFs {
  /** True once the power is off. */
  readonly cut: boolean;
  /** Bytes written to files so far (through this wrapper). */
  readonly written: number;
  /** Cuts the power now: every later call fails. */
  cutNow(): void;
}

/**
 * Wraps `inner`; after `afterBytes` bytes have been written in total, the write that crosses
 * the limit stores only its first bytes up to the limit and fails with `PowerCutError`, and
 * every later operation fails too. Bytes written before the cut stay on disk as written (the
 * model of a disk that keeps what it was handed; a page cache that loses unsynced bytes is not
 * modelled).
 */
export function powerCutFs(inner: OutboxFs, options: { afterBytes?: number } = {}): PowerCutFs {
  const limit = options.afterBytes ?? Number.POSITIVE_INFINITY;
  let written = 0;
  let cut = false;
  const alive = (op: string) => {
    if (cut) throw new PowerCutError(`${op} after the power went off`);
  };
  const wrap = (f: OutboxFile): OutboxFile => ({
    async write(bytes) {
      alive('write');
      if (written + bytes.length > limit) {
        const room = Math.max(0, limit - written);
        if (room > 0) await f.write(bytes.subarray(0, room));
        written += room;
        cut = true;
        throw new PowerCutError(`after ${written} bytes, ${room} of a ${bytes.length}-byte write reached the disk`);
      }
      await f.write(bytes);
      written += bytes.length;
    },
    async sync() {
      alive('sync');
      await f.sync();
    },
    async truncate(length) {
      alive('truncate');
      await f.truncate(length);
    },
    async close() {
      // Closing after the cut releases the real handle; no data moves.
      await f.close();
    },
  });
  return {
    get cut() {
      return cut;
    },
    get written() {
      return written;
    },
    cutNow() {
      cut = true;
    },
    async mkdir(dir) {
      alive('mkdir');
      await inner.mkdir(dir);
    },
    async list(dir) {
      alive('list');
      return inner.list(dir);
    },
    async read(path) {
      alive('read');
      return inner.read(path);
    },
    async open(path, mode) {
      alive('open');
      return wrap(await inner.open(path, mode));
    },
    async rename(from, to) {
      alive('rename');
      await inner.rename(from, to);
    },
    async remove(path) {
      alive('remove');
      await inner.remove(path);
    },
    async syncDir(dir) {
      alive('syncDir');
      await inner.syncDir(dir);
    },
  };
}
