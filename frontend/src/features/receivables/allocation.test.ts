import { describe, expect, it } from 'vitest';

import type { Installment } from '../../api/types';
import { allocateOldestFirst, checkManual, openInstallments, outstandingTotal } from './allocation';

function inst(id: string, number: number, due: string, amount: string, paid = '0.00', status: Installment['status'] = 'pending'): Installment {
  const cents = Math.round(Number(amount) * 100) - Math.round(Number(paid) * 100);
  return {
    id,
    contract_id: 'c',
    contract_number: 'HT-2026-0001',
    customer_id: 'cu',
    customer_name: null,
    owner_id: null,
    currency: 'CNY',
    number,
    due_date: due,
    amount,
    paid,
    outstanding: status === 'void' ? '0.00' : (cents / 100).toFixed(2),
    status,
    days_overdue: 0,
    note: null,
    voided_at: null,
    void_reason: null,
    updated_at: '',
    version: 1,
  };
}

const plan = [
  inst('c', 3, '2027-02-01', '30000.00'),
  inst('a', 1, '2026-11-01', '30000.00', '0.00', 'overdue'),
  inst('b', 2, '2026-12-01', '30000.00', '10000.00', 'partially_paid'),
  inst('v', 4, '2026-10-01', '500.00', '0.00', 'void'),
  inst('p', 5, '2026-09-01', '100.00', '100.00', 'paid'),
];

describe('allocation preview', () => {
  it('lists open installments oldest first, without void or paid ones', () => {
    expect(openInstallments(plan).map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(outstandingTotal(plan)).toBe('80000.00');
  });

  it('fills the oldest installment first', () => {
    expect(allocateOldestFirst(plan, '9000')).toEqual({
      lines: [{ installment_id: 'a', amount: '9000.00' }],
      allocated: '9000.00',
      unallocated: '0.00',
    });
    expect(allocateOldestFirst(plan, '45000.50').lines).toEqual([
      { installment_id: 'a', amount: '30000.00' },
      { installment_id: 'b', amount: '15000.50' },
    ]);
  });

  it('leaves what exceeds the outstanding amount unallocated (credit)', () => {
    const preview = allocateOldestFirst(plan, '80000.01');
    expect(preview.allocated).toBe('80000.00');
    expect(preview.unallocated).toBe('0.01');
  });

  it('allocates nothing for a blank or invalid amount', () => {
    expect(allocateOldestFirst(plan, null).lines).toEqual([]);
    expect(allocateOldestFirst(plan, 'x').lines).toEqual([]);
  });

  it('checks a manual allocation against the payment and each installment', () => {
    const ok = checkManual(plan, { c: '100', a: '200.5', b: '' }, '300.50');
    expect(ok.lines).toEqual([
      { installment_id: 'a', amount: '200.50' },
      { installment_id: 'c', amount: '100.00' },
    ]);
    expect(ok.remaining).toBe('0.00');
    expect(ok.overPayment).toBe(false);

    const over = checkManual(plan, { b: '20000.01' }, '100');
    expect(over.overInstallment).toEqual(['b']);
    expect(over.overPayment).toBe(true);
    expect(over.remaining).toBe('-19900.01');
  });
});
