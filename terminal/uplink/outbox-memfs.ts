/**
 * The terminal's storage as memory: the flash of a simulated terminal in virtual runs. It keeps
 * its files across terminal restarts for as long as the site keeps the object, needs no real
 * I/O (so virtual time never waits on a disk), and wrapped in `powerCutFs` it tears writes the
 * same way. Paths are plain strings; folders exist once made.
 */
import { HtHilError } from '../../core/errors.ts';
import type { OutboxFile, OutboxFs } from './outbox-fs.ts';

function notFound(path: string): HtHilError {
  return new HtHilError('ENOENT', `ENOENT: no such file or directory, '${path}'`);
}

function dirOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

/** A file as appended chunks, joined only when read (appends stay O(size of the write)). */
class MemFile {
  private chunks: Uint8Array[] = [];
  length = 0;
  append(bytes: Uint8Array): void {
    this.chunks.push(Uint8Array.from(bytes));
    this.length += bytes.length;
  }
  bytes(): Uint8Array {
    if (this.chunks.length !== 1) {
      const all = new Uint8Array(this.length);
      let o = 0;
      for (const c of this.chunks) {
        all.set(c, o);
        o += c.length;
      }
      this.chunks = [all];
    }
    return this.chunks[0] ?? new Uint8Array(0);
  }
  truncate(length: number): void {
    const b = this.bytes().slice(0, length);
    this.chunks = [b];
    this.length = b.length;
  }
}

export function memoryOutboxFs(): OutboxFs & { files: ReadonlyMap<string, MemFile> } {
  const files = new Map<string, MemFile>();
  const dirs = new Set<string>(['/']);
  const file = (path: string): OutboxFile => ({
    async write(bytes) {
      const f = files.get(path);
      if (!f) throw notFound(path);
      f.append(bytes);
    },
    async sync() {},
    async truncate(length) {
      const f = files.get(path);
      if (!f) throw notFound(path);
      f.truncate(length);
    },
    async close() {},
  });
  return {
    files,
    async mkdir(dir) {
      for (let d = dir; d !== '/' && !dirs.has(d); d = dirOf(d)) dirs.add(d);
    },
    async list(dir) {
      if (!dirs.has(dir)) throw notFound(dir);
      return [...files.keys()].filter((p) => dirOf(p) === dir).map((p) => p.slice(dir.length + 1)).sort();
    },
    async read(path) {
      const f = files.get(path);
      if (!f) throw notFound(path);
      return Uint8Array.from(f.bytes());
    },
    async open(path, mode) {
      if (!dirs.has(dirOf(path))) throw notFound(path);
      if (mode === 'update' && !files.has(path)) throw notFound(path);
      if (!files.has(path)) files.set(path, new MemFile());
      return file(path);
    },
    async rename(from, to) {
      const f = files.get(from);
      if (!f) throw notFound(from);
      files.delete(from);
      files.set(to, f);
    },
    async remove(path) {
      if (!files.delete(path)) throw notFound(path);
    },
    async syncDir() {},
  };
}
