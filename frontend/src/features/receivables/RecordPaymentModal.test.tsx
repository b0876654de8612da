import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { Contract, Installment } from '../../api/types';
import { json, mockApi, problem } from '../../test/fetchMock';
import { renderAt } from '../../test/render';
import { RecordPaymentModal } from './RecordPaymentModal';

const zero = '0.00';
const contract = {
  id: 'c1',
  number: 'HT-2026-0001',
  customer_name: '星辰贸易',
  amount: '90000.00',
  currency: 'CNY',
  status: 'active',
  version: 3,
} as Contract;

function installment(id: string, number: number, due: string, outstanding: string, status: Installment['status']): Installment {
  return {
    id,
    contract_id: 'c1',
    contract_number: 'HT-2026-0001',
    customer_id: 'cu1',
    customer_name: '星辰贸易',
    owner_id: null,
    currency: 'CNY',
    number,
    due_date: due,
    amount: '30000.00',
    paid: zero,
    outstanding,
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
  installment('i2', 2, '2026-12-20', '30000.00', 'pending'),
  installment('i1', 1, '2026-11-20', '30000.00', 'overdue'),
];

describe('RecordPaymentModal', () => {
  it('previews the oldest-first allocation and translates a refusal onto the amount field', async () => {
    mockApi({
      'POST /payments': () =>
        problem(409, 'exceeds_outstanding', 'More than is outstanding', {
          errors: [{ field: 'body.amount', message: 'outstanding is 60000.00' }],
          outstanding: '60000.00',
        }),
    });
    renderAt(<RecordPaymentModal contract={contract} installments={plan} onClose={vi.fn()} />);

    const form = await screen.findByTestId('payment-form');
    fireEvent.change(within(form).getByRole('spinbutton'), { target: { value: '35000' } });
    expect(await screen.findByTestId('allocation-preview')).toHaveTextContent('第1期 ¥30,000.00、第2期 ¥5,000.00');

    fireEvent.change(within(form).getByRole('spinbutton'), { target: { value: '70000' } });
    expect(await screen.findByText('未回款仅 ¥60,000.00。勾选多收款可把多出部分记为余额。')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('payment-submit'));
    expect(await screen.findByText('未回款仅 ¥60,000.00；勾选“多收款”可把多出部分记为余额。')).toBeInTheDocument();
  });

  it("shows the server's allocation once the payment is recorded", async () => {
    const { calls } = mockApi({
      'POST /payments': () =>
        json(
          {
            id: 'p1',
            contract_id: 'c1',
            contract_number: 'HT-2026-0001',
            customer_id: 'cu1',
            customer_name: '星辰贸易',
            amount: '9000.00',
            currency: 'CNY',
            received_on: '2026-11-30',
            method: 'alipay',
            reference: null,
            overpayment: false,
            allocated: '9000.00',
            credit: zero,
            allocations: [{ installment_id: 'i1', installment_number: 1, due_date: '2026-11-20', amount: '9000.00' }],
            voided_at: null,
            void_reason: null,
            notes: null,
            created_by: null,
            created_at: '2026-11-30T08:00:00Z',
            version: 1,
          },
          201,
        ),
    });
    renderAt(<RecordPaymentModal contract={contract} installments={plan} onClose={vi.fn()} />);

    const form = await screen.findByTestId('payment-form');
    fireEvent.change(within(form).getByRole('spinbutton'), { target: { value: '9000' } });
    fireEvent.click(screen.getByTestId('payment-submit'));
    const result = await screen.findByTestId('payment-result');
    expect(result).toHaveTextContent('第1期');
    expect(result).toHaveTextContent('¥9,000.00');
    const body = (await calls.find((r) => r.method === 'POST')!.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ contract_id: 'c1', amount: '9000.00', currency: 'CNY', method: 'bank_transfer', overpayment: false });
    expect(body).not.toHaveProperty('allocations');
  });
});
