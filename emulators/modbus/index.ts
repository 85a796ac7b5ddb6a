/** Emulated Modbus RTU devices: slave engine, device models (analyzer, compensation relay), faults, profiles. */

export { createModbusDevice, lineSettingsOf, ModbusDevice, type CreateModbusDeviceOptions } from './device.ts';
export { ModbusSlave, type ModbusBehavior, type ModbusSlaveOptions } from './slave.ts';
export { RequestLog, type ReceivedRequest, type RequestPredicate } from './request-log.ts';
export { ModbusFaultSet, type ModbusFault, type ModbusFaultKind, type FaultOptions, type ActiveFault } from './faults.ts';
export type { DeviceModel } from './device-model.ts';
export { AnalyzerModel, type AnalyzerModelOptions } from './analyzer.ts';
export { RelayModel, type RelayModelOptions, type Switching } from './relay.ts';
export { RelayAlarms } from './relay-alarms.ts';
export { bandAt, bandState, decide, unityDistance, type Band, type BandState, type Decision, type StepView } from './relay-control.ts';
export { IdentityModel, SettableModel, serialNumberValue, type IdentityOptions } from './identity.ts';
export { EnergyCounters, COUNTER_OF, type EnergyTotals, type EnergyCounterOptions } from './energy-counters.ts';
export { electricalValue, readSample, signedCosPhi, meanVoltage, type Reading, type PhaseReading } from './electrical.ts';
export { RegisterMap, encodeValue, decodeValue, type ValueSource, type PlannedWrite, type RefusedWrite, type WordOptions } from './register-map.ts';
export { loadModbusProfiles, loadModbusProfile, findModbusProfile, parseModbusProfileText, ModbusProfileError, DEFAULT_PROFILE_DIR, type LoadedModbusProfile } from './profile-loader.ts';
export { resolveModbusAddress, cosPhiAngleDeg, registerWords, type ModbusProfile, type ModbusRegister } from './profile-schema.ts';
export { isQuantityName, quantityInfo, QUANTITY_NAMES, type QuantityName } from './quantities.ts';
