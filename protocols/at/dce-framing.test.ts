import { describe, expect, it } from 'vitest';
import { ascii, fromAscii } from '../../core/bytes.ts';
import { frameDataBlock, frameEcho, frameInformation, framePrompt, frameResponse, frameResult, frameUrc } from './dce-framing.ts';

const text = (b: Uint8Array): string => fromAscii(b);

describe('DCE framing', () => {
  it('frames verbose information, results and URCs with CR LF on both sides', () => {
    expect(text(frameInformation(['+CSQ: 17,0']))).toBe('\r\n+CSQ: 17,0\r\n');
    expect(text(frameInformation(['+CGDCONT: 1,"IP","a"', '+CGDCONT: 2,"IP","b"']))).toBe('\r\n+CGDCONT: 1,"IP","a"\r\n+CGDCONT: 2,"IP","b"\r\n');
    expect(text(frameResult({ kind: 'ok' }))).toBe('\r\nOK\r\n');
    expect(text(frameUrc('RING'))).toBe('\r\nRING\r\n');
    expect(text(frameResponse(['+CSQ: 17,0'], { kind: 'ok' }))).toBe('\r\n+CSQ: 17,0\r\n\r\nOK\r\n');
  });

  it('frames ATV0: text with CR LF after, result codes as digits and CR', () => {
    expect(text(frameInformation(['+CSQ: 17,0'], { verbose: false }))).toBe('+CSQ: 17,0\r\n');
    expect(text(frameResult({ kind: 'ok' }, { verbose: false }))).toBe('0\r');
    expect(text(frameResult({ kind: 'error' }, { verbose: false }))).toBe('4\r');
    expect(text(frameResult({ kind: 'cme-error', code: 10 }, { verbose: false, cmee: 1 }))).toBe('+CME ERROR: 10\r');
    expect(text(frameResponse(['+CFUN: 1'], { kind: 'ok' }, { verbose: false }))).toBe('+CFUN: 1\r\n0\r');
  });

  it('uses S3 and S4, and ATQ1 suppresses result codes', () => {
    expect(text(frameResult({ kind: 'ok' }, { s3: 0x0a, s4: 0x0d }))).toBe('\n\rOK\n\r');
    expect(frameResult({ kind: 'ok' }, { quiet: true }).length).toBe(0);
  });

  it('frames the prompt, echo and data blocks', () => {
    expect(text(framePrompt())).toBe('\r\n> ');
    expect(text(frameEcho('AT+CSQ'))).toBe('AT+CSQ\r');
    expect(text(frameDataBlock('+QIRD: 5', ascii('test1')))).toBe('\r\n+QIRD: 5\r\ntest1\r\n');
    expect(text(frameDataBlock('+QIURC: "recv",0,3', ascii('abc'), { trailer: false }))).toBe('\r\n+QIURC: "recv",0,3\r\nabc');
    expect(text(frameDataBlock('+IPD,3:', ascii('abc'), { inline: true }))).toBe('\r\n+IPD,3:abc');
  });
});
