import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';

import type { Installment } from '../../api/types';
import { absorbDifference, belowPaid, evenPlan, planBody, rowsFromPlan, splitRest, summarizePlan } from './plan';

function installment(partial: Partial<Installment>): Installment {
  return {
    id: 'i1',
    contract_id: 'c1',
    contract_number: 'HT-2026-0001',
    customer_id: 'cu1',
    customer_name: '星辰贸易',
    owner_id: null,
    currency: 'CNY',
    number: 1,
    due_date: '2026-12-01',
    amount: '100.00',
    paid: '0.00',
    outstanding: '100.00',
    status: 'pending',
    days_overdue: 0,
    note: null,
    voided_at: null,
    void_reason: null,
    updated_at: '2026-11-01T00:00:00Z',
    version: 1,
    ...partial,
  };
}

describe('payment plan editor', () => {
  it('compares the live sum with the contract amount', () => {
    expect(summarizePlan([{ amount: '30000' }, { amount: '30000' }], '90000.00')).toEqual({
      planned: '60000.00',
      difference: '-30000.00',
      matches: false,
    });
    expect(summarizePlan([{ amount: '45000.5' }, { amount: '44999.50' }], '90000')).toMatchObject({ matches: true, difference: '0.00' });
    expect(summarizePlan([{ amount: '100000' }], '90000')).toMatchObject({ difference: '10000.00', matches: false });
  });

  it('builds even installments one step apart that add up exactly', () => {
    const rows = evenPlan('100000.00', 3, dayjs('2026-01-31'), 1);
    expect(rows.map((r) => r.amount)).toEqual(['33333.33', '33333.33', '33333.34']);
    expect(rows.map((r) => r.due_date?.format('YYYY-MM-DD'))).toEqual(['2026-01-31', '2026-02-28', '2026-03-31']);
    expect(summarizePlan(rows, '100000').matches).toBe(true);
  });

  it('keeps existing installments by id and leaves void ones out', () => {
    const rows = rowsFromPlan([
      installment({ id: 'a', amount: '60.00', paid: '10.00' }),
      installment({ id: 'b', status: 'void' }),
    ]);
    expect(rows).toHaveLength(1);
    expect(planBody(rows)).toEqual({ installments: [{ id: 'a', due_date: '2026-12-01', amount: '60.00', note: null }] });
  });

  it('sends new rows without an id, amounts normalised, blank notes as null', () => {
    const body = planBody([{ key: 'k', due_date: dayjs('2027-01-15'), amount: '1200', note: '  ' }]);
    expect(body.installments[0]).toEqual({ due_date: '2027-01-15', amount: '1200.00', note: null });
  });

  it('flags an amount below what was already paid', () => {
    expect(belowPaid({ key: 'a', due_date: null, amount: '5', paid: '10.00' })).toBe(true);
    expect(belowPaid({ key: 'a', due_date: null, amount: '10', paid: '10.00' })).toBe(false);
    expect(belowPaid({ key: 'a', due_date: null, amount: '1' })).toBe(false);
  });

  it('puts the difference on the last row', () => {
    const fixed = absorbDifference(
      [
        { key: 'a', due_date: null, amount: '300' },
        { key: 'b', due_date: null, amount: '300' },
      ],
      '1000',
    );
    expect(fixed.map((r) => r.amount)).toEqual(['300', '700.00']);
  });

  it('splits what paid installments leave, keeping them', () => {
    const rows = splitRest(
      [
        { key: 'a', id: 'a', due_date: dayjs('2026-01-01'), amount: '400.00', paid: '400.00' },
        { key: 'b', id: 'b', due_date: dayjs('2026-02-01'), amount: '600.00', paid: '0.00' },
      ],
      '1000.00',
      3,
      dayjs('2026-03-01'),
    );
    expect(rows.map((r) => r.id ?? 'new')).toEqual(['a', 'new', 'new', 'new']);
    expect(rows.map((r) => r.amount)).toEqual(['400.00', '200.00', '200.00', '200.00']);
  });
});
