import { describe, expect, it } from 'vitest';
import { encodeResponse, readHoldingRegisters, readInputRegisters } from '../../protocols/modbus-rtu/index.ts';
import { ModbusMaster } from './master.ts';
import { badCrc, bankScript, slaveOn, testBus, withCrc } from './test-slave.ts';

const T35 = 3.5 * (10 / 9600) * 1000; // 9600 8N1: 3.646 ms

function setup(options: { echo?: boolean; timeout?: number; retries?: number } = {}) {
  const t = testBus(options.echo ? { echo: true } : {});
  const master = new ModbusMaster({ endpoint: t.port, clock: t.clock, ...(options.timeout ? { responseTimeoutMs: options.timeout } : {}), ...(options.retries !== undefined ? { retries: options.retries } : {}) });
  return { ...t, master };
}

const bank = { holding: { 0: 0x1234, 1: 0x5678, 2: 7 }, input: { 10: 1, 11: 2 } };

describe('ModbusMaster', () => {
  it('reads registers and takes the answer at its last byte, without waiting out t3.5', async () => {
    const { clock, bus, master, tx } = setup();
    slaveOn(clock, bus, 17, bankScript(bank, { delayMs: 12 }));
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 3)));
    expect(ex.outcome.kind).toBe('ok');
    expect(ex.outcome.kind === 'ok' && ex.outcome.response).toEqual({ fn: 3, values: [0x1234, 0x5678, 7] });
    const a = ex.attempts[0]!;
    const answer = tx.find((t) => t.from === 'rs485/slave-17')!;
    expect(a.answerEnd).toBeCloseTo(answer.end, 6);
    expect(a.end).toBeCloseTo(answer.end, 6);
    expect(a.answerStart! - a.requestEnd).toBeCloseTo(12 + T35, 2); // the slave's own t3.5, then its delay
    expect(ex.attempts).toHaveLength(1);
  });

  it('leaves at least t3.5 of silence before the next request', async () => {
    const { clock, bus, master, tx } = setup();
    slaveOn(clock, bus, 17, bankScript(bank, { delayMs: 1 }));
    await clock.run(async () => {
      await master.execute(17, readHoldingRegisters(0, 1));
      await master.execute(17, readHoldingRegisters(1, 1));
    });
    const [, answer, second] = tx;
    expect(second!.from).toBe('rs485/terminal');
    expect(second!.start - answer!.end).toBeGreaterThanOrEqual(T35 - 1e-3);
    expect(second!.start - answer!.end).toBeLessThan(T35 + 0.01);
  });

  it('no answer: three tries a response time-out apart, then no-answer', async () => {
    const { clock, bus, master, tx } = setup({ timeout: 500 });
    const s = slaveOn(clock, bus, 17, () => undefined);
    const t0 = clock.now();
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 2)));
    expect(ex.outcome).toEqual({ kind: 'no-answer', text: 'no answer within 500 ms' });
    expect(ex.attempts).toHaveLength(3);
    expect(s.received).toHaveLength(3);
    expect(tx.filter((t) => t.from === 'rs485/terminal')).toHaveLength(3);
    const frameMs = 8 * (10 / 9600) * 1000;
    expect(ex.end - t0).toBeCloseTo(3 * (frameMs + 500), 2); // the line was quiet since each request
  });

  it('retries are configurable, and an answer on a later try counts', async () => {
    const { clock, bus, master } = setup({ retries: 4, timeout: 200 });
    slaveOn(clock, bus, 9, (req, n) => (n < 4 ? undefined : bankScript(bank)(req, n)));
    const ex = await clock.run(master.execute(9, readInputRegisters(10, 2)));
    expect(ex.outcome.kind).toBe('ok');
    expect(ex.attempts.map((a) => a.outcome.kind)).toEqual(['no-answer', 'no-answer', 'no-answer', 'ok']);
  });

  it('an exception is an answer: no retry', async () => {
    const { clock, bus, master } = setup();
    slaveOn(clock, bus, 17, bankScript(bank));
    const ex = await clock.run(master.execute(17, readHoldingRegisters(40, 2)));
    expect(ex.outcome.kind).toBe('exception');
    expect(ex.outcome.kind === 'exception' && [ex.outcome.code, ex.outcome.text]).toEqual([2, 'exception 2 (illegal data address) for function 3']);
    expect(ex.attempts).toHaveLength(1);
  });

  it('a wrong CRC on a whole answer is a crc-error, with the bytes; a good retry wins', async () => {
    const { clock, bus, master } = setup();
    const good = encodeResponse(17, { fn: 3, values: [1, 2] });
    slaveOn(clock, bus, 17, (_r, n) => ({ bytes: n === 2 ? good : badCrc(good) }));
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 2)));
    expect(ex.attempts[0]!.outcome.kind).toBe('crc-error');
    const first = ex.attempts[0]!.outcome;
    expect(first.kind === 'crc-error' && first.bytes).toEqual(badCrc(good));
    expect(first.kind === 'crc-error' && first.text).toMatch(/CRC/);
    expect(ex.outcome.kind).toBe('ok');
  });

  it('an answer split by a silence over t3.5 is partial, with both fragments', async () => {
    const { clock, bus, master } = setup({ retries: 0 });
    slaveOn(clock, bus, 17, () => ({ response: { fn: 3, values: [1, 2, 3] }, split: { at: 5, gapMs: 2 * T35 } }));
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 3)));
    expect(ex.outcome.kind).toBe('partial');
    if (ex.outcome.kind !== 'partial') return;
    expect(ex.outcome.fragments.map((f) => f.length)).toEqual([5, 6]);
    expect(ex.outcome.text).toMatch(/^answer broken by a silence into 2 frames \(5 \+ 6 bytes\)/);
  });

  it('a silence over t1.5 (under t3.5) inside an answer breaks it too', async () => {
    const { clock, bus, master } = setup({ retries: 0 });
    slaveOn(clock, bus, 17, () => ({ response: { fn: 3, values: [1, 2, 3] }, split: { at: 5, gapMs: 2.5 } }));
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 3)));
    expect(ex.outcome.kind).toBe('partial');
    expect(ex.outcome.kind === 'partial' && ex.outcome.text).toMatch(/two parts \(t1\.5\)/);
  });

  it('an answer that stops short is partial', async () => {
    const { clock, bus, master } = setup({ retries: 0 });
    const good = encodeResponse(17, { fn: 3, values: [1, 2, 3] });
    slaveOn(clock, bus, 17, () => ({ bytes: good.slice(0, 7) }));
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 3)));
    expect(ex.outcome.kind === 'partial' && ex.outcome.text).toMatch(/^answer stopped after 7 of 11 bytes/);
  });

  it('two slaves answering at once: collision, with the garbled bytes as evidence', async () => {
    const { clock, bus, master } = setup({ retries: 1 });
    slaveOn(clock, bus, 17, bankScript(bank, { delayMs: 10 }), 'a');
    slaveOn(clock, bus, 17, () => ({ response: { fn: 3, values: [0xffff, 0] }, delayMs: 10.3 }), 'b');
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 2)));
    expect(ex.outcome.kind).toBe('collision');
    expect(ex.attempts).toHaveLength(2);
    expect(ex.outcome.kind === 'collision' && ex.outcome.bytes.length).toBeGreaterThan(0);
  });

  it('an answer from another address, or of another length, is a mismatch', async () => {
    const { clock, bus, master } = setup({ retries: 0, timeout: 300 });
    slaveOn(clock, bus, 17, () => ({ response: { fn: 3, values: [1, 2] }, from: 18 }));
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 2)));
    expect(ex.outcome.kind === 'mismatch' && ex.outcome.text).toMatch(/^no answer from slave 17; heard 1 frame for others/);
    expect(ex.end - ex.start).toBeGreaterThan(300);
    slaveOn(clock, bus, 5, () => ({ response: { fn: 3, values: [1] } }));
    const wrong = await clock.run(master.execute(5, readHoldingRegisters(0, 2)));
    expect(wrong.outcome.kind).toBe('mismatch');
    expect(wrong.outcome.kind === 'mismatch' && wrong.outcome.text).toMatch(/1 registers, 2 were asked/);
  });

  it('bytes on their way at the time-out count as in time', async () => {
    const { clock, bus, master } = setup({ timeout: 100, retries: 0 });
    slaveOn(clock, bus, 17, () => ({ response: { fn: 3, values: Array.from({ length: 100 }, (_, i) => i) }, delayMs: 94 }));
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 100)));
    expect(ex.outcome.kind).toBe('ok');
    expect(ex.attempts[0]!.answerEnd! - ex.attempts[0]!.requestEnd).toBeGreaterThan(200);
  });

  it('a late answer to the first try is taken by the second (same request)', async () => {
    const { clock, bus, master } = setup({ timeout: 100 });
    const s = slaveOn(clock, bus, 17, (req, n) => (n === 1 ? { ...bankScript(bank)(req, n), delayMs: 150 } : bankScript(bank)(req, n)));
    const ex = await clock.run(master.execute(17, readHoldingRegisters(0, 2)));
    expect(ex.attempts.map((a) => a.outcome.kind)).toEqual(['no-answer', 'ok']);
    expect(s.received).toHaveLength(1); // the second request came while the slave was answering
  });

  it('reports a second answer that arrives after the first among the next exchange\'s strays', async () => {
    const { clock, bus, master } = setup();
    slaveOn(clock, bus, 17, bankScript(bank, { delayMs: 5 }), 'a');
    slaveOn(clock, bus, 17, bankScript(bank, { delayMs: 30 }), 'b');
    slaveOn(clock, bus, 20, bankScript(bank, { delayMs: 40 }), 'c');
    await clock.run(async () => {
      const first = await master.execute(17, readHoldingRegisters(0, 1));
      expect(first.outcome.kind).toBe('ok');
      const next = await master.execute(20, readHoldingRegisters(0, 1));
      expect(next.outcome.kind).toBe('ok');
      expect(next.strays.map((s) => s.from)).toEqual([{ slave: 17, fn: 3 }]);
    });
  });

  it('ignores its adapter echo', async () => {
    const { clock, bus, master } = setup({ echo: true });
    slaveOn(clock, bus, 3, bankScript(bank));
    const ex = await clock.run(master.execute(3, readInputRegisters(10, 2)));
    expect(ex.outcome.kind === 'ok' && ex.outcome.response).toEqual({ fn: 4, values: [1, 2] });
  });

  it('refuses what it cannot send, and one exchange at a time', async () => {
    const { clock, master } = setup();
    await expect(master.execute(0, readHoldingRegisters(0, 1))).rejects.toThrow(/outside 1..247/);
    await expect(master.execute(1, readHoldingRegisters(0, 126))).rejects.toThrow(/quantity 126/);
    const a = master.execute(1, readHoldingRegisters(0, 1));
    await expect(master.execute(1, readHoldingRegisters(0, 1))).rejects.toThrow(/one exchange at a time/);
    await clock.run(a);
  });

  it('never throws on random answers and always ends (seeded fuzz)', async () => {
    let seed = 0x5eed;
    const rnd = (): number => {
      seed = (seed + 0x6d2b79f5) >>> 0;
      let t = seed;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
    const { clock, bus, master } = setup({ timeout: 50, retries: 0 });
    const good = encodeResponse(17, { fn: 3, values: [1, 2] });
    slaveOn(clock, bus, 17, () => {
      const r = rnd();
      if (r < 0.25) return { bytes: Uint8Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => Math.floor(rnd() * 256)) };
      if (r < 0.5) {
        const m = Uint8Array.from(good);
        const i = Math.floor(rnd() * m.length);
        m[i] = m[i]! ^ (1 << Math.floor(rnd() * 8));
        return { bytes: m };
      }
      if (r < 0.7) return { bytes: withCrc([17, 3, Math.floor(rnd() * 256), 0, 1]) };
      if (r < 0.85) return { bytes: good, split: { at: 1 + Math.floor(rnd() * 8), gapMs: rnd() * 10 } };
      return r < 0.95 ? { bytes: good, delayMs: rnd() * 80 } : undefined;
    });
    const kinds = new Set<string>();
    await clock.run(async () => {
      for (let i = 0; i < 1500; i++) {
        const ex = await master.execute(17, readHoldingRegisters(0, 2));
        kinds.add(ex.outcome.kind);
      }
    });
    expect([...kinds].sort()).toEqual(['crc-error', 'mismatch', 'no-answer', 'ok', 'partial']);
  });
});
