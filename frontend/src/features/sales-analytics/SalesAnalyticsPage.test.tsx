import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { makeTeam, makeUser, page } from '../../test/fixtures';
import { json, mockApi } from '../../test/fetchMock';
import { renderAt } from '../../test/render';
import SalesAnalyticsPage from './SalesAnalyticsPage';
import type { Coverage, Forecast, Funnel, StaleDeal } from './types';

const funnel: Funnel = {
  pipeline_id: 'p1',
  period: '2026-11',
  definition: 'cohort',
  stages: [
    { stage_id: 's0', name_zh: '初步接洽', name_en: 'Initial contact', position: 0, kind: 'open', entered: 8, advanced: 6, conversion_rate: '75.00' },
    { stage_id: 'w', name_zh: '赢单', name_en: 'Won', position: 4, kind: 'won', entered: 3, advanced: null, conversion_rate: null },
  ],
  created: 8,
  won: 3,
  lost: 2,
  open: 3,
  win_rate: '60.00',
  overall_conversion: '37.50',
  won_amount: [
    { currency: 'CNY', amount: '15000.00' },
    { currency: 'USD', amount: '1000.00' },
  ],
  avg_cycle_days: '15.2',
};

const coverage: Coverage = {
  period: '2026-11',
  currency: 'CNY',
  as_of: '2026-12-02',
  target: '40000.00',
  target_subject_kind: 'workspace',
  target_subject_id: null,
  won: '1500.00',
  remaining: '38500.00',
  open_amount: '35678.96',
  weighted: '20209.87',
  open_deals: 3,
  coverage: '0.93',
  weighted_coverage: '0.52',
};

const forecast: Forecast = {
  currency: 'CNY',
  commit_probability: 75,
  target_subject_kind: 'workspace',
  target_subject_id: null,
  months: [{ month: '2026-11', won: '21500.00', commit: '21500.00', best_case: '24500.00', weighted: '21800.00', open_deals: 1, target: '30000.00' }],
  past_due_open: { currency: 'CNY', amount: '6000.00', deals: 1 },
};

const stale: StaleDeal = {
  id: 'd13',
  name: '智能仓储试点',
  customer_id: 'c1',
  customer_name: '宁波甬江电器',
  owner_id: 'u-b',
  owner_name: '韩梅梅',
  pipeline_id: 'p1',
  stage_id: 's1',
  stage_name_zh: '需求确认',
  stage_name_en: 'Needs confirmed',
  amount: '999.99',
  currency: 'USD',
  probability: 30,
  expected_close_date: '2026-12-05',
  stage_entered_at: '2026-09-15T02:00:00Z',
  rotting_days: 14,
  days_in_stage: 78,
  days_overdue: 64,
};

function mockAll() {
  return mockApi({
    'GET /users': () => json(page([makeUser({ id: 'u-b', name: '韩梅梅', role: 'sales' })])),
    'GET /teams': () => json(page([makeTeam()])),
    'GET /pipelines': () => json(page([])),
    'GET /campaigns': () => json(page([])),
    'GET /analytics/funnel': () => json(funnel),
    'GET /analytics/coverage': () => json(coverage),
    'GET /analytics/forecast': () => json(forecast),
    'GET /analytics/sales-cycle': () =>
      json({ period: '2026-11', pipeline_id: 'p1', won_deals: 0, avg_days: null, median_days: null, min_days: null, max_days: null, stages: [] }),
    'GET /analytics/lost-reasons': () => json({ period: '2026-11', lost: 0, rows: [] }),
    'GET /analytics/campaign-roi': () =>
      json({
        period: '2026-11',
        rows: [
          {
            campaign_id: 'c1',
            name: '展会 2026',
            channel: null,
            status: 'completed',
            currency: 'CNY',
            actual_cost: '6000.00',
            leads: 2,
            deals: 3,
            won_deals: 2,
            won_amount: '15000.00',
            open_amount: '0.00',
            roi: '2.50',
          },
        ],
      }),
    'GET /analytics/stale-deals': () => json(page([stale])),
  });
}

describe('SalesAnalyticsPage', () => {
  it('shows every analytic of the period in the URL, in Chinese', { timeout: 60_000 }, async () => {
    const { calls } = mockAll();
    renderAt(<SalesAnalyticsPage />, '/analytics/sales?period=2026-11&team=t1');

    const funnelCard = await screen.findByTestId('sales-funnel');
    await waitFor(() => expect(funnelCard).toHaveAttribute('data-state', 'ready'));
    expect(within(funnelCard).getByTestId('chart-funnel')).toHaveAttribute('aria-label', '销售漏斗');
    expect(within(funnelCard).getByTestId('funnel-won-amount')).toHaveTextContent('¥15,000.00 · $1,000.00');
    expect(within(funnelCard).getByTestId('funnel-win-rate')).toHaveTextContent('赢率60.00%');

    const coverageCard = screen.getByTestId('sales-coverage');
    await within(coverageCard).findByTestId('chart-coverage');
    expect(within(coverageCard).getByTestId('coverage-open')).toHaveTextContent('¥35,678.96');

    expect(await screen.findByTestId('forecast-past-due')).toHaveTextContent('1 个在谈商机已过预计成交日：¥6,000.00');
    await waitFor(() => expect(screen.getByTestId('sales-cycle')).toHaveAttribute('data-state', 'empty'));
    expect(screen.getByText('该周期没有赢单。')).toBeInTheDocument();
    expect(await within(await screen.findByTestId('roi-table')).findByText('2.50×')).toBeInTheDocument();

    const staleCard = screen.getByTestId('sales-stale-deals');
    expect(await within(staleCard).findByText('智能仓储试点')).toBeInTheDocument();
    expect(within(staleCard).getByText('超期 64 天')).toBeInTheDocument();
    expect(within(staleCard).getByText('需求确认')).toBeInTheDocument();

    const funnelCall = calls.find((c) => c.url.includes('/analytics/funnel'));
    const query = new URL(funnelCall!.url).searchParams;
    expect([query.get('period'), query.get('team_id'), query.get('owner_id')]).toEqual(['2026-11', 't1', null]);
    const forecastCall = calls.find((c) => c.url.includes('/analytics/forecast'));
    expect(new URL(forecastCall!.url).searchParams.get('from')).toBe('2026-11');
  });
});
