export { AnalyticsFilters } from './AnalyticsFilters';
export type { AnalyticsFilterValue } from './AnalyticsFilters';
export { PERIOD_KINDS, currentPeriod, dayOf, kindOf, periodLabel } from './period';
export type { PeriodKind } from './period';
