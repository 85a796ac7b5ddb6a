/**
 * Quectel EC2x/EG9x PDP context and scan mode (TCP/IP Application Note §2.3; AT Commands
 * Manual, AT+QCFG):
 *
 * ```
 *   AT+QICSGP=1,1,"internet","","",1   OK      context 1: type 1 IPv4, APN, user, password, auth
 *   AT+QICSGP=1                        +QICSGP: 1,"internet","","",1
 *   AT+QIACT=1                         OK      activate
 *   AT+QIACT?                          +QIACT: 1,1,1,"10.7.157.1"   (per active context)
 *   AT+QIDEACT=1                       OK      deactivate
 *   AT+QCFG="nwscanmode",0,1           OK      0 auto, 1 GSM only, 2 WCDMA only, 3 LTE only; effect 1 = now
 *   AT+QCFG="nwscanmode"               +QCFG: "nwscanmode",0
 * ```
 */
import type { ExtendedCommand } from '../command-line.ts';
import { Fields, line, n, on, oq, q, trimEmpty, type CommandCodec, type ResponseCodec } from './codec.ts';

/** `AT+QICSGP` settings; `type` 1 IPv4, 2 IPv6, 3 IPv4v6; `auth` 0 none, 1 PAP, 2 CHAP, 3 PAP or CHAP. */
export interface ContextSettings {
  type?: number;
  apn?: string;
  user?: string;
  password?: string;
  auth?: number;
}

/** A context id with its settings (the set command). */
export interface ContextConfig extends ContextSettings {
  contextId: number;
}

function readSettings(f: Fields, k: number, out: ContextSettings): void {
  const type = f.optInt(k, 'context_type', 1, 3);
  if (type !== undefined) out.type = type;
  const apn = f.optStr(k + 1, 'APN');
  if (apn !== undefined) out.apn = apn;
  const user = f.optStr(k + 2, 'username');
  if (user !== undefined) out.user = user;
  const password = f.optStr(k + 3, 'password');
  if (password !== undefined) out.password = password;
  const auth = f.optInt(k + 4, 'authentication', 0, 3);
  if (auth !== undefined) out.auth = auth;
}

/** `AT+QICSGP=1,1,"internet","","",1` ⇄ `ContextConfig` (`AT+QICSGP=1` alone queries). */
export const QICSGP_SET: CommandCodec<ContextConfig> = {
  name: '+QICSGP',
  parse(cmd: ExtendedCommand) {
    const f = Fields.ofCommand(cmd, '+QICSGP').count(1, 6);
    const out: ContextConfig = { contextId: f.int(0, 'contextID', 1, 16) };
    readSettings(f, 1, out);
    return out;
  },
  format(v) {
    return { syntax: 'extended', name: '+QICSGP', form: 'set', args: trimEmpty([n(v.contextId), on(v.type), oq(v.apn), oq(v.user), oq(v.password), on(v.auth)]) };
  },
};

/** `+QICSGP: 1,"internet","","",1` ⇄ `ContextSettings`. */
export const QICSGP: ResponseCodec<ContextSettings> = {
  prefix: '+QICSGP',
  parse(text) {
    const f = Fields.ofLine(text, '+QICSGP').count(1, 5);
    const out: ContextSettings = {};
    readSettings(f, 0, out);
    return out;
  },
  format: (v) => line('+QICSGP', [on(v.type), q(v.apn ?? ''), q(v.user ?? ''), q(v.password ?? ''), on(v.auth)]),
};

/** A context id alone: `AT+QIACT=1`, `AT+QIDEACT=1`. */
function contextIdCommand(name: string): CommandCodec<number> {
  return {
    name,
    parse: (cmd) => Fields.ofCommand(cmd, name).count(1).int(0, 'contextID', 1, 16),
    format: (id) => ({ syntax: 'extended', name, form: 'set', args: [n(id)] }),
  };
}

/** `AT+QIACT=<contextID>` ⇄ the context id. */
export const QIACT_SET = contextIdCommand('+QIACT');
/** `AT+QIDEACT=<contextID>` ⇄ the context id. */
export const QIDEACT_SET = contextIdCommand('+QIDEACT');

/** One active context of `AT+QIACT?`; `state` 1 activated; `type` 1 IPv4, 2 IPv6, 3 IPv4v6. */
export interface ActiveContext {
  contextId: number;
  state: number;
  type: number;
  address?: string;
}

/** `+QIACT: 1,1,1,"10.7.157.1"` ⇄ `ActiveContext`. */
export const QIACT: ResponseCodec<ActiveContext> = {
  prefix: '+QIACT',
  parse(text) {
    const f = Fields.ofLine(text, '+QIACT').count(3, 4);
    const out: ActiveContext = { contextId: f.int(0, 'contextID', 1, 16), state: f.int(1, 'context_state', 0, 1), type: f.int(2, 'context_type', 1, 3) };
    const address = f.optStr(3, 'IP_address');
    if (address !== undefined) out.address = address;
    return out;
  },
  format: (v) => line('+QIACT', trimEmpty([n(v.contextId), n(v.state), n(v.type), oq(v.address)])),
};

/** `nwscanmode`: 0 automatic, 1 GSM only, 2 WCDMA only, 3 LTE only. */
export const NWSCANMODE = { AUTO: 0, GSM: 1, WCDMA: 2, LTE: 3 } as const;

/** `AT+QCFG="nwscanmode"[,<mode>[,<effect>]]`; both undefined is the query. */
export interface ScanModeSetting {
  mode?: number;
  effect?: number;
}

/** `AT+QCFG="nwscanmode",3,1` ⇄ `ScanModeSetting`. */
export const QCFG_NWSCANMODE_SET: CommandCodec<ScanModeSetting> = {
  name: '+QCFG',
  parse(cmd) {
    const f = Fields.ofCommand(cmd, '+QCFG').count(1, 3);
    f.oneOf(0, 'item', ['nwscanmode'] as const);
    const out: ScanModeSetting = {};
    const mode = f.optInt(1, 'scanmode', 0, 3);
    if (mode !== undefined) out.mode = mode;
    const effect = f.optInt(2, 'effect', 0, 1);
    if (effect !== undefined) out.effect = effect;
    return out;
  },
  format: (v) => ({ syntax: 'extended', name: '+QCFG', form: 'set', args: trimEmpty([q('nwscanmode'), on(v.mode), on(v.effect)]) }),
};

/** `+QCFG: "nwscanmode",0` ⇄ `0`. */
export const QCFG_NWSCANMODE: ResponseCodec<number> = {
  prefix: '+QCFG',
  parse(text) {
    const f = Fields.ofLine(text, '+QCFG').count(2);
    f.oneOf(0, 'item', ['nwscanmode'] as const);
    return f.int(1, 'scanmode', 0, 3);
  },
  format: (mode) => line('+QCFG', [q('nwscanmode'), n(mode)]),
};
