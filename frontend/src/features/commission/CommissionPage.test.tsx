import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { me, page } from '../../test/fixtures';
import { json, mockApi, problem } from '../../test/fetchMock';
import { renderAt } from '../../test/render';
import { SessionContext } from '../auth';
import type { CommissionPayment, CommissionPlan, CommissionStatement } from './api';
import CommissionPage from './CommissionPage';
import { formatRate } from './format';

const statement: CommissionStatement = {
  user_id: 'u-li',
  user_name: '李雷',
  team_id: 't-e',
  team_name: '华东销售部',
  period: '2026-03',
  plan_id: 'p1',
  plan_name: '标准提成方案',
  currency: 'CNY',
  payments: 2,
  payments_base: '3500.00',
  gross_commission: '114.50',
  target: '5000.00',
  attainment_percent: '70.00',
  multiplier: '1.0000',
  commission: '114.50',
};

const payment: CommissionPayment = {
  payment_id: 'pay1',
  received_on: '2026-03-05',
  amount: '1000.01',
  currency: 'CNY',
  contract_id: 'c1',
  contract_number: 'HT-2026-0001',
  customer_id: 'cu1',
  customer_name: '上海浦江机电',
  tier: 'vip',
  installments: [1, 2],
  lines: [
    { category: '硬件', base: '300.01', rate: '1.5000', rule: 'category', commission: '4.50' },
    { category: '服务', base: '300.00', rate: '5.0000', rule: 'rfm_tier', commission: '15.00' },
    { category: null, base: '400.00', rate: '5.0000', rule: 'rfm_tier', commission: '20.00' },
  ],
  commission: '39.50',
};

const plan: CommissionPlan = {
  id: 'p1',
  name: '标准提成方案',
  currency: 'CNY',
  base_rate: '3.0000',
  rules: [{ match: 'category', value: '硬件', rate: '1.5000' }],
  attainment_tiers: [
    { min_attainment: '0.00', multiplier: '0.5000' },
    { min_attainment: '100.00', multiplier: '1.2500' },
  ],
  team_id: null,
  priority: 100,
  active: true,
  notes: null,
  created_at: '2026-03-01T00:00:00Z',
  updated_at: '2026-03-01T00:00:00Z',
  version: 1,
};

function show() {
  return renderAt(
    <SessionContext.Provider value={me}>
      <CommissionPage />
    </SessionContext.Provider>,
    '/analytics/commission?period=2026-03',
  );
}

describe('CommissionPage', () => {
  it('lists statements and opens one down to the lines of each payment', { timeout: 60_000 }, async () => {
    mockApi({
      'GET /commission/statements': () => json(page([statement])),
      'GET /commission/statements/u-li/payments': () => json(page([payment])),
    });
    show();

    const table = await screen.findByTestId('statements-table');
    expect(await within(table).findByText('¥114.50')).toBeInTheDocument();
    expect(within(table).getByText('70.00%')).toBeInTheDocument();
    fireEvent.click(within(table).getByRole('button', { name: '李雷' }));

    const drawer = await screen.findByTestId('statement-drawer');
    expect(within(drawer).getByTestId('statement-commission')).toHaveTextContent('¥114.50');
    const lines = await within(drawer).findByTestId('payment-lines-pay1');
    expect(within(lines).getByText('¥300.01')).toBeInTheDocument();
    expect(within(lines).getByText('1.5%')).toBeInTheDocument();
    expect(within(lines).getByText('未分类')).toBeInTheDocument();
    expect(within(lines).getAllByText('RFM 等级')).toHaveLength(2);
    expect(within(drawer).getByText('第1期、第2期')).toBeInTheDocument();
    expect(within(drawer).getByText('¥39.50')).toBeInTheDocument();
  });

  it('edits a plan and puts a refusal on the offending tier', { timeout: 60_000 }, async () => {
    const patched: unknown[] = [];
    mockApi({
      'GET /commission/statements': () => json(page([])),
      'GET /commission/plans': () => json(page([plan])),
      'GET /teams': () => json(page([])),
      'PATCH /commission/plans/p1': async (request) => {
        patched.push({ body: (await request.clone().json()) as unknown, ifMatch: request.headers.get('If-Match') });
        return problem(422, 'tiers_not_ascending', 'Invalid commission plan', {
          errors: [{ field: 'body.attainment_tiers.1.min_attainment', message: 'must be above 0.00' }],
        });
      },
    });
    show();
    fireEvent.click(await screen.findByRole('tab', { name: '提成方案' }));
    const plans = await screen.findByTestId('plans-table');
    expect(await within(plans).findByText('≥0% ×0.5 · ≥100% ×1.25')).toBeInTheDocument();
    fireEvent.click(within(plans).getByRole('button', { name: '编辑' }));
    const form = await screen.findByTestId('plan-form');
    const rate = within(form).getByTestId('plan-base-rate');
    fireEvent.change(rate.tagName === 'INPUT' ? rate : rate.querySelector('input')!, { target: { value: '2.5' } });
    fireEvent.click(screen.getByTestId('plan-submit'));

    expect(await within(form).findByText('must be above 0.00')).toBeInTheDocument();
    await waitFor(() => expect(patched).toHaveLength(1));
    expect(patched[0]).toEqual({
      ifMatch: 'W/"1"',
      body: {
        name: '标准提成方案',
        currency: 'CNY',
        base_rate: '2.5',
        rules: [{ match: 'category', value: '硬件', rate: '1.5' }],
        attainment_tiers: [
          { min_attainment: '0', multiplier: '0.5' },
          { min_attainment: '100', multiplier: '1.25' },
        ],
        team_id: null,
        priority: 100,
        active: true,
        notes: null,
      },
    });
  });

  it('shows rates without trailing zeros', () => {
    expect(['3.0000', '1.2500', '0.0000', '100.0000', '12'].map(formatRate)).toEqual(['3', '1.25', '0', '100', '12']);
  });
});
