export { Alarms, type AlarmsOptions, type AlarmView, type AlarmTransition } from './alarms.ts';
export { addAlarmRoutes } from './alarm-routes.ts';
export { AlarmStore, type AlarmRow, type AlarmDetails, type AlarmQuery } from './alarm-store.ts';
export { ALARM_RULES, RULE_TITLES, AlarmRuleSettingsSchema, defaultRuleSettings, parseRuleSettings, type AlarmRule, type AlarmRuleSettings } from './rule-settings.ts';
export type { Finding, RecordRule, RuleContext, RuleRecord } from './finding.ts';
