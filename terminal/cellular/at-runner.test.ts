import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { AtCommandError, AtRunner, AtTimeoutError } from './at-runner.ts';
import { info, ok, result, scriptedDce, urc } from './scripted-dce.ts';
import { firstCommandName, timeoutFor } from './timeouts.ts';

describe('AtRunner', () => {
  it('with echo on: answers, a URC in the middle of an answer goes to the listeners, not the reply', async () => {
    const dce = scriptedDce((l) => (l === 'AT+CSQ' ? info('+CSQ: 17,0') + urc('+CREG: 1') + ok : l === 'AT' ? ok : undefined), { echo: true });
    const at = new AtRunner({ endpoint: dce.wire.a, clock: dce.clock });
    const urcs: string[] = [];
    at.onUrc((t) => urcs.push(t));
    await dce.clock.run(async () => {
      expect((await at.command('AT')).final.kind).toBe('ok');
      const r = await at.command('AT+CSQ');
      expect(r.lines).toEqual(['+CSQ: 17,0']);
      expect(urcs).toEqual(['+CREG: 1']);
    });
    expect(at.exchanges.map((e) => `${e.dir} ${e.kind} ${e.text}`)).toContain('rx echo AT+CSQ');
  });

  it('one command at a time, in call order', async () => {
    const dce = scriptedDce((l) => (l === 'AT+SLOW' ? undefined : ok));
    const at = new AtRunner({ endpoint: dce.wire.a, clock: dce.clock });
    await dce.clock.run(async () => {
      const a = at.command('AT+A');
      const b = at.command('AT+B');
      const c = at.command('AT+C');
      await Promise.all([a, b, c]);
      expect(dce.lines).toEqual(['AT+A', 'AT+B', 'AT+C']);
    });
  });

  it('the prompt is answered with the data; SEND OK ends the command', async () => {
    let got = '';
    const dce = scriptedDce((l) => (l === 'AT+CIPSEND=5' ? { prompt: 5, then: (d) => ((got = d), result({ kind: 'send-ok' })) } : undefined));
    const at = new AtRunner({ endpoint: dce.wire.a, clock: dce.clock });
    await dce.clock.run(async () => {
      const r = await at.command('AT+CIPSEND=5', { data: ascii('hello') });
      expect(r.finalText).toBe('SEND OK');
    });
    expect(got).toBe('hello');
  });

  it('ERROR and +CME ERROR reject with the code; allowError resolves', async () => {
    const dce = scriptedDce((l) => (l === 'AT+CPIN?' ? '\r\n+CME ERROR: SIM PIN required\r\n' : l === 'AT+X' ? result({ kind: 'error' }) : '\r\n+CME ERROR: 10\r\n'));
    const at = new AtRunner({ endpoint: dce.wire.a, clock: dce.clock });
    await dce.clock.run(async () => {
      const e = await at.command('AT+CPIN?').catch((x: unknown) => x);
      expect(e).toBeInstanceOf(AtCommandError);
      expect((e as AtCommandError).cmeCode).toBe(11);
      await expect(at.command('AT+X')).rejects.toThrow('AT+X: ERROR');
      expect((await at.command('AT+Y', { allowError: true })).final).toMatchObject({ kind: 'cme-error', code: 10 });
    });
  });

  it('a silent module: time-out after the class time, silentCount grows, the next answered command resets it', async () => {
    let n = 0;
    const dce = scriptedDce(() => (n++ === 0 ? undefined : ok));
    const at = new AtRunner({ endpoint: dce.wire.a, clock: dce.clock });
    await dce.clock.run(async () => {
      const t0 = dce.clock.now();
      await expect(at.command('AT+CSQ')).rejects.toBeInstanceOf(AtTimeoutError);
      expect(dce.clock.now() - t0).toBeGreaterThanOrEqual(1000);
      expect(at.silentCount).toBe(1);
      expect((await at.command('AT')).final.kind).toBe('ok');
      expect(at.silentCount).toBe(0);
    });
  });

  it('data after +CIPRXGET: 2 is part of the answer; waitUrc sees a later URC', async () => {
    const dce = scriptedDce((l) => (l === 'AT+CIPRXGET=2,1460' ? '\r\n+CIPRXGET: 2,3,0\r\nabc\r\nOK\r\n' + urc('CLOSED') : undefined));
    const at = new AtRunner({ endpoint: dce.wire.a, clock: dce.clock });
    await dce.clock.run(async () => {
      const closed = at.waitUrc((t) => t === 'CLOSED', 5000);
      const r = await at.command('AT+CIPRXGET=2,1460');
      expect(fromAscii(r.data[0]!)).toBe('abc');
      expect(await closed).toBe('CLOSED');
      expect(await at.waitUrc(() => true, 100)).toBeUndefined();
    });
  });

  it('time-outs by command class', () => {
    expect(firstCommandName('AT+CIPSTART="TCP","h",1')).toBe('+CIPSTART');
    expect(timeoutFor('AT+CIPSTART="TCP","h",1')).toBe(160_000);
    expect(timeoutFor('AT+QIOPEN=1,0,"TCP","h",1,0,0')).toBe(150_000);
    expect(timeoutFor('AT+CSQ')).toBe(1000);
    expect(timeoutFor('ATE0')).toBe(1000);
  });
});
