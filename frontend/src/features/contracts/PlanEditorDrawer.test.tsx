import { fireEvent, screen, waitFor } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { Contract, Installment } from '../../api/types';
import { json, mockApi, problem } from '../../test/fetchMock';
import { renderAt } from '../../test/render';
import { PlanEditorDrawer } from './PlanEditorDrawer';

const zero = '0.00';
const contract: Contract = {
  id: 'c1',
  number: 'HT-2026-0001',
  title: '年度服务',
  customer_id: 'cu1',
  customer_name: '星辰贸易',
  opportunity_id: null,
  owner_id: 'u1',
  amount: '90000.00',
  currency: 'CNY',
  signed_on: null,
  starts_on: null,
  ends_on: null,
  status: 'active',
  submitted_at: null,
  submitted_by: null,
  decided_at: null,
  decided_by: null,
  decision_comment: null,
  terminated_at: null,
  termination_reason: null,
  notes: null,
  totals: {
    planned: '60000.00',
    received: zero,
    allocated: zero,
    credit: zero,
    outstanding: '60000.00',
    overdue: zero,
    invoiced: zero,
    invoice_requested: zero,
  },
  created_at: '2026-11-01T00:00:00Z',
  updated_at: '2026-11-01T00:00:00Z',
  version: 4,
};

const installment: Installment = {
  id: 'i1',
  contract_id: 'c1',
  contract_number: 'HT-2026-0001',
  customer_id: 'cu1',
  customer_name: '星辰贸易',
  owner_id: 'u1',
  currency: 'CNY',
  number: 1,
  due_date: '2026-12-01',
  amount: '60000.00',
  paid: zero,
  outstanding: '60000.00',
  status: 'pending',
  days_overdue: 0,
  note: null,
  voided_at: null,
  void_reason: null,
  updated_at: '2026-11-01T00:00:00Z',
  version: 1,
};

describe('PlanEditorDrawer', () => {
  it('shows the live difference and explains a refused plan with its amounts', async () => {
    const { calls } = mockApi({
      'PUT /contracts/c1/payment-plan': () =>
        problem(422, 'plan_sum_mismatch', 'Unprocessable', {
          planned: '60000.00',
          contract_amount: '90000.00',
          difference: '-30000.00',
        }),
    });
    const onClose = vi.fn();
    renderAt(<PlanEditorDrawer contract={contract} installments={[installment]} onClose={onClose} />);

    expect(await screen.findByTestId('plan-difference')).toHaveTextContent('比合同金额少 ¥30,000.00');
    expect(screen.getByTestId('plan-sum')).toHaveTextContent('¥60,000.00');

    fireEvent.click(screen.getByTestId('plan-save'));
    expect(await screen.findByTestId('plan-error')).toHaveTextContent(
      '各期合计 ¥60,000.00，合同金额 ¥90,000.00，相差 ¥30,000.00。',
    );
    const sent = calls.find((r) => r.method === 'PUT')!;
    expect(sent.headers.get('If-Match')).toBe('W/"4"');
    expect(await sent.json()).toEqual({ installments: [{ id: 'i1', due_date: '2026-12-01', amount: '60000.00', note: null }] });
    expect(onClose).not.toHaveBeenCalled();
  });

  it('adds a row for what is missing and saves a plan that adds up', async () => {
    const { calls } = mockApi({
      'PUT /contracts/c1/payment-plan': () =>
        json({
          contract_id: 'c1',
          currency: 'CNY',
          contract_amount: '90000.00',
          planned: '90000.00',
          paid: zero,
          outstanding: '90000.00',
          installments: [installment],
        }),
    });
    const onClose = vi.fn();
    renderAt(<PlanEditorDrawer contract={contract} installments={[installment]} onClose={onClose} />);

    fireEvent.click(await screen.findByTestId('plan-add'));
    expect(screen.getByTestId('plan-difference')).toHaveTextContent('与合同金额一致');
    fireEvent.click(screen.getByTestId('plan-save'));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    const body = (await calls.find((r) => r.method === 'PUT')!.json()) as { installments: { amount: string; id?: string }[] };
    expect(body.installments.map((i) => [i.id ?? 'new', i.amount])).toEqual([
      ['i1', '60000.00'],
      ['new', '30000.00'],
    ]);
  });
});
