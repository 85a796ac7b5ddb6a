import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EnvironmentError } from '../core/errors.ts';
import { PtyPair } from './pty-pair.ts';

describe('PtyPair', () => {
  it('makes two linked device paths and removes them when stopped', async () => {
    const pair = await PtyPair.start({ name: 'probe' });
    expect(existsSync(pair.a) && existsSync(pair.b)).toBe(true);
    await pair.stop();
    expect(existsSync(pair.a) || existsSync(pair.b)).toBe(false);
    await pair.stop();
  });

  it('names the Debian package when socat is missing', async () => {
    const err = await PtyPair.start({ socat: '/nonexistent/socat' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EnvironmentError);
    expect(String((err as Error).message)).toMatch(/install the Debian package 'socat' \(apt-get install -y socat\)/);
  });
});
