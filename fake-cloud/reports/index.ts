/** The fake cloud's reports: service, routes, and the reactive-ratio functions the alarms use. */
export { Reports, DEFAULT_UTC_OFFSET_MIN, type OnlineSource, type ReactiveReport, type ReactiveDay } from './reports.ts';
export { addReportRoutes } from './report-routes.ts';
export {
  TURKISH_REACTIVE_LIMITS,
  reactiveRatio,
  reactiveForecast,
  billingMonth,
  ReactiveSeries,
  type ReactiveLimits,
  type ReactiveRatio,
  type ReactiveForecast,
  type RatioOptions,
} from './reactive-ratio.ts';
export type { ConsumptionReport, ConsumptionBucket } from './consumption.ts';
export type { InstantSource, InstantValue, PhaseValues } from './instantaneous.ts';
export type { RelaySteps, StepSample, StepSummary } from './capacitor-steps.ts';
export type { IoHistory, IoChange, IoPointSummary, OutageHistory, Outage } from './history.ts';
export type { CommunicationState, SourceState, Gap } from './communication.ts';
