/** Whether a device path is (or links to) a pseudo-terminal, e.g. one end of a socat pair. */
import { realpath } from 'node:fs/promises';

export async function isPtyPath(path: string): Promise<boolean> {
  const real = await realpath(path).catch(() => path);
  return real.startsWith('/dev/pts/');
}
