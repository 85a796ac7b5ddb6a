export { UsbConfigError, type UsbConfigErrorReason, type UsbConfigErrorAt } from './errors.ts';
export { crc16 } from './crc16.ts';
export { parseIpv4, parseCidr, formatIpv4, formatSubnet, maskOf, networkOf, broadcastOf, inSubnet, specialUse, type Cidr, type ValueAt } from './ipv4.ts';
export {
  DEFAULT_NETWORK_SETTINGS,
  MAX_DNS_SERVERS,
  PREFIX_RANGE,
  SETTINGS_KEYS,
  parseNetworkSettings,
  parseDnsList,
  checkNetworkSettings,
  networkSettingsFields,
  sameNetworkSettings,
  describeNetworkSettings,
  type NetworkSettings,
  type DhcpSettings,
  type StaticSettings,
  type FieldText,
} from './settings.ts';
export { MAX_LINE, parseLine, formatLine, stripEnding, type ParsedLine, type Lead, type Word } from './line.ts';
export { LineFramer, type LineEvent } from './framer.ts';
export { VERBS, commandOfVerb, encodeRequest, decodeRequest, type UsbCommand, type UsbRequest } from './requests.ts';
export { encodeAnswer, decodeAnswer, errorAnswerFor, type UsbAnswer, type UsbErrorAnswer, type UsbErrorCode, type TerminalIdentity, type NetworkStatus } from './answers.ts';
