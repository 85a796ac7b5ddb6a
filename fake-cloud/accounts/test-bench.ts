/**
 * A cloud with two accounts for tests: account A (owner, a sub-user without rights, a sub-user
 * with view only) holding modem `A_MODEM`, account B (owner) holding `B_MODEM`; HTTP on a free
 * port, and a logged-in `fetch` per user.
 */
import { VirtualClock } from '../../core/clock/index.ts';
import { rootLogger } from '../../core/log.ts';
import { FakeCloud, type FakeCloudOptions } from '../fake-cloud.ts';

export const A_MODEM = '21000001';
export const B_MODEM = '21000002';
/** A light argon2id cost that keeps tests quick (production uses the default). */
export const FAST_HASH = { memoryCost: 1024, timeCost: 1 };
const logger = rootLogger().child({}, { level: 'silent' });

/** An answer: JSON bodies parsed; any other body as `{ text }`. Redirects are not followed. */
export type Caller = (method: string, path: string, body?: unknown) => Promise<{ status: number; body: Record<string, unknown>; headers: Headers }>;

export interface TwoAccounts {
  clock: VirtualClock;
  cloud: FakeCloud;
  base: string;
  codes: { a: string; b: string };
  users: { ownerA: number; subNone: number; subView: number; ownerB: number };
  /** Callers by role: no credentials, each user's session cookie, the admin token. */
  as: { anonymous: Caller; ownerA: Caller; subNone: Caller; subView: Caller; ownerB: Caller; support: Caller };
}

/** A caller sending `headers` with every request. */
export function caller(base: string, headers: Record<string, string> = {}): Caller {
  return async (method, path, body) => {
    const res = await fetch(base + path, {
      method,
      redirect: 'manual',
      headers: { ...headers, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      ...(body !== undefined ? { body: typeof body === 'string' ? body : JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    const json = (res.headers.get('content-type') ?? '').includes('json');
    return { status: res.status, body: !text ? {} : json ? (JSON.parse(text) as Record<string, unknown>) : { text }, headers: res.headers };
  };
}

/** Logs in over HTTP; returns a caller with the session cookie. */
export async function login(base: string, email: string, password: string): Promise<Caller> {
  const res = await fetch(`${base}/api/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email, password }) });
  if (res.status !== 200) throw new Error(`login of ${email}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().find((c) => c.startsWith('ht_session='))!.split(';')[0]!;
  return caller(base, { cookie });
}

export async function twoAccounts(options: Partial<FakeCloudOptions> = {}): Promise<TwoAccounts> {
  const clock = new VirtualClock();
  const cloud = new FakeCloud({ clock, logger, accounts: { hashCost: FAST_HASH }, ...options });
  const a = cloud.provisionModem({ modemNo: A_MODEM, secret: 'secret-a-0001', model: 'HT G21' }).authCode;
  const b = cloud.provisionModem({ modemNo: B_MODEM, secret: 'secret-b-0002', model: 'HT G21' }).authCode;
  const acc = cloud.accounts;
  const ownerA = (await acc.openAccount({ email: 'owner@a.example', password: 'owner-a-pass', account: 'Site A' })).id;
  const ownerB = (await acc.openAccount({ email: 'owner@b.example', password: 'owner-b-pass', account: 'Site B' })).id;
  await acc.addModem(ownerA, { modemNo: A_MODEM, code: a });
  await acc.addModem(ownerB, { modemNo: B_MODEM, code: b });
  const subNone = (await acc.createSubUser(ownerA, { email: 'none@a.example', password: 'sub-none-pass' })).id;
  const subView = (await acc.createSubUser(ownerA, { email: 'view@a.example', password: 'sub-view-pass' })).id;
  acc.setRights(ownerA, subView, { modems: { [A_MODEM]: ['view'] } });
  const base = `http://127.0.0.1:${(await cloud.start({ http: { port: 0 } })).httpPort}`;
  const [oA, sN, sV, oB] = await Promise.all([
    login(base, 'owner@a.example', 'owner-a-pass'),
    login(base, 'none@a.example', 'sub-none-pass'),
    login(base, 'view@a.example', 'sub-view-pass'),
    login(base, 'owner@b.example', 'owner-b-pass'),
  ]);
  return {
    clock,
    cloud,
    base,
    codes: { a, b },
    users: { ownerA, subNone, subView, ownerB },
    as: { anonymous: caller(base), ownerA: oA, subNone: sN, subView: sV, ownerB: oB, support: caller(base, { authorization: `Bearer ${cloud.adminToken}` }) },
  };
}
