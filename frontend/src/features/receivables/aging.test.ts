import { describe, expect, it } from 'vitest';

import type { AgingBuckets, CashInCalendar } from '../../api/types';
import { bucketBars, bucketOf, cashInRows } from './aging';
import { formatRate, rateBasisPoints, taxIncluded } from './invoice';

describe('aging chart', () => {
  const buckets: AgingBuckets = {
    currency: 'CNY',
    current: '60000.00',
    days_1_30: '21000.00',
    days_31_60: '0.00',
    days_61_90: '0.00',
    days_over_90: '9000.00',
    total: '90000.00',
    installments: 3,
  };

  it('scales bars to the largest bucket and shows shares of the total', () => {
    const bars = bucketBars(buckets);
    expect(bars.map((b) => b.key)).toEqual(['current', 'days_1_30', 'days_31_60', 'days_61_90', 'days_over_90']);
    expect(bars.map((b) => b.length)).toEqual([100, 35, 0, 0, 15]);
    expect(bars.map((b) => b.share)).toEqual([66.7, 23.3, 0, 0, 10]);
  });

  it('puts days past due in the right bucket', () => {
    expect([0, 1, 30, 31, 60, 61, 90, 91].map(bucketOf)).toEqual([
      'current',
      'days_1_30',
      'days_1_30',
      'days_31_60',
      'days_31_60',
      'days_61_90',
      'days_61_90',
      'days_over_90',
    ]);
  });

  it('groups cash-in buckets by period, one bar per currency', () => {
    const calendar: CashInCalendar = {
      period: 'month',
      start: '2026-12-01',
      end: '2027-02-28',
      overdue: [],
      data: [
        { start: '2027-01-01', end: '2027-01-31', currency: 'CNY', amount: '500.00', installments: 1 },
        { start: '2026-12-01', end: '2026-12-31', currency: 'CNY', amount: '1000.00', installments: 2 },
        { start: '2026-12-01', end: '2026-12-31', currency: 'USD', amount: '10.00', installments: 1 },
      ],
    };
    const rows = cashInRows(calendar);
    expect(rows.map((r) => r.start)).toEqual(['2026-12-01', '2027-01-01']);
    expect(rows[0].amounts.map((a) => [a.currency, a.length])).toEqual([
      ['CNY', 100],
      ['USD', 100],
    ]);
    expect(rows[1].amounts[0].length).toBe(50);
  });
});

describe('invoice tax', () => {
  it('computes the tax inside a tax-inclusive amount, half up', () => {
    expect(taxIncluded('113.00', '0.13')).toBe('13.00');
    expect(taxIncluded('10000', '0.06')).toBe('566.04');
    expect(taxIncluded('100', '0')).toBe('0.00');
    expect(taxIncluded('1.00', '0.13')).toBe('0.12');
    expect(taxIncluded('x', '0.13')).toBeNull();
  });

  it('reads and shows rates', () => {
    expect(rateBasisPoints('0.1300')).toBe(1300n);
    expect(rateBasisPoints('1')).toBeNull();
    expect(formatRate('0.13')).toBe('13%');
    expect(formatRate('0.0550')).toBe('5.5%');
    expect(formatRate('0')).toBe('0%');
  });
});
