export { UplinkError, type UplinkErrorReason } from './errors.ts';
export { crc32 } from './crc32.ts';
export {
  MAGIC_0,
  MAGIC_1,
  PROTOCOL_VERSION,
  HEADER_BYTES,
  CRC_BYTES,
  FRAME_OVERHEAD,
  DEFAULT_MAX_PAYLOAD,
  MESSAGE_TYPES,
  messageTypeName,
  encodeFrame,
  type MessageTypeName,
  type RawFrame,
} from './frame.ts';
export { FrameDecoder, type FrameEvent } from './frame-decoder.ts';
export { toWireKeys, fromWireKeys, type KeyMap } from './keys.ts';
export * from './messages.ts';
export {
  METER_PORTS,
  MISSING_REASONS,
  RECORD_KINDS,
  validateRecordBody,
  zodToUplinkError,
  type MeterPort,
  type MissingReason,
  type ReadingValue,
  type MeterReadingBody,
  type EventBody,
  type ModbusReadingBody,
  MODBUS_MISSING_REASONS,
  type ModbusMissingReason,
  type ModbusReadingValue,
  type RecordBodies,
  type RecordKind,
  type RecordInput,
  type UplinkRecord,
  type BodyCheck,
} from './records.ts';
export {
  MODBUS_PORTS,
  MODBUS_DEVICE_TYPES,
  MAX_MODBUS_DEVICES_RS485,
  MAX_MODBUS_DEVICES_RS232,
  ModbusSettingsSchema,
  ConfigPushBodySchema,
  checkModbusSettings,
  checkConfigPushBody,
  type ModbusPort,
  type ModbusDeviceType,
  type ModbusDeviceSetting,
  type ModbusSettings,
  type ConfigPushBody,
  type SettingsCheck,
} from './modbus-config.ts';
export {
  MAX_IO_POINTS,
  RELAY_CAUSES,
  OUTAGE_EVENTS,
  WEEKDAYS,
  IoRecordBodySchema,
  OutageDetailsSchema,
  RelaySetCommandSchema,
  IoCommandBodySchema,
  ScheduleEntrySchema,
  IoSettingsSchema,
  IoConfigPushBodySchema,
  checkIoCommand,
  checkIoSettings,
  checkIoConfigPushBody,
  checkOutageDetails,
  isIoConfigBody,
  type RelayCause,
  type IoRecordBody,
  type OutageDetails,
  type RelaySetCommand,
  type IoCommandBody,
  type Weekday,
  type ScheduleEntry,
  type IoSettings,
  type IoConfigPushBody,
  type IoCheck,
} from './io.ts';
export { encodeMessage, decodeFrame } from './codec.ts';
export { bodyToWire, bodyFromWire } from './body-wire.ts';
export { UplinkDecoder, type DecodedEvent } from './decoder.ts';
export { NONCE_BYTES, MAC_BYTES, authMac, authMacHex, verifyAuthMac } from './auth.ts';
