/**
 * URCs particular to SIMCom SIM800/SIM7600 (SIM800 Series AT Command Manual V1.09 §8, power-down
 * texts) and Quectel EC2x/EG9x (TCP/IP application notes §2.4, +QIND, +QUSIM, POWERED DOWN).
 */
import { QUECTEL, SIMCOM, argsAfterColon, ciprxgetResponse, exact, prefix, regex, testOnly, testOrFirstRead } from './urc-match.ts';
import type { UrcDefinition } from './urc.ts';

/** The vendor URCs, first match wins. */
export const VENDOR_URCS: readonly UrcDefinition[] = [
  { id: 'call-ready', pattern: 'Call Ready', dialects: SIMCOM, match: exact('Call Ready'), description: 'call functions ready after start-up' },
  { id: 'sms-ready', pattern: 'SMS Ready', dialects: SIMCOM, match: exact('SMS Ready'), description: 'SMS functions ready after start-up' },
  { id: 'pb-done', pattern: 'PB DONE', dialects: SIMCOM, match: exact('PB DONE'), description: 'phonebook loaded (SIMCom 4G)' },
  { id: 'sms-done', pattern: 'SMS DONE', dialects: SIMCOM, match: exact('SMS DONE'), description: 'SMS storage loaded (SIMCom 4G)' },
  {
    id: 'power-down',
    pattern: 'NORMAL POWER DOWN | UNDER-VOLTAGE POWER DOWN | OVER-VOLTAGE POWER DOWN',
    dialects: SIMCOM,
    match: regex(/^(NORMAL|UNDER-VOLTAGE|OVER-VOLTAGE) POWER DOWN$/),
    description: 'module is switching off',
  },
  {
    id: 'voltage-warning',
    pattern: 'UNDER-VOLTAGE WARNNING | OVER-VOLTAGE WARNNING',
    dialects: SIMCOM,
    match: regex(/^(UNDER|OVER)-VOLTAGE WARNN?ING$/),
    description: 'supply voltage near its limit (the manual spells WARNNING)',
  },
  { id: 'pdp-deact', pattern: '+PDP: DEACT', dialects: SIMCOM, match: exact('+PDP: DEACT'), description: 'GPRS context deactivated by the network' },
  { id: 'sapbr-deact', pattern: '+SAPBR <cid>: DEACT', dialects: SIMCOM, match: regex(/^\+SAPBR \d+: DEACT$/), description: 'bearer of the HTTP/FTP applications closed' },
  { id: 'closed', pattern: '[<n>, ]CLOSED', dialects: SIMCOM, match: regex(/^(\d+, ?)?CLOSED$/), description: 'TCP/UDP connection closed by the remote side' },
  { id: 'connect-ok', pattern: '[<n>, ]CONNECT OK', dialects: SIMCOM, match: regex(/^(\d+, ?)?CONNECT OK$/), description: 'connection opened (after the OK of AT+CIPSTART)' },
  { id: 'connect-fail', pattern: '[<n>, ]CONNECT FAIL', dialects: SIMCOM, match: regex(/^(\d+, ?)?CONNECT FAIL$/), description: 'connection attempt failed' },
  { id: 'already-connect', pattern: '[<n>, ]ALREADY CONNECT', dialects: SIMCOM, match: regex(/^(\d+, ?)?ALREADY CONNECT$/), description: 'AT+CIPSTART on a connection that is open' },
  { id: 'remote-ip', pattern: '[<n>, ]REMOTE IP: <ip>', dialects: SIMCOM, match: regex(/^(\d+, ?)?REMOTE IP: /), description: 'a client connected to the server socket' },
  {
    id: 'ciprxget',
    pattern: '+CIPRXGET: 1[,<n>]',
    dialects: SIMCOM,
    match: prefix('+CIPRXGET:'),
    command: '+CIPRXGET',
    rule: 'answer to AT+CIPRXGET=<mode 2..4>,… when its first field is that mode; answer to AT+CIPRXGET? when it is the first line and a single field; mode 1 (data arrived) is always a URC otherwise',
    isResponse: ciprxgetResponse,
    description: 'data arrived, to be read with AT+CIPRXGET=2 (manual receive mode)',
  },
  {
    id: 'receive',
    pattern: '+RECEIVE,<n>,<length>:<CR><LF><data>',
    dialects: SIMCOM,
    match: regex(/^\+RECEIVE,\d+,\d+:$/),
    data: (line) => ({ length: Number(/,(\d+):$/.exec(line)![1]), source: 'receive' }),
    description: 'data pushed on connection <n> (multi-IP, automatic receive)',
  },
  {
    id: 'ipd',
    pattern: '+IPD,<length>:<data>',
    dialects: SIMCOM,
    match: regex(/^\+IPD,\d+:$/),
    data: (line) => ({ length: Number(/(\d+):$/.exec(line)![1]), source: 'ipd', inline: true }),
    description: 'data pushed with its header (AT+CIPHEAD=1); the bytes follow the colon on the same line',
  },
  { id: 'recv-from', pattern: 'RECV FROM:<ip>:<port>', dialects: SIMCOM, match: prefix('RECV FROM:'), description: 'sender of the data that follows (AT+CIPSRIP=1)' },
  { id: 'psuttz', pattern: '*PSUTTZ: …', dialects: SIMCOM, match: prefix('*PSUTTZ:'), description: 'network time (AT+CLTS=1)' },
  { id: 'dst', pattern: 'DST: <n>', dialects: SIMCOM, match: prefix('DST:'), description: 'daylight saving (AT+CLTS=1)' },
  { id: 'ctze', pattern: '+CTZE: <tz>,<dst>,<time>', dialects: QUECTEL, match: prefix('+CTZE:'), description: 'time zone and time (AT+CTZR=2)' },
  {
    id: 'cpsi',
    pattern: '+CPSI: <system mode>,<operation mode>,…',
    dialects: SIMCOM,
    match: prefix('+CPSI:'),
    command: '+CPSI',
    rule: 'the first +CPSI line during AT+CPSI? answers it; periodic reports (AT+CPSI=<seconds>) are URCs',
    isResponse: testOrFirstRead,
    description: 'serving cell report (SIMCom 4G)',
  },
  {
    id: 'httpaction',
    pattern: '+HTTPACTION: <method>,<status>,<length>',
    dialects: SIMCOM,
    match: prefix('+HTTPACTION:'),
    command: '+HTTPACTION',
    rule: 'answer only to AT+HTTPACTION=?; the result of an action arrives after its OK',
    isResponse: testOnly,
    description: 'HTTP request finished',
  },
  {
    id: 'qiurc',
    pattern: '+QIURC: "closed",<id> | "recv",<id>[,<len><CR><LF><data>] | "pdpdeact",<ctx> | "incoming",…',
    dialects: QUECTEL,
    match: prefix('+QIURC:'),
    data: (line, options) => {
      if (options.recvUrcCarriesData === false) return undefined;
      const a = argsAfterColon(line);
      const kind = a?.[0];
      const len = a?.[2];
      if (kind?.kind !== 'string' || kind.value !== 'recv' || len?.kind !== 'number') return undefined;
      return { length: len.value, source: 'qiurc-recv' };
    },
    description: 'socket event: closed by peer, data arrived (with the data in direct push mode), context deactivated, incoming connection',
  },
  {
    id: 'qiopen',
    pattern: '+QIOPEN: <connectID>,<err>',
    dialects: QUECTEL,
    match: prefix('+QIOPEN:'),
    command: '+QIOPEN',
    rule: 'answer only to AT+QIOPEN=?; the open result always arrives as a URC after the OK',
    isResponse: testOnly,
    description: 'socket open finished (err 0 = success)',
  },
  { id: 'qind', pattern: '+QIND: <event>,…', dialects: QUECTEL, match: prefix('+QIND:'), description: 'indication (SMS DONE, PB DONE, "csq", "FOTA", …)' },
  { id: 'qusim', pattern: '+QUSIM: <n>', dialects: QUECTEL, match: prefix('+QUSIM:'), description: 'USIM/SIM type at start-up' },
  { id: 'powered-down', pattern: 'POWERED DOWN', dialects: QUECTEL, match: exact('POWERED DOWN'), description: 'module is switching off' },
  {
    id: 'qping',
    pattern: '+QPING: <result>[,…]',
    dialects: QUECTEL,
    match: prefix('+QPING:'),
    command: '+QPING',
    rule: 'answer only to AT+QPING=?; ping results arrive as URCs after the OK',
    isResponse: testOnly,
    description: 'ping result',
  },
  {
    id: 'qntp',
    pattern: '+QNTP: <err>,<time>',
    dialects: QUECTEL,
    match: prefix('+QNTP:'),
    command: '+QNTP',
    rule: 'answer only to AT+QNTP=? or AT+QNTP?; the synchronisation result is a URC',
    isResponse: (_l, ctx) => ctx.form === 'test' || ctx.form === 'read',
    description: 'NTP synchronisation result',
  },
];
