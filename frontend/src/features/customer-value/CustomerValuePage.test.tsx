import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { SessionContext } from '../auth';
import { json, mockApi } from '../../test/fetchMock';
import { makeTeam, makeUser, me, page } from '../../test/fixtures';
import { renderRoutes } from '../../test/render';
import type { ChurnRisk, KeyAccount, Pareto, RfmDistribution } from './api';
import CustomerValuePage from './CustomerValuePage';
import { defaults } from './testData';

const distribution: RfmDistribution = {
  computed_at: '2026-06-14T18:17:05Z',
  as_of: '2026-06-15',
  settings: { sources: ['orders', 'payments'], window_days: 365, currency: 'CNY', weights: { r: 4, f: 8, m: 8 }, score_min: 20, score_max: 100 },
  customers: 6,
  cube: [
    { r: 5, f: 4, m: 4, customers: 1, amount: '20000.00' },
    { r: 1, f: 1, m: 1, customers: 5, amount: '0.00' },
  ],
  tiers: defaults.tiers.map((t) => ({ ...t, customers: t.key === 'vip' ? 1 : t.key === 'dormant' ? 5 : 0, amount: t.key === 'vip' ? '20000.00' : '0.00' })),
};

const pareto: Pareto = {
  period: '2026-Q2',
  currency: 'CNY',
  total: '38500.00',
  customers: 4,
  top_percent: 20,
  top_customers: 1,
  top_amount: '30000.00',
  top_share: '77.92',
  curve: [
    { customer_share: '0.00', revenue_share: '0.00' },
    { customer_share: '20.00', revenue_share: '77.92' },
    { customer_share: '100.00', revenue_share: '100.00' },
  ],
};

const account: KeyAccount = {
  customer_id: 'c-c',
  name: '华南机械',
  owner_id: 'u1',
  rank: 1,
  revenue: '30000.00',
  share: '77.92',
  cumulative_share: '77.92',
  tier: 'key',
};

const risk: ChurnRisk = {
  customer_id: 'c-b',
  name: 'Redwood Ltd',
  owner_id: 'u1',
  tier: 'key',
  score: 72,
  reasons: ['overdue_vs_own_gap'],
  last_purchase_on: '2026-04-01',
  days_since_purchase: 75,
  median_gap_days: '31.0',
  overdue_after_days: '62.0',
  last_followed_at: '2026-06-01T04:00:00Z',
  days_since_follow_up: 14,
};

function mockAll() {
  return mockApi({
    'GET /settings/rfm': () => json(defaults),
    'GET /users': () => json(page([makeUser()])),
    'GET /teams': () => json(page([makeTeam()])),
    'GET /analytics/rfm': () => json(distribution),
    'GET /analytics/pareto': () => json(pareto),
    'GET /analytics/key-accounts': () => json(page([account])),
    'GET /analytics/churn-risk': () => json(page([risk])),
  });
}

function show(path: string) {
  const element = (
    <SessionContext.Provider value={me}>
      <CustomerValuePage />
    </SessionContext.Provider>
  );
  return renderRoutes([{ path: '/analytics/customer-value/:tab', element }], path);
}

describe('CustomerValuePage', () => {
  it('draws the R × F heatmap and the tiers of the team in the URL', { timeout: 60_000 }, async () => {
    const { calls } = mockAll();
    show('/analytics/customer-value/rfm?team=t1');
    const heatmap = await screen.findByTestId('rfm-heatmap');
    await waitFor(() => expect(heatmap).toHaveAttribute('data-state', 'ready'));
    expect(within(heatmap).getByTestId('chart-rfm-heatmap')).toHaveAttribute('aria-label', 'R × F 热力图');
    const tiers = screen.getByTestId('rfm-tiers');
    expect(within(tiers).getAllByTestId('rfm-tier-tag')[0]).toHaveTextContent('VIP 客户');
    expect(within(tiers).getByText('¥20,000.00')).toBeInTheDocument();
    const call = calls.find((c) => c.url.includes('/analytics/rfm'));
    expect(new URL(call!.url).searchParams.get('team_id')).toBe('t1');
  });

  it('shows the Pareto head and the key accounts of the period', { timeout: 60_000 }, async () => {
    const { calls } = mockAll();
    show('/analytics/customer-value/pareto?period=2026-Q2');
    expect(await screen.findByTestId('pareto-top-share')).toHaveTextContent('77.92%');
    const accounts = screen.getByTestId('key-accounts');
    expect(await within(accounts).findByText('华南机械')).toBeInTheDocument();
    expect(within(accounts).getByText('¥30,000.00')).toBeInTheDocument();
    const call = calls.find((c) => c.url.includes('/analytics/pareto'));
    expect(new URL(call!.url).searchParams.get('period')).toBe('2026-Q2');
  });

  it('lists churn risks with their reasons and numbers', { timeout: 60_000 }, async () => {
    mockAll();
    show('/analytics/customer-value/churn');
    const list = await screen.findByTestId('churn-risk');
    expect(await within(list).findByText('Redwood Ltd')).toBeInTheDocument();
    expect(within(list).getByText('超期未购')).toBeInTheDocument();
    expect(within(list).getByText('距上次购买 75 天；通常每 31.0 天购买一次（上限 62.0 天）')).toBeInTheDocument();
  });
});
