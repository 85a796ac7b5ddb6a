/** Function codes, exception codes, limits and names of the Modbus application protocol (V1.1b3). */

/** The function codes this codec handles. */
export const FC = Object.freeze({
  READ_COILS: 1,
  READ_DISCRETE_INPUTS: 2,
  READ_HOLDING_REGISTERS: 3,
  READ_INPUT_REGISTERS: 4,
  WRITE_SINGLE_COIL: 5,
  WRITE_SINGLE_REGISTER: 6,
  WRITE_MULTIPLE_COILS: 15,
  WRITE_MULTIPLE_REGISTERS: 16,
  REPORT_SERVER_ID: 17,
  ENCAPSULATED_INTERFACE: 43,
} as const);

/** MEI type of Read Device Identification inside function 43. */
export const MEI_READ_DEVICE_ID = 0x0e as const;

/** Every function code the codec decodes (43 only with MEI type 0x0E). */
export const SUPPORTED_FUNCTIONS: readonly number[] = Object.freeze([1, 2, 3, 4, 5, 6, 15, 16, 17, 43]);

/** True for the function codes this codec decodes (see `SUPPORTED_FUNCTIONS`). */
export function isSupportedFunction(fn: number): boolean {
  return SUPPORTED_FUNCTIONS.includes(fn);
}

/** Exception codes of the application protocol spec, section 7. */
export const EXCEPTION = Object.freeze({
  ILLEGAL_FUNCTION: 0x01,
  ILLEGAL_DATA_ADDRESS: 0x02,
  ILLEGAL_DATA_VALUE: 0x03,
  SERVER_DEVICE_FAILURE: 0x04,
  ACKNOWLEDGE: 0x05,
  SERVER_DEVICE_BUSY: 0x06,
  MEMORY_PARITY_ERROR: 0x08,
  GATEWAY_PATH_UNAVAILABLE: 0x0a,
  GATEWAY_TARGET_FAILED: 0x0b,
} as const);

/** One of the exception codes the spec defines. */
export type ExceptionCode = (typeof EXCEPTION)[keyof typeof EXCEPTION];

const EXCEPTION_NAMES: Readonly<Record<number, string>> = {
  0x01: 'illegal function',
  0x02: 'illegal data address',
  0x03: 'illegal data value',
  0x04: 'server device failure',
  0x05: 'acknowledge',
  0x06: 'server device busy',
  0x08: 'memory parity error',
  0x0a: 'gateway path unavailable',
  0x0b: 'gateway target device failed to respond',
};

/** `illegal data address` for 2; `unknown exception 0x42` for codes the spec does not define. */
export function exceptionName(code: number): string {
  return EXCEPTION_NAMES[code] ?? `unknown exception 0x${code.toString(16).padStart(2, '0')}`;
}

const FUNCTION_NAMES: Readonly<Record<number, string>> = {
  1: 'read coils',
  2: 'read discrete inputs',
  3: 'read holding registers',
  4: 'read input registers',
  5: 'write single coil',
  6: 'write single register',
  15: 'write multiple coils',
  16: 'write multiple registers',
  17: 'report server id',
  43: 'read device identification',
};

/** `read holding registers` for 3; `function 0x07` for codes this codec does not handle. */
export function functionName(fn: number): string {
  return FUNCTION_NAMES[fn] ?? `function 0x${fn.toString(16).padStart(2, '0')}`;
}

/** Slave (server) addresses on a serial line: 0 broadcast, 1..247 individual, 248..255 reserved. */
export const BROADCAST = 0;
/** Highest individual slave address. */
export const MAX_SLAVE = 247;

/** RTU size limits: the serial ADU is at most 256 bytes, so the PDU at most 253. */
export const MAX_ADU = 256;
/** Largest PDU: 256 minus slave address and CRC. */
export const MAX_PDU = 253;
/** The smallest RTU frame: slave, function, two CRC bytes (a report-server-id request). */
export const MIN_ADU = 4;

/** Quantity limits per function (application protocol spec, sections 6.1–6.12). */
export const LIMITS = Object.freeze({
  readBits: 2000, // 0x07D0, functions 1 and 2
  readRegisters: 125, // 0x007D, functions 3 and 4
  writeCoils: 1968, // 0x07B0, function 15
  writeRegisters: 123, // 0x007B, function 16
  addressSpace: 65536, // address + quantity may not pass 0xFFFF + 1
} as const);

/** The two values function 5 accepts: ON is 0xFF00, OFF is 0x0000. */
export const COIL_ON = 0xff00;
export const COIL_OFF = 0x0000;

/** Read Device ID codes of function 43 / MEI 0x0E. */
export const DEVICE_ID_CODE = Object.freeze({ BASIC: 1, REGULAR: 2, EXTENDED: 3, SPECIFIC: 4 } as const);

const DEVICE_ID_CODE_NAMES: Readonly<Record<number, string>> = { 1: 'basic', 2: 'regular', 3: 'extended', 4: 'specific' };

/** `basic`, `regular`, `extended`, `specific`; `code 0x07` otherwise. */
export function deviceIdCodeName(code: number): string {
  return DEVICE_ID_CODE_NAMES[code] ?? `code 0x${code.toString(16).padStart(2, '0')}`;
}

/**
 * Conformity level of a device: 0x01/0x02/0x03 = basic/regular/extended with stream access only;
 * 0x81/0x82/0x83 = the same plus individual access.
 */
export function conformityLevelName(level: number): string {
  const base = DEVICE_ID_CODE_NAMES[level & 0x7f];
  if (base === undefined || (level & 0x7f) === 4) return `level 0x${level.toString(16).padStart(2, '0')}`;
  return (level & 0x80) !== 0 ? `${base} + individual` : `${base} stream`;
}

/** Names of the device identification objects the spec defines (0x00..0x06). */
export const DEVICE_OBJECT_NAMES: Readonly<Record<number, string>> = Object.freeze({
  0x00: 'VendorName',
  0x01: 'ProductCode',
  0x02: 'MajorMinorRevision',
  0x03: 'VendorUrl',
  0x04: 'ProductName',
  0x05: 'ModelName',
  0x06: 'UserApplicationName',
});
