/**
 * URCs of 3GPP TS 27.007 / 27.005 and V.250 that both module families send: start-up
 * (RDY, +CFUN, +CPIN), registration, SMS, USSD, calls, packet-domain events.
 */
import { isConnectLine } from './result-codes.ts';
import { argsAfterColon, BOTH, cusdResponse, exact, firstFieldNumber, prefix, registration, testOrFirstRead } from './urc-match.ts';
import type { UrcDefinition } from './urc.ts';

const reg = (id: string, p: '+CREG' | '+CGREG' | '+CEREG', what: string): UrcDefinition => ({
  id,
  pattern: `${p}: <stat>[,<lac>,<ci>[,<AcT>]]`,
  dialects: BOTH,
  match: prefix(`${p}:`),
  command: p,
  rule: `answer to AT${p}? when the second field is an integer (<n>,<stat>); URC when there is one field or the second is quoted or empty (<stat>,<lac>); AT${p}=? answers with a range`,
  isResponse: registration(p),
  description: `${what} registration changed (AT${p}=1 or 2)`,
});

/** The standard URCs, first match wins. */
export const STANDARD_URCS: readonly UrcDefinition[] = [
  { id: 'rdy', pattern: 'RDY', dialects: BOTH, match: exact('RDY'), description: 'module started and its UART is ready' },
  {
    id: 'cfun',
    pattern: '+CFUN: <fun>',
    dialects: BOTH,
    match: prefix('+CFUN:'),
    command: '+CFUN',
    rule: 'the first +CFUN line during AT+CFUN? (or any during AT+CFUN=?) answers it; the rest are URCs',
    isResponse: testOrFirstRead,
    description: 'functionality level reached at start-up',
  },
  {
    id: 'cpin',
    pattern: '+CPIN: <code>',
    dialects: BOTH,
    match: prefix('+CPIN:'),
    command: '+CPIN',
    rule: 'the first +CPIN line during AT+CPIN? answers it; any other (+CPIN: READY after AT+CPIN=<pin>, NOT INSERTED, NOT READY) is a URC',
    isResponse: testOrFirstRead,
    description: 'SIM state changed',
  },
  reg('creg', '+CREG', 'circuit-switched'),
  reg('cgreg', '+CGREG', 'GPRS'),
  reg('cereg', '+CEREG', 'EPS (LTE)'),
  { id: 'cmti', pattern: '+CMTI: <mem>,<index>', dialects: BOTH, match: prefix('+CMTI:'), description: 'SMS received and stored' },
  { id: 'cmt', pattern: '+CMT: …<CR><LF><body>', dialects: BOTH, match: prefix('+CMT:'), body: () => true, description: 'SMS received and routed to the DTE; the next line is its text or PDU' },
  { id: 'cbm', pattern: '+CBM: …<CR><LF><body>', dialects: BOTH, match: prefix('+CBM:'), body: () => true, description: 'cell broadcast received; the next line is its content' },
  {
    id: 'cds',
    pattern: '+CDS: <length><CR><LF><pdu> | +CDS: <fo>,<mr>,…',
    dialects: BOTH,
    match: prefix('+CDS:'),
    body: (line) => {
      const a = argsAfterColon(line);
      return a?.length === 1 && a[0]!.kind === 'number';
    },
    description: 'SMS status report (PDU mode: a PDU line follows)',
  },
  { id: 'cdsi', pattern: '+CDSI: <mem>,<index>', dialects: BOTH, match: prefix('+CDSI:'), description: 'SMS status report stored' },
  {
    id: 'cusd',
    pattern: '+CUSD: <m>[,<str>,<dcs>]',
    dialects: BOTH,
    match: prefix('+CUSD:'),
    command: '+CUSD',
    rule: 'answer to AT+CUSD? only when it is a single integer; the USSD reply (<m>,<str>,<dcs>) is always a URC, even before the OK of AT+CUSD=1,…',
    isResponse: cusdResponse,
    description: 'USSD reply from the network',
  },
  { id: 'ring', pattern: 'RING', dialects: BOTH, match: exact('RING'), description: 'incoming call' },
  { id: 'cring', pattern: '+CRING: <type>', dialects: BOTH, match: prefix('+CRING:'), description: 'incoming call with its type' },
  {
    id: 'clip',
    pattern: '+CLIP: <number>,<type>,…',
    dialects: BOTH,
    match: prefix('+CLIP:'),
    command: '+CLIP',
    rule: 'answer to AT+CLIP? when the first field is an integer (<n>,<m>); URC when it is the quoted number',
    isResponse: firstFieldNumber,
    description: 'calling line identity',
  },
  {
    id: 'ccwa',
    pattern: '+CCWA: <number>,<type>,<class>',
    dialects: BOTH,
    match: prefix('+CCWA:'),
    command: '+CCWA',
    rule: 'answer to AT+CCWA? when the first field is an integer',
    isResponse: firstFieldNumber,
    description: 'call waiting',
  },
  { id: 'cgev', pattern: '+CGEV: <event>', dialects: BOTH, match: prefix('+CGEV:'), description: 'packet domain event (PDP deactivated, detached)' },
  { id: 'no-carrier', pattern: 'NO CARRIER', dialects: BOTH, match: exact('NO CARRIER'), description: 'call or data link ended (a final result only while ATD/ATA/ATO is in progress)' },
  { id: 'busy', pattern: 'BUSY', dialects: BOTH, match: exact('BUSY'), description: 'busy (a final result only while ATD is in progress)' },
  { id: 'no-answer', pattern: 'NO ANSWER', dialects: BOTH, match: exact('NO ANSWER'), description: 'no answer (a final result only while ATD is in progress)' },
  { id: 'no-dialtone', pattern: 'NO DIALTONE', dialects: BOTH, match: exact('NO DIALTONE'), description: 'no dial tone (a final result only while ATD is in progress)' },
  { id: 'connect', pattern: 'CONNECT[ <text>]', dialects: BOTH, match: isConnectLine, description: 'data link up after the command that asked for it ended (SIMCom transparent AT+CIPSTART); data mode follows' },
  { id: 'ctzv', pattern: '+CTZV: <tz>', dialects: BOTH, match: prefix('+CTZV:'), description: 'time zone changed' },
  { id: 'ciev', pattern: '+CIEV: …', dialects: BOTH, match: prefix('+CIEV:'), description: 'indicator event' },
];
