import { describe, expect, it } from 'vitest';
import { LineClassifier, type Classification } from './classify.ts';

/** Classifies lines in order after beginning `command` (or none); returns kind (and URC id) per line. */
function sort(command: string | undefined, lines: string[], options = {}): string[] {
  const c = new LineClassifier(options);
  if (command !== undefined) c.begin(command);
  return lines.map((l) => label(c.classify(l)));
}

function label(c: Classification): string {
  switch (c.kind) {
    case 'urc':
      return c.urc ? `urc:${c.urc.id}` : 'urc:?';
    case 'final':
      return `final:${c.result.kind}`;
    case 'response':
      return c.afterFinal ? 'response:after' : 'response';
    default:
      return c.kind;
  }
}

describe('line classification', () => {
  it('finds the echo, the answer and the final result', () => {
    expect(sort('AT+CSQ', ['AT+CSQ', '+CSQ: 17,0', 'OK'])).toEqual(['echo', 'response', 'final:ok']);
    expect(sort('AT+CSQ', ['+CSQ: 17,0', 'OK'])).toEqual(['response', 'final:ok']);
  });

  it('+CREG: the <n>,<stat> shape answers AT+CREG?, the <stat>,<lac>,<ci> shape is a URC', () => {
    expect(sort('AT+CREG?', ['+CREG: 1,"00A1","1234"', '+CREG: 2,1,"00A1","1234"', 'OK'])).toEqual(['urc:creg', 'response', 'final:ok']);
    expect(sort('AT+CREG?', ['+CREG: 1', '+CREG: 0,1', 'OK'])).toEqual(['urc:creg', 'response', 'final:ok']);
    expect(sort('AT+CEREG?', ['+CEREG: 5,"1A2B","01A2B3C4",7', '+CEREG: 2,5,"1A2B","01A2B3C4",7', 'OK'])).toEqual(['urc:cereg', 'response', 'final:ok']);
    expect(sort('AT+CREG=?', ['+CREG: (0-2)', 'OK'])).toEqual(['response', 'final:ok']);
    expect(sort('AT+CREG=2', ['+CREG: 1,"00A1","1234"', 'OK'])).toEqual(['urc:creg', 'final:ok']);
    expect(sort('AT+CSQ', ['+CREG: 0,1'])).toEqual(['urc:creg']);
  });

  it('answers several registration reads on one line', () => {
    expect(sort('AT+CREG?;+CGREG?', ['+CREG: 0,1', '+CGREG: 1', '+CGREG: 0,1', 'OK'])).toEqual(['response', 'urc:cgreg', 'response', 'final:ok']);
  });

  it('+CPIN: the first line during AT+CPIN? answers it, later ones and those after a PIN are URCs', () => {
    expect(sort('AT+CPIN?', ['+CPIN: READY', '+CPIN: READY', 'OK'])).toEqual(['response', 'urc:cpin', 'final:ok']);
    expect(sort('AT+CPIN="1234"', ['OK', '+CPIN: READY'])).toEqual(['final:ok', 'urc:cpin']);
    expect(sort('AT+CPIN="1234"', ['+CPIN: READY', 'OK'])).toEqual(['urc:cpin', 'final:ok']);
  });

  it('+CUSD: only a single integer answers AT+CUSD?; the reply is a URC even before OK', () => {
    expect(sort('AT+CUSD?', ['+CUSD: 1', 'OK'])).toEqual(['response', 'final:ok']);
    expect(sort('AT+CUSD=1,"*100#",15', ['+CUSD: 0,"Balance 5 TL",15', 'OK'])).toEqual(['urc:cusd', 'final:ok']);
  });

  it('+CIPRXGET: mode 1 is the data-arrived URC, the mode asked for is the answer', () => {
    expect(sort('AT+CIPRXGET=2,1460', ['+CIPRXGET: 1', '+CIPRXGET: 2,5,0', 'OK'])).toEqual(['urc:ciprxget', 'response', 'final:ok']);
    expect(sort('AT+CIPRXGET=4', ['+CIPRXGET: 4,12', 'OK'])).toEqual(['response', 'final:ok']);
    expect(sort('AT+CIPRXGET?', ['+CIPRXGET: 1', '+CIPRXGET: 1', 'OK'])).toEqual(['response', 'urc:ciprxget', 'final:ok']);
    expect(sort(undefined, ['+CIPRXGET: 1,0'])).toEqual(['urc:ciprxget']);
  });

  it('+QIOPEN: answers only the test form; the open result is a URC', () => {
    expect(sort('AT+QIOPEN=1,0,"TCP","1.2.3.4",80,0,1', ['OK', '+QIOPEN: 0,0'])).toEqual(['final:ok', 'urc:qiopen']);
    expect(sort('AT+QIOPEN=?', ['+QIOPEN: (1-16),(0-11),"TCP/UDP",…', 'OK'])).toEqual(['response', 'final:ok']);
  });

  it('+CLIP: an integer first field answers AT+CLIP?, a quoted number is the URC', () => {
    expect(sort('AT+CLIP?', ['+CLIP: "+905551234567",145,"",,"",0', '+CLIP: 1,1', 'OK'])).toEqual(['urc:clip', 'response', 'final:ok']);
  });

  it('splits URCs that arrive between the lines of an answer', () => {
    expect(sort('AT+CGDCONT?', ['+CGDCONT: 1,"IP","a","0.0.0.0",0,0', 'RING', '+CMTI: "SM",3', '+CGDCONT: 2,"IP","b","0.0.0.0",0,0', '+QIURC: "closed",0', 'OK'])).toEqual([
      'response',
      'urc:ring',
      'urc:cmti',
      'response',
      'urc:qiurc',
      'final:ok',
    ]);
  });

  it('takes plain lines as the answer, and unknown +NAME: lines as URCs of extended commands', () => {
    expect(sort('AT+CGSN', ['861234567890123', 'OK'])).toEqual(['response', 'final:ok']);
    expect(sort('AT+CSQ', ['+XYZ: 1', '+CSQ: 9,0', 'OK'])).toEqual(['urc:?', 'response', 'final:ok']);
    expect(sort('ATI', ['SIMCOM_SIM7600E-H', '+GCAP: +CGSM', 'OK'])).toEqual(['response', 'response', 'final:ok']);
  });

  it('NO CARRIER, BUSY, NO ANSWER end ATD/ATA only; elsewhere they are URCs', () => {
    expect(sort('ATD+905551234567;', ['BUSY'])).toEqual(['final:busy']);
    expect(sort('ATA', ['NO CARRIER'])).toEqual(['final:no-carrier']);
    expect(sort('AT+CSQ', ['NO CARRIER', '+CSQ: 5,0', 'OK'])).toEqual(['urc:no-carrier', 'response', 'final:ok']);
    expect(sort(undefined, ['NO CARRIER'])).toEqual(['urc:no-carrier']);
  });

  it('SIMCom enders: SEND OK, SHUT OK, CLOSE OK, DATA ACCEPT and the bare address of AT+CIFSR', () => {
    expect(sort('AT+CIPSEND', ['SEND OK'])).toEqual(['final:send-ok']);
    expect(sort('AT+CIPSEND=0,5', ['DATA ACCEPT:0,5'])).toEqual(['final:data-accept']);
    expect(sort('AT+CIPSHUT', ['SHUT OK'])).toEqual(['final:shut-ok']);
    expect(sort('AT+CIPCLOSE', ['CLOSE OK'])).toEqual(['final:close-ok']);
    expect(sort('AT+CIFSR', ['10.78.245.128'])).toEqual(['final:value']);
    expect(sort('AT+CSQ', ['SEND OK'])).toEqual(['response']);
  });

  it('AT+CIPSTART: OK then the socket URCs; STATE: before CONNECT FAIL still answers it', () => {
    expect(sort('AT+CIPSTART="TCP","1.2.3.4","80"', ['OK', 'CONNECT OK'])).toEqual(['final:ok', 'urc:connect-ok']);
    expect(sort('AT+CIPSTART="TCP","1.2.3.4","80"', ['OK', 'STATE: TCP CLOSED', 'CONNECT FAIL'])).toEqual(['final:ok', 'response:after', 'urc:connect-fail']);
    expect(sort('AT+CIPSTART=0,"TCP","1.2.3.4",80', ['OK', '0, CONNECT OK', '0, CLOSED'])).toEqual(['final:ok', 'urc:connect-ok', 'urc:closed']);
  });

  it('AT+CIPSTATUS: the STATE and C: lines after OK belong to it', () => {
    expect(sort('AT+CIPSTATUS', ['OK', 'STATE: IP PROCESSING', 'C: 0,0,"TCP","1.2.3.4","80","CONNECTED"', 'C: 1,,"","","","INITIAL"', 'RING'])).toEqual([
      'final:ok',
      'response:after',
      'response:after',
      'response:after',
      'urc:ring',
    ]);
  });

  it('reads SMS text after +CMGR/+CMGL headers even when it looks like a URC', () => {
    expect(sort('AT+CMGR=1', ['+CMGR: "REC READ","+905551234567","","24/01/01,10:00:00+12"', 'RING', 'OK'])).toEqual(['response', 'response', 'final:ok']);
    expect(sort('AT+CMGL="ALL"', ['+CMGL: 1,"REC READ","+90555",,"24/01/01"', 'hello', '+CMGL: 2,"REC READ","+90555",,"24/01/01"', 'OK'])).toEqual(['response', 'response', 'response', 'final:ok']);
  });

  it('reads numeric results only in ATV0 mode', () => {
    expect(sort('AT+CFUN?', ['+CFUN: 1', '0'], { numeric: true })).toEqual(['response', 'final:ok']);
    expect(sort('AT+CFUN?', ['+CFUN: 1', '0', 'OK'])).toEqual(['response', 'response', 'final:ok']);
  });

  it('without a command, every line is a URC; known ones by their id', () => {
    expect(sort(undefined, ['RDY', '+CFUN: 1', '+CPIN: READY', 'Call Ready', 'SMS Ready', 'UNDER-VOLTAGE POWER DOWN', '+PDP: DEACT', 'CLOSED', 'OK', 'whatever'])).toEqual([
      'urc:rdy',
      'urc:cfun',
      'urc:cpin',
      'urc:call-ready',
      'urc:sms-ready',
      'urc:power-down',
      'urc:pdp-deact',
      'urc:closed',
      'urc:?',
      'urc:?',
    ]);
  });

  it('limits URCs to the dialect asked for', () => {
    expect(sort(undefined, ['Call Ready', '+QIURC: "closed",0'], { dialect: 'quectel' })).toEqual(['urc:?', 'urc:qiurc']);
    expect(sort(undefined, ['Call Ready', '+QIURC: "closed",0'], { dialect: 'simcom' })).toEqual(['urc:call-ready', 'urc:?']);
  });

  it('A/ repeats the previous command for classification', () => {
    const c = new LineClassifier();
    c.begin('AT+CREG?');
    c.classify('OK');
    c.begin('A/');
    expect(label(c.classify('A/'))).toBe('echo');
    expect(label(c.classify('+CREG: 0,1'))).toBe('response');
  });
});
