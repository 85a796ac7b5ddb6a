/** IEC 62056-21 (IEC 61107, "D0"/FLAG) codec: messages, data sets, load profiles, streaming decoder. */
export { appendBcc, computeBcc, xorBytes } from './bcc.ts';
export { IEC_BAUD_RATES, MODE_D_BAUD, OPENING_BAUD, baudForZ, isFastReaction, protocolModeOfZ, zForBaud, type ProtocolMode } from './baud.ts';
export {
  COMMAND_IDS,
  COMMAND_TYPES,
  commandTypeName,
  decodeCommand,
  encodeBreak,
  encodeCommand,
  passwordCommand,
  readCommand,
  writeCommand,
  type CommandId,
  type CommandMessage,
} from './command.ts';
export {
  MAX_ERROR_TEXT_LENGTH,
  READOUT_END,
  decodeDataMessage,
  decodeReadout,
  encodeDataMessage,
  encodeErrorMessage,
  encodeReadout,
  parseErrorMessage,
  type DataMessage,
  type ReadoutMessage,
} from './data-message.ts';
export {
  MAX_ADDRESS_LENGTH,
  MAX_UNIT_LENGTH,
  MAX_VALUE_LENGTH,
  RECOMMENDED_LINE_LENGTH,
  formatDataBlock,
  formatDataLine,
  formatDataSet,
  formatFixed,
  numericDataSet,
  parseDataBlock,
  parseDataLine,
  type DataSet,
  type DataValue,
  type FixedFormat,
} from './data-set.ts';
export { Iec62056Decoder, decodeAll, type DecoderOptions, type DecoderSide, type MasterPhase } from './decoder.ts';
export { describeEvent, describeMessage } from './describe.ts';
export { encodeMessage } from './encode.ts';
export { Iec62056Error, type Iec62056ErrorDetails, type Iec62056ErrorKind } from './errors.ts';
export type { DecoderEvent, Frame, FramePosition, Message, MessageKind } from './frames.ts';
export {
  ESCAPE,
  MAX_IDENT_LENGTH,
  MODE_E_CHAR,
  decodeIdentification,
  encodeIdentification,
  identificationInfo,
  type IdentificationInfo,
  type IdentificationMessage,
} from './identification.ts';
export {
  formatLoadProfile,
  formatLoadProfileHeader,
  formatLoadProfileRequest,
  parseLoadProfile,
  parseLoadProfileRequest,
  rowTime,
  type LoadProfileBlock,
  type LoadProfileChannel,
  type LoadProfileHeader,
  type LoadProfileRequest,
} from './load-profile.ts';
export { MODE_CONTROL, OPTION_SELECT_LENGTH, PROTOCOL_CONTROL, decodeOptionSelect, encodeOptionSelect, type OptionSelectMessage } from './option-select.ts';
export { addMinutes, formatProfileTime, parseProfileTime, validateProfileTime, type ProfileTime } from './profile-time.ts';
export { MAX_DEVICE_ADDRESS_LENGTH, MAX_REQUEST_LENGTH, decodeRequest, deviceAddressMatches, encodeRequest, type RequestMessage } from './request.ts';
export * from './timing.ts';
