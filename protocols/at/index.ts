/** AT commands (V.250, 3GPP TS 27.007/27.005, SIMCom and Quectel dialects): pure codec for the terminal (DTE) and the emulated modem (DCE). */

export { AtError, charLabel, type AtErrorReason } from './errors.ts';
export { parseArgs, parseArgSpans, readString, quoteString, formatArg, formatArgs, toArg, toArgs, type AtArg, type ArgMode } from './args.ts';
export {
  parseCommandLine,
  formatCommandLine,
  encodeCommandLine,
  commandName,
  extended,
  setCommand,
  basic,
  type CommandForm,
  type BasicCommand,
  type DialCommand,
  type SParameterCommand,
  type ExtendedCommand,
  type AtCommand,
  type CommandLine,
  type RepeatLine,
  type ParsedLine,
} from './command-line.ts';
export { CME_ERRORS, CMS_ERRORS, CME, CMS, cmeErrorText, cmeErrorCode, cmsErrorText, cmsErrorCode } from './error-codes.ts';
export {
  RESULT_CODES,
  parseResultCode,
  parseNumericResultCode,
  parseSocketResult,
  formatResultCode,
  isSuccess,
  isConnectLine,
  type FinalResult,
  type ResultFormat,
} from './result-codes.ts';
export { frameInformation, frameUrc, frameResult, framePrompt, frameDataBlock, frameResponse, frameEcho, type DceFraming } from './dce-framing.ts';
export { URCS, findUrc, type UrcDefinition, type UrcContext, type UrcOptions, type Dialect, type DataFollow, type DataSource } from './urc.ts';
export { COMMAND_TRAITS, traitsOf, type CommandTraits } from './command-traits.ts';
export { LineClassifier, type Classification, type ClassifierOptions } from './classify.ts';
export { DteDecoder, type DteEvent, type DteDecoderOptions } from './dte-decoder.ts';
export { DceReader, CTRL_Z, ESC, type DceEvent, type DceReaderOptions, type DataEnd } from './dce-reader.ts';

export { Fields, tryParse, type ResponseCodec, type CommandCodec } from './messages/codec.ts';
export { CSQ, CSQ_UNKNOWN, rssiToDbm, dbmToRssi, type SignalQuality } from './messages/csq.ts';
export { CREG, CGREG, CEREG, REG_STAT, ACCESS_TECHNOLOGY, isReadShape, registrationShape, isRegistered, type Registration } from './messages/registration.ts';
export { CPIN, CPIN_CODES, needsCode, type CpinCode } from './messages/cpin.ts';
export { COPS, COPS_LIST, type OperatorSelection, type OperatorEntry, type OperatorList } from './messages/cops.ts';
export { CGATT, CGDCONT, CGDCONT_SET, CGPADDR, type PdpContext, type PdpAddress } from './messages/packet-domain.ts';
export { IMEI, IMSI, CCID, QCCID, luhnOk } from './messages/identity.ts';
export { CMGS, CMGS_SET, CMTI, type MessageSent, type SendMessage, type MessageIndication } from './messages/sms.ts';
export { CSTT, CSTT_SET, CIFSR, CIP_STATE, CIP_STATES, CIP_CONNECTION, isIpv4, type ApnSettings, type CipState, type CipConnection } from './messages/simcom-bearer.ts';
export {
  CIPSTART,
  cipSend,
  CIPSEND_SIZE,
  cipClose,
  cipRxGet,
  cipRxGetLine,
  SIMCOM_SOCKET_EVENT,
  RECEIVE_HEADER,
  type CipStart,
  type CipSend,
  type CipSendSize,
  type CipClose,
  type CipRxGetRequest,
  type CipRxGet,
  type SimcomSocketEvent,
  type ReceiveHeader,
} from './messages/simcom-socket.ts';
export {
  QICSGP,
  QICSGP_SET,
  QIACT,
  QIACT_SET,
  QIDEACT_SET,
  QCFG_NWSCANMODE,
  QCFG_NWSCANMODE_SET,
  NWSCANMODE,
  type ContextSettings,
  type ContextConfig,
  type ActiveContext,
  type ScanModeSetting,
} from './messages/quectel-context.ts';
export {
  QIOPEN,
  QIOPEN_SET,
  QISEND,
  QISEND_SET,
  QIRD,
  QIRD_SET,
  QIRD_COUNTERS,
  QICLOSE_SET,
  QISTATE,
  QIURC,
  SERVICE_TYPES,
  type ServiceType,
  type QiOpen,
  type QiOpenResult,
  type QiSend,
  type QiSendCounters,
  type QiRead,
  type QiReadHeader,
  type QiReadCounters,
  type QiClose,
  type QiState,
  type QiUrc,
} from './messages/quectel-socket.ts';
export { QNWINFO, CPSI, type NetworkInfo, type Cpsi, type CpsiGsm, type CpsiLte } from './messages/network-info.ts';
