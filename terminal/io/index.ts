/** The I/O block of the GSM/4G terminals: inputs, relays and schedule, outage detection. */
export type { IoPins, IoSink } from './pins.ts';
export { DebouncedInputs, type InputChange } from './debounce.ts';
export { RelayOutputs, type RelayChange } from './relays.ts';
export { OutageDetector, type OutageDetectorOptions } from './outage.ts';
export { scheduledOn, nextSwitch, scheduledOutputs } from './schedule.ts';
export { ioStateFile, memoryIoState, type IoState, type IoStateStore } from './state-file.ts';
export { TerminalIo, type TerminalIoOptions } from './terminal-io.ts';
