export { isoTime, dateAt, type Clock, type Timer } from './clock.ts';
export { RealClock, sleepOn } from './real-clock.ts';
export { VirtualClock, ClockDeadlockError, DEFAULT_VIRTUAL_START } from './virtual-clock.ts';
