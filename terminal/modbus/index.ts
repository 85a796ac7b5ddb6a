/** The terminal's Modbus RTU side: master, poller, register sets, device list from the cloud. */

export { ModbusMaster, type ModbusMasterOptions } from './master.ts';
export { answered, missingReasonOf, type Attempt, type Exchange, type ExchangeOutcome, type OutcomeKind, type StrayFrame } from './outcome.ts';
export { ModbusPoller, type ModbusPollerOptions, type ModbusPollerRecord, type PolledDevice, type DevicePollResult } from './poller.ts';
export { planReads, type ReadBlock } from './plan.ts';
export { decodeBlock, wordValue, scaleDecimals } from './decode.ts';
export { RegisterSetSchema, registerSetName, widthOf, READ_TABLES, VALUE_TYPES, MAX_READ_REGISTERS, MAX_READ_BITS, type RegisterSet, type RegisterValue, type ReadTable, type ValueType } from './register-set.ts';
export { RegisterSetCatalog, loadRegisterSets, parseRegisterSet, shippedCatalog, DEVICE_TYPES_DIR } from './catalog.ts';
export { checkModbusConfig, ModbusConfigFile, type ModbusConfig, type ConfigCheck } from './config.ts';
export { TerminalModbus, type TerminalModbusOptions } from './terminal-modbus.ts';
