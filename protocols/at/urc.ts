/**
 * Unsolicited result codes (URCs) of SIMCom SIM800-class and Quectel EC2x/EG91-class modules:
 * which lines are URCs, which dialect sends them, whether lines or bytes follow them, and, for
 * prefixes that a command's own answer shares, the rule that tells the two apart.
 *
 * Sources: 3GPP TS 27.007 / 27.005 (registration, SMS, USSD, call URCs); SIM800 Series AT
 * Command Manual V1.09 §8 (CONNECT OK, CLOSED, +PDP: DEACT, +CIPRXGET, +RECEIVE, +IPD) and the
 * SIM800 power-down texts; Quectel EC2x/BG9x TCP/IP application notes §2.4 (+QIURC, +QIOPEN).
 */
import type { AtArg } from './args.ts';
import type { CommandForm } from './command-line.ts';
import { STANDARD_URCS } from './urc-standard.ts';
import { VENDOR_URCS } from './urc-vendor.ts';

/** The module families whose URCs differ. */
export type Dialect = 'simcom' | 'quectel';

/** Where raw bytes announced by a line come from. */
export type DataSource = 'qird' | 'ciprxget' | 'ciprxget-hex' | 'qiurc-recv' | 'receive' | 'ipd' | 'expected' | 'transparent';

/** Raw bytes that follow a line: `length` of them, right after the line end (or after the header itself when `inline`). */
export interface DataFollow {
  length: number;
  source: DataSource;
  inline?: boolean;
}

/** What a URC rule knows about the command in progress that shares its prefix. */
export interface UrcContext {
  /** The form of that command (`AT+CREG?` is `read`). */
  form: CommandForm;
  /** The arguments it was given (set form). */
  args: readonly AtArg[];
  /** How many lines with this prefix were already taken as its response. */
  seen: number;
}

/** One kind of URC. */
export interface UrcDefinition {
  readonly id: string;
  /** The line as documented, for humans (`+CREG: <stat>[,<lac>,<ci>[,<AcT>]]`). */
  readonly pattern: string;
  readonly dialects: readonly Dialect[];
  readonly match: (line: string) => boolean;
  /** The extended command whose answers share this prefix. */
  readonly command?: string;
  /** How a line with this prefix is told apart from that command's answer (documentation). */
  readonly rule?: string;
  /** Decides whether the line is the answer of the command in progress (`command`). */
  readonly isResponse?: (line: string, ctx: UrcContext) => boolean;
  /** One text line follows that belongs to the URC (an SMS body). */
  readonly body?: (line: string) => boolean;
  /** Raw bytes follow the URC (socket payload pushed by the module). */
  readonly data?: (line: string, options: UrcOptions) => DataFollow | undefined;
  readonly description: string;
}

/** Module settings that change how URCs look. */
export interface UrcOptions {
  /**
   * Quectel `+QIURC: "recv",<id>,<len>` is followed by `<len>` bytes (direct push mode, the
   * default here). Set false when buffer access mode reports the length (`AT+QICFG="recvind",1`)
   * and no bytes follow.
   */
  recvUrcCarriesData?: boolean;
}

/** Every URC this codec knows (standard ones first), first match wins. */
export const URCS: readonly UrcDefinition[] = [...STANDARD_URCS, ...VENDOR_URCS];

/** The first URC definition that matches the line, among those of `dialect` (default both). */
export function findUrc(line: string, dialect: Dialect | 'any' = 'any'): UrcDefinition | undefined {
  for (const u of URCS) if ((dialect === 'any' || u.dialects.includes(dialect)) && u.match(line)) return u;
  return undefined;
}
