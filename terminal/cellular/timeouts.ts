/**
 * How long the terminal waits for a module's final result, by the class of the command. Values
 * are the "max response time" rows of the SIM800 Series AT Command Manual V1.09 and the Quectel
 * EC25 AT manual / TCP(IP) application note, where they give one; 1 s for everything else.
 */

/** The class of an AT command, for its time-out. */
export type CommandClass = 'short' | 'sim' | 'network' | 'attach' | 'pdp' | 'socket' | 'data' | 'power';

/** Time-out per class (ms); `network` etc. are further raised per command in `COMMAND_TIMEOUTS`. */
export const CLASS_TIMEOUTS: Readonly<Record<CommandClass, number>> = {
  short: 1_000,
  sim: 5_000,
  network: 75_000,
  attach: 75_000,
  pdp: 150_000,
  socket: 10_000,
  data: 20_000,
  power: 15_000,
};

/** Commands with a documented maximum response time (ms). */
export const COMMAND_TIMEOUTS: Readonly<Record<string, number>> = {
  '+CPIN': 5_000,
  '+CLCK': 15_000,
  '+COPS': 180_000,
  '+CGATT': 75_000,
  '+CFUN': 15_000,
  '+CSTT': 1_000,
  '+CIICR': 85_000,
  '+CIFSR': 2_000,
  '+CIPSTART': 160_000,
  '+CIPSHUT': 65_000,
  '+CIPCLOSE': 10_000,
  '+CIPSEND': 20_000,
  '+CIPRXGET': 5_000,
  '+QICSGP': 1_000,
  '+QIACT': 150_000,
  '+QIDEACT': 40_000,
  '+QIOPEN': 150_000,
  '+QICLOSE': 10_000,
  '+QISEND': 20_000,
  '+QIRD': 5_000,
  '+QCFG': 1_000,
  '+CPOWD': 15_000,
  '+QPOWD': 15_000,
  '+CSQ': 1_000,
};

/** The name of the first command on a line: `+CIPSTART` for `AT+CIPSTART="TCP",…`, `E` for `ATE0`. */
export function firstCommandName(line: string): string {
  const body = line.replace(/^\s*AT/i, '');
  const ext = /^([+#$%^][A-Za-z][A-Za-z0-9]*)/.exec(body);
  if (ext) return ext[1]!.toUpperCase();
  return body.slice(0, 1).toUpperCase();
}

/** The time-out of a command line: its documented maximum, else 1 s. */
export function timeoutFor(line: string): number {
  return COMMAND_TIMEOUTS[firstCommandName(line)] ?? CLASS_TIMEOUTS.short;
}
