import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../api/errors.ts';
import { A_MODEM, B_MODEM, twoAccounts, type TwoAccounts } from './test-bench.ts';

let t: TwoAccounts;
beforeAll(async () => {
  t = await twoAccounts();
  t.cloud.service.io.setSettings(A_MODEM, { enabled: true });
});
afterAll(() => t.cloud.stop());

function refusal(f: () => unknown): { status: number; message: string } {
  try {
    f();
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, message: e.message };
    throw e;
  }
  throw new Error('expected an ApiError');
}

describe('the service as a user (CloudService.as)', () => {
  it('a sub-user without control is refused a relay command; the owner is not', () => {
    const viewer = t.cloud.service.as(t.users.subView);
    expect(refusal(() => viewer.io.setRelay(A_MODEM, { output: 1, on: true }))).toEqual({ status: 403, message: `no 'control' right on modem ${A_MODEM} (a relay command needs it)` });
    expect(t.cloud.service.pushes(A_MODEM).filter((p) => p.kind === 'command')).toEqual([]);
    expect(t.cloud.service.as(t.users.ownerA).io.setRelay(A_MODEM, { output: 1, on: true }).body).toEqual({ op: 'relay-set', output: 1, on: true });
  });

  it('reads need view, changes need settings; another account 404; a bad number 400', () => {
    const viewer = t.cloud.service.as(t.users.subView);
    const none = t.cloud.service.as(t.users.subNone);
    const other = t.cloud.service.as(t.users.ownerB);
    expect(viewer.readings(A_MODEM)).toEqual([]);
    expect(viewer.siteSettings(A_MODEM).modemNo).toBe(A_MODEM);
    expect(refusal(() => viewer.setSiteSettings(A_MODEM, { sendPeriodMin: 5 }))).toEqual({ status: 403, message: `no 'settings' right on modem ${A_MODEM} (a change to the modem needs it)` });
    expect(refusal(() => viewer.setModbusDevices(A_MODEM, { devices: [] })).status).toBe(403);
    expect(refusal(() => viewer.io.setSettings(A_MODEM, { enabled: false })).status).toBe(403);
    expect(refusal(() => none.events(A_MODEM))).toEqual({ status: 403, message: `no 'view' right on modem ${A_MODEM} (reading the modem's data needs it)` });
    // Another account's modem and a modem that does not exist give the same answer.
    expect(refusal(() => other.modem(A_MODEM))).toEqual({ status: 404, message: `no modem ${A_MODEM} in your account` });
    expect(refusal(() => other.modem('29999999'))).toEqual({ status: 404, message: 'no modem 29999999 in your account' });
    expect(refusal(() => other.records('bad no')).status).toBe(400);
    expect(other.listModems().map((m) => m.modemNo)).toEqual([B_MODEM]);
    expect(none.listModems()).toEqual([]);
  });

  it('rights granted later take effect at once; control includes view', () => {
    t.cloud.accounts.setRights(t.users.ownerA, t.users.subNone, { modems: { [A_MODEM]: ['control'] } });
    const s = t.cloud.service.as(t.users.subNone);
    expect(s.rightsOn(A_MODEM)).toEqual(['view', 'control']);
    expect(s.io.setRelay(A_MODEM, { output: 2, on: false }).kind).toBe('command');
    t.cloud.accounts.setRights(t.users.ownerA, t.users.subNone, { modems: {} });
    expect(refusal(() => s.io.setRelay(A_MODEM, { output: 2, on: true })).status).toBe(403);
  });

  it('forSession and asSupport', async () => {
    const { token } = await t.cloud.accounts.login({ email: 'view@a.example', password: 'sub-view-pass' });
    expect(t.cloud.service.forSession(token).user?.email).toBe('view@a.example');
    expect(refusal(() => t.cloud.service.forSession('not-a-token')).status).toBe(401);
    const support = t.cloud.service.asSupport();
    expect(support.listModems().map((m) => m.modemNo)).toEqual([A_MODEM, B_MODEM]);
    expect(refusal(() => support.modem('29999999'))).toEqual({ status: 404, message: 'modem 29999999 is not provisioned' });
    expect(refusal(() => t.cloud.service.as(999))).toEqual({ status: 404, message: 'no user 999' });
  });
});
