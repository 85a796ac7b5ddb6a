/**
 * Typed Modbus PDUs. `fn` is the function code; data addresses are the 0-based PDU addresses
 * (holding register 40001 is address 0). Register values are 0..65535.
 */

/** Which way a frame travels: master → slave (`request`) or slave → master (`response`). */
export type Direction = 'request' | 'response';

/** Functions 1–4: read `quantity` coils, discrete inputs, holding or input registers from `address`. */
export interface ReadRequest {
  fn: 1 | 2 | 3 | 4;
  address: number;
  quantity: number;
}

/** Function 5. `value` is the raw field: 0xFF00 = ON, 0x0000 = OFF (anything else is illegal). */
export interface WriteSingleCoilRequest {
  fn: 5;
  address: number;
  value: number;
}

/** Function 6. */
export interface WriteSingleRegisterRequest {
  fn: 6;
  address: number;
  value: number;
}

/**
 * Function 15. `byteCount` is the field as sent; a well-formed request has
 * `byteCount = ceil(quantity / 8)` and `values.length = quantity`.
 */
export interface WriteMultipleCoilsRequest {
  fn: 15;
  address: number;
  quantity: number;
  byteCount: number;
  values: boolean[];
}

/** Function 16. A well-formed request has `byteCount = 2 * quantity` and `values.length = quantity`. */
export interface WriteMultipleRegistersRequest {
  fn: 16;
  address: number;
  quantity: number;
  byteCount: number;
  values: number[];
}

/** Function 17 (serial line only): no data. */
export interface ReportServerIdRequest {
  fn: 17;
}

/** Function 43, MEI type 0x0E. `code` 1..4 = basic, regular, extended, specific. */
export interface ReadDeviceIdRequest {
  fn: 43;
  meiType: 0x0e;
  code: number;
  objectId: number;
}

/** Every request this codec encodes and decodes. */
export type ModbusRequest =
  | ReadRequest
  | WriteSingleCoilRequest
  | WriteSingleRegisterRequest
  | WriteMultipleCoilsRequest
  | WriteMultipleRegistersRequest
  | ReportServerIdRequest
  | ReadDeviceIdRequest;

/**
 * Functions 1 and 2. A response decoded on its own has `8 * byteCount` values (padding included);
 * matched against its request it has exactly the requested quantity.
 */
export interface ReadBitsResponse {
  fn: 1 | 2;
  values: boolean[];
}

/** Functions 3 and 4. */
export interface ReadRegistersResponse {
  fn: 3 | 4;
  values: number[];
}

/** Functions 5 and 6: the echo of the request. */
export interface WriteSingleResponse {
  fn: 5 | 6;
  address: number;
  value: number;
}

/** Functions 15 and 16: start address and quantity written. */
export interface WriteMultipleResponse {
  fn: 15 | 16;
  address: number;
  quantity: number;
}

/**
 * Function 17. `data` is everything after the byte count: the server ID (device specific length),
 * the run indicator (0x00 OFF, 0xFF ON) and any additional data. See `parseServerId`.
 */
export interface ReportServerIdResponse {
  fn: 17;
  data: Uint8Array;
}

/** One device identification object: id and value bytes (ASCII for the ids 0x00..0x06). */
export interface DeviceIdObject {
  id: number;
  value: Uint8Array;
}

/** Function 43, MEI type 0x0E. */
export interface ReadDeviceIdResponse {
  fn: 43;
  meiType: 0x0e;
  code: number;
  conformityLevel: number;
  moreFollows: boolean;
  nextObjectId: number;
  objects: DeviceIdObject[];
}

/**
 * An exception response: on the wire `fn | 0x80` then the exception code. `fn` here is the
 * function that failed (without the 0x80 bit). Test with `isException` before narrowing on `fn`.
 */
export interface ExceptionResponse {
  fn: number;
  exception: number;
}

/** Every non-exception response. */
export type NormalResponse =
  | ReadBitsResponse
  | ReadRegistersResponse
  | WriteSingleResponse
  | WriteMultipleResponse
  | ReportServerIdResponse
  | ReadDeviceIdResponse;

/** Any response, normal or exception. */
export type ModbusResponse = NormalResponse | ExceptionResponse;

/** A decoded request ADU: the slave address (0 = broadcast) and the request. */
export interface RequestFrame {
  slave: number;
  request: ModbusRequest;
}

/** A decoded response ADU. */
export interface ResponseFrame {
  slave: number;
  response: ModbusResponse;
}

/** True for an exception response; narrows the rest to `NormalResponse`. */
export function isException(r: ModbusResponse): r is ExceptionResponse {
  return 'exception' in r;
}
