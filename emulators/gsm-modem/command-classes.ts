/**
 * Which latency class a command falls in: the time from the end of its command line (or of the
 * previous command on the line) to its answer. The profile gives each class a value.
 *
 * | class | commands |
 * |---|---|
 * | basic | V.250 basic commands, S-registers, a bare `AT` |
 * | query | read/test forms, settings, `+CSQ`, `+CREG?`, identification, prompts (`+CIPSEND`, `+CMGS` before `> `) |
 * | sim | `+CPIN`, `+CLCK`, `+CCID`, `+QCCID`, `+CIMI` |
 * | network | `+COPS=` |
 * | scan | `+COPS=?` (a network scan) |
 * | attach | `+CGATT=` |
 * | pdp | `+CIICR`, `+QIACT=`, `+CGACT=` |
 * | socket | `+CIPSTART`, `+QIOPEN` (the OK; the connection follows) |
 * | close | `+CIPCLOSE`, `+QICLOSE`, `+QIDEACT` |
 * | shut | `+CIPSHUT` |
 * | power | `+CFUN=`, `+CPOWD`, `+QPOWD` |
 * `send` and `sms` are the times after the data of a prompt (`SEND OK`, `+CMGS: <mr>`).
 */
import type { AtCommand } from '../../protocols/at/index.ts';
import type { LatencyClass } from './profile-schema.ts';

const SET_CLASS: Readonly<Record<string, LatencyClass>> = {
  '+CPIN': 'sim',
  '+CLCK': 'sim',
  '+COPS': 'network',
  '+CGATT': 'attach',
  '+CIICR': 'pdp',
  '+QIACT': 'pdp',
  '+CGACT': 'pdp',
  '+CIPSTART': 'socket',
  '+QIOPEN': 'socket',
  '+CIPCLOSE': 'close',
  '+QICLOSE': 'close',
  '+QIDEACT': 'close',
  '+CIPSHUT': 'shut',
  '+CFUN': 'power',
  '+CPOWD': 'power',
  '+QPOWD': 'power',
};

const ANY_FORM_SIM = new Set(['+CCID', '+QCCID', '+CIMI', '+CPIN']);

/** The latency class of one command; undefined (a line that does not parse) counts as basic. */
export function latencyClassOf(cmd: AtCommand | undefined): LatencyClass {
  if (!cmd || cmd.syntax !== 'extended') return 'basic';
  if (cmd.name === '+COPS' && cmd.form === 'test') return 'scan';
  if (ANY_FORM_SIM.has(cmd.name) && cmd.form !== 'test') return 'sim';
  if (cmd.form === 'set' || cmd.form === 'execute') return SET_CLASS[cmd.name] ?? 'query';
  return 'query';
}
