/** The lab and the field: rig files, probe, sniffer, replay device, draft profiles. */
export {
  loadRigFile,
  parseRigFile,
  defaultSettings,
  rigPort,
  rigPortsOf,
  RigFileError,
  PORT_ROLES,
  type Rig,
  type RigPort,
  type RigPortRole,
  type RigMeter,
  type RigModbusDevice,
  type RigModem,
  type RigEmulated,
  type RigEmulatedModem,
  type RigTerminal,
  type RigIssue,
} from './rig-file.ts';
export { METER_ROLES, MODBUS_ROLES, RigFileSchema, type RigFileData } from './rig-schema.ts';
export { openRigPort, openRigPortForQuestions, openSerial, isPtyPath, HeldEndpoint } from './open-port.ts';
export { serveRigEmulators, type ServedRig, type ServedRigPort, type ServeRigOptions } from './serve-rig.ts';
export { probeRig, formatProbeTable, type ProbeReport, type ProbeRow, type ProbeOptions } from './probe/probe.ts';
export { probeIecMeter, type IecProbeResult } from './probe/iec-probe.ts';
export { probeModbus, probeRegister, readRequestFor, SCAN_REQUEST, type ModbusProbeResult } from './probe/modbus-probe.ts';
export { probeAtModule, type AtProbeResult } from './probe/at-probe.ts';
export { Sniffer, formatSniffLine, type SniffOptions, type SniffedFrame } from './sniff/sniffer.ts';
export { classifySegment, detectProtocol, splitModbus, SIDE_NAMES, type SniffProtocol, type Side } from './sniff/classify.ts';
export { IecBaudFollower, type BaudSwitch } from './sniff/iec-baud.ts';
export { buildReplayScript, traceLines, type ReplayScript, type ReplayExchange, type ReplayMessage } from './replay/script.ts';
export { ReplayDevice, type ReplayMode, type ReplayResult, type ReplayMismatch, type ReplayEvent, type ReplayOptions } from './replay/replayer.ts';
export { masterFramer, requestKey, type MessageKey } from './replay/match.ts';
export { draftMeterProfile, type DraftResult, type DraftOptions } from './draft/draft-profile.ts';
