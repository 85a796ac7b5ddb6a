import { describe, expect, it } from 'vitest';
import { RealClock, VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { ApiError } from '../api/errors.ts';
import { FakeCloud } from '../fake-cloud.ts';
import { TooManyAttemptsError } from './attempt-limits.ts';
import { CODE_ALPHABET, formatCode, normalizeCode } from './auth-code.ts';
import { FAST_HASH } from './test-bench.ts';

const logger = rootLogger().child({}, { level: 'silent' });
const MIN = 60_000;

async function failure(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error('expected an ApiError');
}

async function setup() {
  const clock = new VirtualClock();
  const cloud = new FakeCloud({ clock, logger, accounts: { hashCost: FAST_HASH } });
  const codes = {
    m1: cloud.provisionModem({ modemNo: '21000001', secret: 'secret-0001' }).authCode,
    m2: cloud.provisionModem({ modemNo: '21000002', secret: 'secret-0002' }).authCode,
  };
  const a = await cloud.accounts.openAccount({ email: 'a@example.com', password: 'password-a' });
  const b = await cloud.accounts.openAccount({ email: 'b@example.com', password: 'password-b' });
  return { clock, cloud, codes, a: a.id, b: b.id };
}

/** A code that is not the modem's (the next symbol in the last place). */
function wrong(code: string): string {
  const c = normalizeCode(code)!;
  return c.slice(0, -1) + CODE_ALPHABET[(CODE_ALPHABET.indexOf(c.at(-1)!) + 1) % CODE_ALPHABET.length];
}

describe('authorization codes', () => {
  it('look like the paper: 8 symbols in two groups, read leniently; repeatable on virtual time, random on real time', () => {
    expect(formatCode('K7QM3WXA')).toBe('K7QM-3WXA');
    expect(normalizeCode(' k7qm 3wxa ')).toBe('K7QM3WXA');
    expect(normalizeCode('K7QM-3WX')).toBeUndefined();
    expect(normalizeCode('K7QM-3WX0')).toBeUndefined();
    const make = (clock: VirtualClock | RealClock) => new FakeCloud({ clock, logger, accounts: { hashCost: FAST_HASH } }).provisionModem({ modemNo: '21000009', secret: 'secret-0009' }).authCode;
    expect(make(new VirtualClock())).toBe(make(new VirtualClock()));
    expect(make(new RealClock())).not.toBe(make(new RealClock()));
    expect(make(new VirtualClock())).toMatch(/^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/);
  });

  it('only the hash is stored; a given code can be printed', async () => {
    const { cloud } = await setup();
    const row = cloud.store.db.prepare('SELECT code_hash FROM modem_auth_codes WHERE modem_no = ?').get('21000001') as { code_hash: string };
    expect(row.code_hash).toMatch(/^\$argon2id\$v=19\$m=4096,t=1,p=1\$/);
    expect(cloud.provisionModem({ modemNo: '21000003', secret: 'secret-0003', authCode: 'abcd efgh' }).authCode).toBe('ABCD-EFGH');
    expect(() => cloud.provisionModem({ modemNo: '21000003', secret: 'secret-0003', authCode: 'ABC' })).toThrow("modem: field 'authCode': expected 8 letters and digits");
    await cloud.stop();
  });
});

describe('add modem authorization', () => {
  it('moves the modem into the account once; every other attempt is refused with its reason', async () => {
    const { cloud, codes, a, b } = await setup();
    const acc = cloud.accounts;
    const wrongCode = await failure(acc.addModem(a, { modemNo: '21000001', code: wrong(codes.m1) }));
    const otherModems = await failure(acc.addModem(a, { modemNo: '21000001', code: codes.m2 }));
    const noModem = await failure(acc.addModem(a, { modemNo: '21999999', code: codes.m1 }));
    const message = 'wrong authorization code for modem 21000001: the modem number and the code must come from the same paper';
    expect([wrongCode.status, wrongCode.message]).toEqual([400, message]);
    expect([otherModems.status, otherModems.message]).toEqual([400, message]);
    expect([noModem.status, noModem.message]).toEqual([400, message.replace('21000001', '21999999')]);
    expect(await failure(acc.addModem(a, { modemNo: '21000001', code: 'ABC' }))).toMatchObject({ status: 400, field: 'code' });
    expect(await failure(acc.addModem(a, { modemNo: '21000001' }))).toMatchObject({ status: 400, field: 'code' });

    expect(await acc.addModem(a, { modemNo: '21000001', code: codes.m1.toLowerCase() })).toMatchObject({ modemNo: '21000001' });
    expect(acc.claims.accountOf('21000001')).toBe(acc.user(a).accountId);
    expect(await failure(acc.addModem(a, { modemNo: '21000001', code: codes.m1 }))).toMatchObject({ status: 409, message: 'modem 21000001 is already in your account' });
    const used = await failure(acc.addModem(b, { modemNo: '21000001', code: codes.m1 }));
    expect([used.status, used.message]).toEqual([409, 'modem 21000001 is in another account: its authorization code was used at 2026-01-05T00:00:00.000Z']);
    // A wrong code for a modem of another account says nothing about that account.
    expect((await failure(acc.addModem(b, { modemNo: '21000001', code: codes.m2 }))).message).toBe(message);

    // Support gives the modem a new paper while it stays in account A: B's right new code is still refused.
    const fresh = cloud.provisionModem({ modemNo: '21000001', secret: 'secret-0001' }).authCode;
    expect(await failure(acc.addModem(b, { modemNo: '21000001', code: fresh }))).toMatchObject({ status: 409, message: 'modem 21000001 is already in another account' });
    // Released by support with a new code: B takes it; the old code is dead.
    const next = acc.claims.release('21000001');
    expect((await failure(acc.addModem(b, { modemNo: '21000001', code: codes.m1 }))).status).toBe(400);
    expect(await acc.addModem(b, { modemNo: '21000001', code: next })).toMatchObject({ accountId: acc.user(b).accountId });
    expect(acc.rightsOn(a, '21000001')).toBeUndefined();
    await cloud.stop();
  });

  it('sub-users cannot add modems', async () => {
    const { cloud, codes, a } = await setup();
    const sub = await cloud.accounts.createSubUser(a, { email: 's@example.com', password: 'password-s' });
    expect(await failure(cloud.accounts.addModem(sub.id, { modemNo: '21000001', code: codes.m1 }))).toMatchObject({ status: 403, message: 'only the account owner adds modems' });
    await cloud.stop();
  });

  it('5 wrong codes per account in 15 min: the 6th attempt, even with the right code, waits; counted on the clock', async () => {
    const { clock, cloud, codes, a } = await setup();
    const t0 = clock.now();
    for (let i = 0; i < 5; i++) {
      // Spread over two modems: the account's count is what stops it.
      expect((await failure(cloud.accounts.addModem(a, { modemNo: i % 2 ? '21000001' : '21000002', code: wrong(codes.m1) }))).status).toBe(400);
      await clock.runFor(MIN);
    }
    const locked = await failure(cloud.accounts.addModem(a, { modemNo: '21000001', code: codes.m1 }));
    expect(locked).toBeInstanceOf(TooManyAttemptsError);
    expect(locked.status).toBe(429);
    expect((locked as TooManyAttemptsError).retryAt).toBe(t0 + 15 * MIN);
    expect(locked.message).toBe('too many wrong authorization codes from this account (5 in 15 min): try again at 2026-01-05T00:15:00.000Z (in 600 s)');
    await clock.runUntil(t0 + 15 * MIN - 1);
    expect((await failure(cloud.accounts.addModem(a, { modemNo: '21000001', code: codes.m1 }))).status).toBe(429);
    await clock.runUntil(t0 + 15 * MIN);
    expect(await cloud.accounts.addModem(a, { modemNo: '21000001', code: codes.m1 })).toMatchObject({ modemNo: '21000001' });
    await cloud.stop();
  });

  it('5 wrong codes per modem in an hour, from any accounts', async () => {
    const { clock, cloud, codes, a, b } = await setup();
    const t0 = clock.now();
    for (let i = 0; i < 5; i++) {
      await failure(cloud.accounts.addModem(i < 3 ? a : b, { modemNo: '21000002', code: wrong(codes.m2) }));
      await clock.runFor(2 * MIN);
    }
    await clock.runUntil(t0 + 20 * MIN);
    const locked = (await failure(cloud.accounts.addModem(a, { modemNo: '21000002', code: codes.m2 }))) as TooManyAttemptsError;
    expect([locked.status, locked.retryAt]).toEqual([429, t0 + 60 * MIN]);
    expect(locked.message).toMatch(/^too many wrong authorization codes for modem 21000002 \(5 in 60 min\): try again at 2026-01-05T01:00:00.000Z \(in 2400 s\)$/);
    // The other modem is not locked for account A (its account count has aged out).
    expect(await cloud.accounts.addModem(a, { modemNo: '21000001', code: codes.m1 })).toMatchObject({ modemNo: '21000001' });
    await clock.runUntil(t0 + 60 * MIN);
    expect(await cloud.accounts.addModem(b, { modemNo: '21000002', code: codes.m2 })).toMatchObject({ modemNo: '21000002' });
    await cloud.stop();
  });

  it('parallel guesses cannot pass the limit', async () => {
    const { cloud, codes, a } = await setup();
    const results = await Promise.allSettled(Array.from({ length: 8 }, () => cloud.accounts.addModem(a, { modemNo: '21000001', code: wrong(codes.m1) })));
    const statuses = results.map((r) => (r.status === 'rejected' ? (r.reason as ApiError).status : 200)).sort();
    expect(statuses).toEqual([400, 400, 400, 400, 400, 429, 429, 429]);
    await cloud.stop();
  });
});
