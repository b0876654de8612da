/**
 * Period labels as the API takes them (`2026-12-01`, `2026-W49`, `2026-12`, `2026-Q4`, `2026`),
 * built from and read back into dayjs values for the pickers.
 */
import dayjs, { type Dayjs } from 'dayjs';
import isoWeek from 'dayjs/plugin/isoWeek';

dayjs.extend(isoWeek);

export type PeriodKind = 'day' | 'week' | 'month' | 'quarter' | 'year';

export const PERIOD_KINDS: readonly PeriodKind[] = ['day', 'week', 'month', 'quarter', 'year'];

export function periodLabel(kind: PeriodKind, day: Dayjs): string {
  switch (kind) {
    case 'day':
      return day.format('YYYY-MM-DD');
    case 'week':
      return `${day.isoWeekYear()}-W${String(day.isoWeek()).padStart(2, '0')}`;
    case 'month':
      return day.format('YYYY-MM');
    case 'quarter':
      return `${day.year()}-Q${Math.floor(day.month() / 3) + 1}`;
    case 'year':
      return String(day.year());
  }
}

export function kindOf(label: string): PeriodKind {
  if (/^\d{4}-\d{2}-\d{2}$/.test(label)) return 'day';
  if (/^\d{4}-W\d{2}$/.test(label)) return 'week';
  if (/^\d{4}-Q[1-4]$/.test(label)) return 'quarter';
  if (/^\d{4}-\d{2}$/.test(label)) return 'month';
  return 'year';
}

/** A day inside the period (its first day), for showing the label in a picker. */
export function dayOf(label: string): Dayjs {
  const kind = kindOf(label);
  if (kind === 'week') {
    const [year, week] = label.split('-W').map(Number);
    return dayjs(`${year}-01-04`).isoWeek(week).isoWeekday(1);
  }
  if (kind === 'quarter') {
    const [year, quarter] = label.split('-Q').map(Number);
    return dayjs(new Date(year, (quarter - 1) * 3, 1));
  }
  if (kind === 'year') return dayjs(new Date(Number(label), 0, 1));
  return dayjs(label.length === 7 ? `${label}-01` : label);
}

export function currentPeriod(kind: PeriodKind, now: Dayjs = dayjs()): string {
  return periodLabel(kind, now);
}
