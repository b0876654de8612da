/** Shaping API answers for the dashboard's charts (pure, tested on their own). */
import type { PipelineBoard } from '../../api/types';
import dayjs from 'dayjs';

import { dayOf, kindOf, periodLabel } from '../../components/analytics';
import type { StageTotal } from './options';

/** The workspace's base currency: charts show it when amounts come in several. */
export const BASE_CURRENCY = 'CNY';

/** The currency a chart of mixed amounts shows: the base one if present, else the most used. */
export function mainCurrency(counts: readonly { currency: string; count: number }[]): string {
  if (counts.some((c) => c.currency === BASE_CURRENCY)) return BASE_CURRENCY;
  const byCurrency = new Map<string, number>();
  for (const { currency, count } of counts) byCurrency.set(currency, (byCurrency.get(currency) ?? 0) + count);
  let best = BASE_CURRENCY;
  let most = -1;
  for (const [currency, count] of byCurrency) {
    if (count > most) [best, most] = [currency, count];
  }
  return best;
}

/** Open columns of a board as stage totals in one currency (deals in others only counted). */
export function openStageTotals(board: PipelineBoard): { currency: string; stages: StageTotal[]; deals: number } {
  const open = board.columns.filter((column) => column.stage.kind === 'open');
  const currency = mainCurrency(open.flatMap((column) => column.totals));
  const stages = open.map((column) => {
    const total = column.totals.find((t) => t.currency === currency);
    return {
      name_zh: column.stage.name_zh,
      name_en: column.stage.name_en,
      count: column.count,
      amount: total?.amount ?? '0.00',
      weighted: total?.weighted_amount ?? '0.00',
    };
  });
  return { currency, stages, deals: open.reduce((sum, column) => sum + column.count, 0) };
}

/** The revenue trend of a period: its whole year, month by month (a trend needs months). */
export function revenueYear(period: string): string {
  return String(dayOf(period).year());
}

/** The first month (YYYY-MM) of a period: where the forecast starts. */
export function firstMonth(period: string): string {
  return dayOf(period).format('YYYY-MM');
}

/**
 * Where the forecast starts: the current month when the period holds today (what is still
 * to come), else the period's first month.
 */
export function forecastStart(period: string, today: string): string {
  return periodLabel(kindOf(period), dayjs(today)) === period ? today.slice(0, 7) : firstMonth(period);
}
