import { describe, expect, it } from 'vitest';

import type { PipelineBoard } from '../../api/types';
import { firstMonth, forecastStart, mainCurrency, openStageTotals, revenueYear } from './data';

function column(id: string, kind: 'open' | 'won' | 'lost', count: number, totals: [string, string, string][]) {
  return {
    stage: { id, kind, name_zh: `阶段${id}`, name_en: `Stage ${id}`, pipeline_id: 'p', position: Number(id), probability: 10, rotting_days: null, version: 1 },
    count,
    deals: [],
    has_more: false,
    next_cursor: null,
    totals: totals.map(([currency, amount, weighted_amount]) => ({ currency, amount, weighted_amount, count: 1 })),
  };
}

describe('dashboard data', () => {
  it('shows the base currency when present, else the one most deals are in', () => {
    expect(mainCurrency([{ currency: 'USD', count: 9 }, { currency: 'CNY', count: 1 }])).toBe('CNY');
    expect(mainCurrency([{ currency: 'USD', count: 2 }, { currency: 'EUR', count: 3 }, { currency: 'USD', count: 2 }])).toBe('USD');
    expect(mainCurrency([])).toBe('CNY');
  });

  it('takes the open columns of a board in one currency, counting every deal', () => {
    const board = {
      pipeline_id: 'p',
      closed_since: '2026-11-01T00:00:00Z',
      columns: [
        column('1', 'open', 3, [['CNY', '30000.00', '3000.00'], ['USD', '500.00', '50.00']]),
        column('2', 'open', 0, []),
        column('3', 'won', 7, [['CNY', '99999.00', '99999.00']]),
      ],
    } as unknown as PipelineBoard;
    expect(openStageTotals(board)).toEqual({
      currency: 'CNY',
      deals: 3,
      stages: [
        { name_zh: '阶段1', name_en: 'Stage 1', count: 3, amount: '30000.00', weighted: '3000.00' },
        { name_zh: '阶段2', name_en: 'Stage 2', count: 0, amount: '0.00', weighted: '0.00' },
      ],
    });
  });

  it('picks the revenue year and the forecast start from the period', () => {
    expect(revenueYear('2026-12')).toBe('2026');
    expect(revenueYear('2027-Q1')).toBe('2027');
    expect(revenueYear('2026')).toBe('2026');
    expect(firstMonth('2026-Q4')).toBe('2026-10');
    expect(firstMonth('2026')).toBe('2026-01');
    expect(firstMonth('2026-12')).toBe('2026-12');
    // the forecast looks ahead from today within the current period
    expect(forecastStart('2026', '2026-12-01')).toBe('2026-12');
    expect(forecastStart('2026-Q4', '2026-11-15')).toBe('2026-11');
    expect(forecastStart('2026-Q3', '2026-11-15')).toBe('2026-07');
    expect(forecastStart('2027', '2026-11-15')).toBe('2027-01');
  });
});
