/**
 * The rows of a report as people read them: counts as whole numbers, money one line per
 * currency (never added across currencies), in a fixed order.
 */
import { formatMoney } from '../contracts/money';
import type { ReportMetrics, ReportMoney } from './types';

export const COUNT_KEYS = [
  'new_customers',
  'new_leads',
  'follow_ups',
  'visits',
  'deals_created',
  'deals_won',
  'deals_lost',
  'tickets_created',
  'tickets_resolved',
] as const;
export const MONEY_KEYS = ['won_amount', 'lost_amount', 'payments_received', 'overdue_receivables'] as const;

export type CountKey = (typeof COUNT_KEYS)[number];
export type MoneyKey = (typeof MONEY_KEYS)[number];
export type MetricKey = CountKey | MoneyKey;

/** The order the viewer shows the numbers in (each amount after its count). */
export const ORDER: readonly MetricKey[] = [
  'new_customers',
  'new_leads',
  'follow_ups',
  'visits',
  'deals_created',
  'deals_won',
  'won_amount',
  'deals_lost',
  'lost_amount',
  'payments_received',
  'overdue_receivables',
  'tickets_created',
  'tickets_resolved',
];

export function isMoney(key: MetricKey): key is MoneyKey {
  return (MONEY_KEYS as readonly string[]).includes(key);
}

/** "¥5,000.00 (1) · $1,000.00 (1)", or "—" when there is nothing. */
export function moneyText(amounts: readonly ReportMoney[]): string {
  if (amounts.length === 0) return '—';
  return amounts.map((m) => `${formatMoney(m.amount, m.currency)} (${m.count})`).join(' · ');
}

export interface MetricLine {
  key: MetricKey;
  value: string;
}

/** Every number of a report, in order, as text. */
export function metricLines(metrics: ReportMetrics): MetricLine[] {
  return ORDER.map((key) => ({ key, value: isMoney(key) ? moneyText(metrics[key]) : String(metrics[key]) }));
}

/** The currencies a money measure appears in across the rows (for per-currency columns). */
export function currenciesOf(rows: readonly ReportMetrics[], key: MoneyKey): string[] {
  return [...new Set(rows.flatMap((r) => r[key].map((m) => m.currency)))].sort();
}

/** The amount of one currency in a row ("0.00" when absent). */
export function amountIn(row: ReportMetrics, key: MoneyKey, currency: string): string {
  return row[key].find((m) => m.currency === currency)?.amount ?? '0.00';
}
