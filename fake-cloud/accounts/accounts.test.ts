import { describe, expect, it } from 'vitest';
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { ApiError } from '../api/errors.ts';
import { FakeCloud } from '../fake-cloud.ts';
import { FAST_HASH } from './test-bench.ts';

const logger = rootLogger().child({}, { level: 'silent' });

async function failure(p: Promise<unknown> | (() => unknown)): Promise<ApiError> {
  try {
    await (typeof p === 'function' ? p() : p);
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('accounts, users and sessions', () => {
  it('support opens an account; the owner logs in; wrong e-mail or password get the same answer', async () => {
    const cloud = new FakeCloud({ clock: new VirtualClock(), logger });
    const owner = await cloud.accounts.openAccount({ email: ' Ayse@Example.COM ', password: 'correct horse', name: 'Ayşe', account: 'Konya mill' });
    expect(owner).toMatchObject({ email: 'ayse@example.com', name: 'Ayşe', role: 'owner', accountName: 'Konya mill' });
    expect((await failure(cloud.accounts.openAccount({ email: 'ayse@example.com', password: 'another one' }))).status).toBe(409);
    expect(await failure(cloud.accounts.openAccount({ email: 'not-an-address', password: 'long enough' }))).toMatchObject({ status: 400, field: 'email' });
    expect(await failure(cloud.accounts.openAccount({ email: 'b@example.com', password: 'short' }))).toMatchObject({ status: 400, message: "new account: field 'password': expected at least 8 characters" });
    const wrongPass = await failure(cloud.accounts.login({ email: 'ayse@example.com', password: 'wrong horse' }));
    const noUser = await failure(cloud.accounts.login({ email: 'nobody@example.com', password: 'correct horse' }));
    expect([wrongPass.status, wrongPass.message]).toEqual([401, 'wrong e-mail or password']);
    expect([noUser.status, noUser.message]).toEqual([401, 'wrong e-mail or password']);
    const s = await cloud.accounts.login({ email: 'AYSE@example.com', password: 'correct horse' });
    expect(cloud.accounts.session(s.token).id).toBe(owner.id);
    // Only the hash of the token and of the password are stored.
    const row = cloud.store.db.prepare('SELECT token_hash FROM sessions').get() as { token_hash: string };
    expect(row.token_hash).not.toContain(s.token);
    expect((cloud.store.db.prepare('SELECT password_hash FROM users').get() as { password_hash: string }).password_hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    cloud.accounts.logout(s.token);
    expect((await failure(() => cloud.accounts.session(s.token))).message).toBe('not logged in');
    await cloud.stop();
  });

  it('sessions expire on the cloud clock: after 12 h idle, and 7 days after login however used', async () => {
    const clock = new VirtualClock();
    const cloud = new FakeCloud({ clock, logger, accounts: { hashCost: FAST_HASH } });
    await cloud.accounts.openAccount({ email: 'a@example.com', password: 'password-1' });
    const idle = await cloud.accounts.login({ email: 'a@example.com', password: 'password-1' });
    const busy = await cloud.accounts.login({ email: 'a@example.com', password: 'password-1' });
    const t0 = clock.now();
    expect(idle.expiresAt).toBe(t0 + 12 * 3_600_000);
    // Every 6 h the busy session is used; the idle one at 6 h and 12 h only, so it ends at 24 h.
    for (let h = 6; h < 7 * 24; h += 6) {
      await clock.runUntil(t0 + h * 3_600_000);
      cloud.accounts.session(busy.token);
      if (h <= 12) cloud.accounts.session(idle.token);
      if (h === 24) expect((await failure(() => cloud.accounts.session(idle.token))).message).toBe('the session expired: log in again');
    }
    await clock.runUntil(t0 + 7 * 24 * 3_600_000);
    expect((await failure(() => cloud.accounts.session(busy.token))).status).toBe(401);
    await cloud.stop();
  });

  it('the owner creates sub-users and grants rights on the account modems only', async () => {
    const cloud = new FakeCloud({ clock: new VirtualClock(), logger, accounts: { hashCost: FAST_HASH } });
    const code = cloud.provisionModem({ modemNo: '21000001', secret: 'secret-0001' }).authCode;
    const foreign = cloud.provisionModem({ modemNo: '21000002', secret: 'secret-0002' }).authCode;
    const owner = await cloud.accounts.openAccount({ email: 'o@a.example', password: 'password-o' });
    const other = await cloud.accounts.openAccount({ email: 'o@b.example', password: 'password-b' });
    await cloud.accounts.addModem(owner.id, { modemNo: '21000001', code });
    await cloud.accounts.addModem(other.id, { modemNo: '21000002', code: foreign });
    const sub = await cloud.accounts.createSubUser(owner.id, { email: 's@a.example', password: 'password-s' });
    expect(sub).toMatchObject({ role: 'sub', accountId: owner.accountId, rights: {} });
    expect((await failure(cloud.accounts.createSubUser(sub.id, { email: 't@a.example', password: 'password-t' }))).message).toBe('only the account owner creates sub-users');
    expect(cloud.accounts.setRights(owner.id, sub.id, { modems: { '21000001': ['control'] } }).rights).toEqual({ '21000001': ['view', 'control'] });
    expect(await failure(() => cloud.accounts.setRights(owner.id, sub.id, { modems: { '21000002': ['view'] } }))).toMatchObject({ status: 404, message: 'no modem 21000002 in your account' });
    expect(await failure(() => cloud.accounts.setRights(owner.id, sub.id, { modems: { '21000001': ['admin'] } }))).toMatchObject({ status: 400, field: 'modems.21000001.0' });
    expect((await failure(() => cloud.accounts.setRights(other.id, sub.id, { modems: {} }))).status).toBe(404);
    expect(cloud.accounts.rightsOn(sub.id, '21000001')).toEqual(['view', 'control']);
    expect(cloud.accounts.rightsOn(sub.id, '21000002')).toBeUndefined();
    expect(cloud.accounts.rightsOn(owner.id, '21000001')).toEqual(['view', 'control', 'settings']);
    expect(cloud.accounts.usersFor(owner.id).map((u) => [u.email, u.role])).toEqual([['o@a.example', 'owner'], ['s@a.example', 'sub']]);
    const s = await cloud.accounts.login({ email: 's@a.example', password: 'password-s' });
    cloud.accounts.removeSubUser(owner.id, sub.id);
    expect((await failure(() => cloud.accounts.session(s.token))).status).toBe(401);
    expect((await failure(() => cloud.accounts.removeSubUser(owner.id, owner.id))).status).toBe(400);
    await cloud.stop();
  });
});
