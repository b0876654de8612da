import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';

import type { Me } from '../../api/types';
import { json, mockApi, problem } from '../../test/fetchMock';
import { makeUser, me, page } from '../../test/fixtures';
import { renderAt } from '../../test/render';
import { SessionContext } from '../auth';
import { Dashboard } from './Dashboard';

// ECharts drawing is slow in jsdom and checked elsewhere (option builders in options.test.ts,
// real drawing in the browser test): here a chart is its accessible frame only.
vi.mock('../../components/charts', () => ({
  EChart: ({ ariaLabel, testId }: { ariaLabel: string; testId?: string }) => (
    <div role="img" aria-label={ariaLabel} data-testid={testId} data-chart="stub" />
  ),
}));

const team = { scope: 'team', write: true } as const;
const manager: Me = {
  ...me,
  user: makeUser({ id: 'm1', name: '王芳', role: 'manager', team_id: 't1' }),
  permissions: { analytics: team, customers: team, opportunities: team, receivables: team },
};

const progressItem = (subject: string, percent: string, actual: string) => ({
  target_id: `target-${subject}`,
  subject_kind: 'user',
  subject_id: subject,
  subject_name: subject,
  metric: 'won_amount',
  currency: 'CNY',
  target_value: '100000.00',
  actual,
  count: 2,
  percent,
  remaining: '50000.00',
  days_total: 31,
  days_left: 11,
  expected_to_date: '64516.13',
  pace_needed_per_day: '4545.45',
  on_track: false,
});

const stage = (id: string, position: number, kind: 'open' | 'won' | 'lost') => ({
  id,
  pipeline_id: 'p1',
  name_zh: `阶段${position}`,
  name_en: `Stage ${position}`,
  position,
  probability: 10 * position,
  kind,
  rotting_days: null,
  version: 1,
});

function api(overrides: Record<string, () => Response> = {}) {
  return mockApi({
    'GET /targets/progress': () =>
      json({
        period: '2026-12',
        period_start: '2026-12-01',
        period_end: '2027-01-01',
        today: '2026-12-21',
        as_of: '2026-12-21T08:00:00Z',
        items: [progressItem('李雷', '50.00', '50000.00'), progressItem('韩梅梅', '80.00', '80000.00')],
      }),
    'GET /analytics/leaderboard': () => problem(500, 'internal_error', 'Internal Server Error'),
    'GET /analytics/funnel': () =>
      json({
        pipeline_id: 'p1',
        period: '2026-12',
        definition: 'cohort',
        stages: [],
        created: 0,
        won: 0,
        lost: 0,
        open: 0,
        win_rate: null,
        overall_conversion: null,
        won_amount: [],
        avg_cycle_days: null,
      }),
    'GET /analytics/forecast': () =>
      json({
        currency: 'CNY',
        commit_probability: 75,
        target_subject_kind: 'team',
        target_subject_id: 't1',
        months: [
          { month: '2026-12', won: '50000.00', commit: '70000.00', best_case: '90000.00', weighted: '60000.00', open_deals: 2, target: '100000.00' },
          { month: '2027-01', won: '0.00', commit: '0.00', best_case: '20000.00', weighted: '5000.00', open_deals: 1, target: null },
        ],
        past_due_open: { currency: 'CNY', amount: '0.00', deals: 0 },
      }),
    'GET /pipelines': () =>
      json(
        page([
          {
            id: 'p1',
            name: '标准销售流程',
            description: null,
            is_default: true,
            position: 0,
            stages: [stage('s1', 1, 'open'), stage('s2', 2, 'open'), stage('s3', 3, 'won')],
            created_at: '2026-01-01T00:00:00Z',
            updated_at: '2026-01-01T00:00:00Z',
            version: 1,
          },
        ]),
      ),
    'GET /pipelines/p1/board': () =>
      json({
        pipeline_id: 'p1',
        closed_since: '2026-11-21T00:00:00Z',
        columns: [
          { stage: stage('s1', 1, 'open'), count: 4, deals: [], has_more: true, next_cursor: 'c', totals: [{ currency: 'CNY', amount: '40000.00', weighted_amount: '4000.00', count: 4 }] },
          { stage: stage('s2', 2, 'open'), count: 1, deals: [], has_more: false, next_cursor: null, totals: [{ currency: 'CNY', amount: '9000.00', weighted_amount: '1800.00', count: 1 }] },
          { stage: stage('s3', 3, 'won'), count: 2, deals: [], has_more: false, next_cursor: null, totals: [] },
        ],
      }),
    'GET /receivables/aging': () =>
      json({
        as_of: '2026-12-21',
        group_by: 'owner',
        data: [],
        next_cursor: null,
        has_more: false,
        totals: [
          { currency: 'CNY', current: '1000.00', days_1_30: '500.00', days_31_60: '0.00', days_61_90: '0.00', days_over_90: '250.50', total: '1750.50', installments: 3 },
        ],
        dso: [{ currency: 'CNY', days: '27.3', window_days: 90 }],
      }),
    'GET /teams': () => json(page([])),
    'GET /users': () => json(page([])),
    ...overrides,
  });
}

function renderDashboard() {
  return renderAt(
    <SessionContext.Provider value={manager}>
      <Dashboard />
    </SessionContext.Provider>,
  );
}

describe('the home dashboard of a manager', () => {
  it('draws each team widget, says when there is nothing, and shows a failure with retry', { timeout: 60_000 }, async () => {
    const { calls } = api();
    renderDashboard();

    const targets = await screen.findByTestId('widget-team-targets', undefined, { timeout: 15_000 });
    await waitFor(() => expect(targets).toHaveAttribute('data-state', 'ready'));
    expect(within(targets).getByRole('img', { name: '团队目标' })).toBeInTheDocument();

    const funnel = screen.getByTestId('widget-funnel');
    await waitFor(() => expect(funnel).toHaveAttribute('data-state', 'empty'));
    expect(within(funnel).getByText('本期间没有商机进入管道。')).toBeInTheDocument();

    const leaderboard = screen.getByTestId('widget-leaderboard');
    await waitFor(() => expect(leaderboard).toHaveAttribute('data-state', 'error'));
    expect(within(leaderboard).getByRole('alert')).toBeInTheDocument();
    expect(within(leaderboard).getByRole('button', { name: '重 试' })).toBeInTheDocument();

    await waitFor(() => expect(screen.getByTestId('widget-forecast')).toHaveAttribute('data-state', 'ready'));
    await waitFor(() => expect(screen.getByTestId('widget-pipeline')).toHaveAttribute('data-state', 'ready'));
    expect(screen.getByTestId('pipeline-open-deals')).toHaveTextContent('5');
    const aging = screen.getByTestId('widget-aging');
    await waitFor(() => expect(aging).toHaveAttribute('data-state', 'ready'));
    expect(within(aging).getByTestId('aging-widget-total')).toHaveTextContent('¥1,750.50');

    // the business section is for owners and admins, the personal one for reps
    expect(screen.queryByTestId('home-section-business')).toBeNull();
    expect(screen.queryByTestId('home-section-personal')).toBeNull();
    // every analytics call asked for the current month
    const progress = calls.find((r) => r.url.includes('/targets/progress'));
    expect(new URL(progress!.url).searchParams.get('period')).toMatch(/^\d{4}-\d{2}$/);
  });

  it('asks again for the quarter when the period kind changes', { timeout: 60_000 }, async () => {
    const { calls } = api();
    renderDashboard();
    const targets = await screen.findByTestId('widget-team-targets', undefined, { timeout: 15_000 });
    await waitFor(() => expect(targets).toHaveAttribute('data-state', 'ready'));
    const filters = screen.getByTestId('analytics-filters');
    fireEvent.mouseDown(within(filters).getAllByRole('combobox')[0]);
    fireEvent.click(await screen.findByTitle('季度'));
    await waitFor(() =>
      expect(calls.some((r) => r.url.includes('/analytics/funnel') && /period=\d{4}-Q[1-4]/.test(r.url))).toBe(true),
    );
  });
});
