/** Modbus RTU: pure codec for the terminal (master) and the emulated devices (slaves). */

export { ModbusError, type ModbusErrorReason } from './errors.ts';
export {
  FC,
  MEI_READ_DEVICE_ID,
  SUPPORTED_FUNCTIONS,
  isSupportedFunction,
  EXCEPTION,
  type ExceptionCode,
  exceptionName,
  functionName,
  BROADCAST,
  MAX_SLAVE,
  MAX_ADU,
  MAX_PDU,
  MIN_ADU,
  LIMITS,
  COIL_ON,
  COIL_OFF,
  DEVICE_ID_CODE,
  deviceIdCodeName,
  conformityLevelName,
  DEVICE_OBJECT_NAMES,
} from './codes.ts';
export { crc16, appendCrc, frameCrc, crcOk } from './crc.ts';
export type {
  Direction,
  ReadRequest,
  WriteSingleCoilRequest,
  WriteSingleRegisterRequest,
  WriteMultipleCoilsRequest,
  WriteMultipleRegistersRequest,
  ReportServerIdRequest,
  ReadDeviceIdRequest,
  ModbusRequest,
  ReadBitsResponse,
  ReadRegistersResponse,
  WriteSingleResponse,
  WriteMultipleResponse,
  ReportServerIdResponse,
  DeviceIdObject,
  ReadDeviceIdResponse,
  ExceptionResponse,
  NormalResponse,
  ModbusResponse,
  RequestFrame,
  ResponseFrame,
} from './types.ts';
export { isException } from './types.ts';
export { packBits, unpackBits } from './wire.ts';
export { encodeAdu, decodeAdu, type Adu } from './adu.ts';
export {
  readCoils,
  readDiscreteInputs,
  readHoldingRegisters,
  readInputRegisters,
  writeSingleCoil,
  writeSingleRegister,
  writeMultipleCoils,
  writeMultipleRegisters,
  reportServerId,
  readDeviceIdentification,
  encodeRequestPdu,
  decodeRequestPdu,
  type EncodeOptions,
} from './requests.ts';
export {
  exceptionResponse,
  echoResponse,
  encodeResponsePdu,
  decodeResponsePdu,
  matchResponse,
  parseServerId,
  serverIdData,
  readByteCountProblem,
  MAX_READ_BYTE_COUNT,
  type ServerIdParts,
} from './responses.ts';
export { answerDeviceId, type DeviceIdentity } from './device-id.ts';
export { requestException, requestProblem, tableOf, type DataTable, type SlaveModel, type RequestProblem } from './limits.ts';
export { encodeRequest, decodeRequest, encodeResponse, decodeResponse, BROADCAST_FUNCTIONS } from './messages.ts';
export { expectedResponseLength, frameLength, EXCEPTION_FRAME_LENGTH, type LengthVerdict } from './lengths.ts';
export { RtuStreamFramer, type FramerEvent, type FramedFrame, type FramedGarbage } from './stream-framer.ts';
export {
  decodeRegisters,
  encodeRegisters,
  readValue,
  writeValue,
  registerCount,
  REGISTER_TYPES,
  WORD_ORDERS,
  type RegisterType,
  type WordOrder,
  type ValueSpec,
} from './data-types.ts';
export { describe, describeRequest, describeResponse, reference, type DescribeOptions } from './describe.ts';
export {
  rtuTiming,
  rtuCharTimeMs,
  RTU_BITS_PER_CHAR,
  RTU_FIXED_TIMING_ABOVE_BAUD,
  RTU_FIXED_T15_MS,
  RTU_FIXED_T35_MS,
  type RtuTiming,
} from './timing.ts';
