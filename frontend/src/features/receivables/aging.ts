/** Aging buckets and cash-in periods as the charts draw them (shares worked out in cents). */
import type { AgingBuckets, CashInCalendar } from '../../api/types';
import { fromCents, percentOf, toCents } from '../contracts/money';

export const BUCKETS = ['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90'] as const;
export type BucketKey = (typeof BUCKETS)[number];

export const BUCKET_COLORS: Record<BucketKey, string> = {
  current: '#52c41a',
  days_1_30: '#faad14',
  days_31_60: '#fa8c16',
  days_61_90: '#f5222d',
  days_over_90: '#a8071a',
};

export interface BucketBar {
  key: BucketKey;
  amount: string;
  /** Share of the largest bucket, 0–100: the bar's length. */
  length: number;
  /** Share of the total, 0–100. */
  share: number;
}

/** One bar per bucket, scaled to the largest so the tallest fills the chart. */
export function bucketBars(buckets: AgingBuckets): BucketBar[] {
  const largest = BUCKETS.reduce((max, key) => {
    const cents = toCents(buckets[key]) ?? 0n;
    return cents > max ? cents : max;
  }, 0n);
  const largestText = fromCents(largest);
  return BUCKETS.map((key) => ({
    key,
    amount: buckets[key],
    length: largest > 0n ? percentOf(buckets[key], largestText) : 0,
    share: percentOf(buckets[key], buckets.total),
  }));
}

/** The bucket an installment `daysOverdue` days past its due date falls in. */
export function bucketOf(daysOverdue: number): BucketKey {
  if (daysOverdue <= 0) return 'current';
  if (daysOverdue <= 30) return 'days_1_30';
  if (daysOverdue <= 60) return 'days_31_60';
  if (daysOverdue <= 90) return 'days_61_90';
  return 'days_over_90';
}

export interface CashInRow {
  start: string;
  end: string;
  /** One entry per currency due in the period. */
  amounts: { currency: string; amount: string; installments: number; length: number }[];
}

/** Cash-in periods with their bars, each scaled to the largest period of the same currency. */
export function cashInRows(calendar: CashInCalendar): CashInRow[] {
  const largest = new Map<string, bigint>();
  for (const bucket of calendar.data) {
    const cents = toCents(bucket.amount) ?? 0n;
    if (cents > (largest.get(bucket.currency) ?? 0n)) largest.set(bucket.currency, cents);
  }
  const rows = new Map<string, CashInRow>();
  for (const bucket of calendar.data) {
    const row = rows.get(bucket.start) ?? { start: bucket.start, end: bucket.end, amounts: [] };
    const max = largest.get(bucket.currency) ?? 0n;
    row.amounts.push({
      currency: bucket.currency,
      amount: bucket.amount,
      installments: bucket.installments,
      length: max > 0n ? percentOf(bucket.amount, fromCents(max)) : 0,
    });
    rows.set(bucket.start, row);
  }
  return [...rows.values()].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
}
