/**
 * Numbers and texts of `+CME ERROR` (3GPP TS 27.007 §9.2: general, GPRS/EPS, and the Quectel
 * TCP/IP range 550–574 of the EC2x/BG9x TCP/IP application notes) and `+CMS ERROR` (3GPP TS
 * 27.005 §3.2.5, with the common 3GPP TS 24.011 / 23.040 cause values below 300).
 *
 * `AT+CMEE=1` shows the number, `AT+CMEE=2` the text, `AT+CMEE=0` plain `ERROR`.
 */

/** `+CME ERROR` codes with their 27.007 texts. */
export const CME_ERRORS: ReadonlyMap<number, string> = new Map([
  [0, 'phone failure'],
  [1, 'no connection to phone'],
  [2, 'phone-adaptor link reserved'],
  [3, 'operation not allowed'],
  [4, 'operation not supported'],
  [5, 'PH-SIM PIN required'],
  [6, 'PH-FSIM PIN required'],
  [7, 'PH-FSIM PUK required'],
  [10, 'SIM not inserted'],
  [11, 'SIM PIN required'],
  [12, 'SIM PUK required'],
  [13, 'SIM failure'],
  [14, 'SIM busy'],
  [15, 'SIM wrong'],
  [16, 'incorrect password'],
  [17, 'SIM PIN2 required'],
  [18, 'SIM PUK2 required'],
  [20, 'memory full'],
  [21, 'invalid index'],
  [22, 'not found'],
  [23, 'memory failure'],
  [24, 'text string too long'],
  [25, 'invalid characters in text string'],
  [26, 'dial string too long'],
  [27, 'invalid characters in dial string'],
  [30, 'no network service'],
  [31, 'network timeout'],
  [32, 'network not allowed - emergency calls only'],
  [40, 'network personalization PIN required'],
  [41, 'network personalization PUK required'],
  [42, 'network subset personalization PIN required'],
  [43, 'network subset personalization PUK required'],
  [44, 'service provider personalization PIN required'],
  [45, 'service provider personalization PUK required'],
  [46, 'corporate personalization PIN required'],
  [47, 'corporate personalization PUK required'],
  [48, 'hidden key required'],
  [49, 'EAP method not supported'],
  [50, 'incorrect parameters'],
  [100, 'unknown'],
  [103, 'illegal MS'],
  [106, 'illegal ME'],
  [107, 'GPRS services not allowed'],
  [111, 'PLMN not allowed'],
  [112, 'location area not allowed'],
  [113, 'roaming not allowed in this location area'],
  [132, 'service option not supported'],
  [133, 'requested service option not subscribed'],
  [134, 'service option temporarily out of order'],
  [148, 'unspecified GPRS error'],
  [149, 'PDP authentication failure'],
  [150, 'invalid mobile class'],
  [550, 'unknown error'],
  [551, 'operation blocked'],
  [552, 'invalid parameters'],
  [553, 'memory not enough'],
  [554, 'create socket failed'],
  [555, 'operation not supported'],
  [556, 'socket bind failed'],
  [557, 'socket listen failed'],
  [558, 'socket write failed'],
  [559, 'socket read failed'],
  [560, 'socket accept failed'],
  [561, 'open PDP context failed'],
  [562, 'close PDP context failed'],
  [563, 'socket identity has been used'],
  [564, 'DNS busy'],
  [565, 'DNS parse failed'],
  [566, 'socket connect failed'],
  [567, 'socket has been closed'],
  [568, 'operation busy'],
  [569, 'operation timeout'],
  [570, 'PDP context broken down'],
  [571, 'cancel send'],
  [572, 'operation not allowed'],
  [573, 'APN not configured'],
  [574, 'port busy'],
]);

/** `+CMS ERROR` codes with their 27.005 texts (and common network cause values below 300). */
export const CMS_ERRORS: ReadonlyMap<number, string> = new Map([
  [1, 'unassigned (unallocated) number'],
  [8, 'operator determined barring'],
  [10, 'call barred'],
  [21, 'short message transfer rejected'],
  [27, 'destination out of service'],
  [28, 'unidentified subscriber'],
  [29, 'facility rejected'],
  [30, 'unknown subscriber'],
  [38, 'network out of order'],
  [41, 'temporary failure'],
  [42, 'congestion'],
  [47, 'resources unavailable, unspecified'],
  [50, 'requested facility not subscribed'],
  [69, 'requested facility not implemented'],
  [81, 'invalid short message transfer reference value'],
  [95, 'invalid message, unspecified'],
  [96, 'invalid mandatory information'],
  [97, 'message type non-existent or not implemented'],
  [98, 'message not compatible with short message protocol state'],
  [99, 'information element non-existent or not implemented'],
  [111, 'protocol error, unspecified'],
  [127, 'interworking, unspecified'],
  [300, 'ME failure'],
  [301, 'SMS service of ME reserved'],
  [302, 'operation not allowed'],
  [303, 'operation not supported'],
  [304, 'invalid PDU mode parameter'],
  [305, 'invalid text mode parameter'],
  [310, 'SIM not inserted'],
  [311, 'SIM PIN required'],
  [312, 'PH-SIM PIN required'],
  [313, 'SIM failure'],
  [314, 'SIM busy'],
  [315, 'SIM wrong'],
  [316, 'SIM PUK required'],
  [317, 'SIM PIN2 required'],
  [318, 'SIM PUK2 required'],
  [320, 'memory failure'],
  [321, 'invalid memory index'],
  [322, 'memory full'],
  [330, 'SMSC address unknown'],
  [331, 'no network service'],
  [332, 'network timeout'],
  [340, 'no +CNMA acknowledgement expected'],
  [500, 'unknown error'],
]);

/** Well-known codes by meaning, for code that reacts to them. */
export const CME = {
  OPERATION_NOT_ALLOWED: 3,
  OPERATION_NOT_SUPPORTED: 4,
  SIM_NOT_INSERTED: 10,
  SIM_PIN_REQUIRED: 11,
  SIM_PUK_REQUIRED: 12,
  SIM_FAILURE: 13,
  SIM_BUSY: 14,
  SIM_WRONG: 15,
  INCORRECT_PASSWORD: 16,
  NO_NETWORK_SERVICE: 30,
  NETWORK_TIMEOUT: 31,
  UNKNOWN: 100,
} as const;

/** Well-known `+CMS ERROR` codes by meaning. */
export const CMS = {
  OPERATION_NOT_ALLOWED: 302,
  SIM_NOT_INSERTED: 310,
  SMSC_ADDRESS_UNKNOWN: 330,
  NO_NETWORK_SERVICE: 331,
  UNKNOWN_ERROR: 500,
} as const;

function normalise(text: string): string {
  return text.toLowerCase().replace(/[\s\-_,()]+/g, ' ').trim();
}

function byText(table: ReadonlyMap<number, string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [code, text] of table) if (!out.has(normalise(text))) out.set(normalise(text), code);
  return out;
}

const CME_BY_TEXT = byText(CME_ERRORS);
const CMS_BY_TEXT = byText(CMS_ERRORS);

/** The 27.007 text of a `+CME ERROR` code, or undefined when the code is not in the table. */
export function cmeErrorText(code: number): string | undefined {
  return CME_ERRORS.get(code);
}

/** The code of a `+CME ERROR` text (case, spaces and dashes ignored; the lowest code when a text repeats). */
export function cmeErrorCode(text: string): number | undefined {
  return CME_BY_TEXT.get(normalise(text));
}

/** The 27.005 text of a `+CMS ERROR` code, or undefined. */
export function cmsErrorText(code: number): string | undefined {
  return CMS_ERRORS.get(code);
}

/** The code of a `+CMS ERROR` text, or undefined. */
export function cmsErrorCode(text: string): number | undefined {
  return CMS_BY_TEXT.get(normalise(text));
}
