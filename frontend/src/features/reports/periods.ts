import type { Dayjs } from 'dayjs';

import { periodLabel, type PeriodKind } from '../../components/analytics';
import type { ReportKind } from './types';

export const KINDS: readonly ReportKind[] = ['daily', 'weekly', 'monthly'];
const PERIOD_KIND: Record<ReportKind, PeriodKind> = { daily: 'day', weekly: 'week', monthly: 'month' };

/** The period label a report of `kind` covers for a day inside it. */
export function reportPeriod(kind: ReportKind, day: Dayjs): string {
  return periodLabel(PERIOD_KIND[kind], day);
}
