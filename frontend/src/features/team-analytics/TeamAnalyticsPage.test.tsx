import { fireEvent, screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { makeTeam, makeUser, page } from '../../test/fixtures';
import { json, mockApi } from '../../test/fetchMock';
import { renderAt } from '../../test/render';
import type { ActivityStats, Leaderboard } from './api';
import { activityOption, leaderboardOption } from './options';
import TeamAnalyticsPage from './TeamAnalyticsPage';

const won: Leaderboard = {
  metric: 'won_amount',
  period: '2026-03',
  currency: 'CNY',
  as_of: '2026-03-15T04:00:00Z',
  rows: [
    { rank: 1, user_id: 'u-tom', user_name: '黄敏', team_id: 't-s', team_name: '华南销售部', value: '20000.00', count: 1 },
    { rank: 2, user_id: 'u-li', user_name: '李雷', team_id: 't-e', team_name: '华东销售部', value: '16500.50', count: 3 },
    { rank: 3, user_id: 'u-wf', user_name: '王芳', team_id: 't-e', team_name: '华东销售部', value: '0.00', count: 0 },
  ],
};

const visits: Leaderboard = {
  ...won,
  metric: 'visits',
  currency: null,
  rows: [{ rank: 1, user_id: 'u-li', user_name: '李雷', team_id: 't-e', team_name: '华东销售部', value: '2', count: 2 }],
};

const row = {
  calls: 0,
  visits: 0,
  meetings: 0,
  emails: 0,
  wechats: 0,
  notes: 0,
  return_visits: 0,
  total: 0,
  customers_touched: 0,
};

const stats: ActivityStats = {
  period: '2026-03',
  as_of: '2026-03-15T04:00:00Z',
  rows: [
    { ...row, user_id: 'u-li', user_name: '李雷', team_id: 't-e', team_name: '华东销售部', calls: 2, visits: 1, notes: 1, total: 4, customers_touched: 3 },
    { ...row, user_id: 'u-wf', user_name: '王芳', team_id: 't-e', team_name: '华东销售部', calls: 1, total: 1, customers_touched: 1 },
  ],
  totals: { ...row, calls: 3, visits: 1, notes: 1, total: 5, customers_touched: 3 },
};

function mockAll() {
  return mockApi({
    'GET /users': () => json(page([makeUser({ id: 'u-li', name: '李雷', role: 'sales' })])),
    'GET /teams': () => json(page([makeTeam()])),
    'GET /analytics/leaderboard': (request) =>
      json(new URL(request.url).searchParams.get('metric') === 'visits' ? visits : won),
    'GET /analytics/activity-stats': () => json(stats),
  });
}

describe('TeamAnalyticsPage', () => {
  it('ranks people by the chosen metric', { timeout: 90_000 }, async () => {
    const { calls } = mockAll();
    renderAt(<TeamAnalyticsPage />, '/analytics/team?period=2026-03&team=t-e');

    const table = await screen.findByTestId('leaderboard-table');
    expect(await within(table).findByText('¥16,500.50')).toBeInTheDocument();
    expect(within(table).getByTestId('medal-1')).toHaveTextContent('1');
    expect(within(table).getByRole('columnheader', { name: '赢单数' })).toBeInTheDocument();
    expect(screen.getByTestId('leaderboard-chart')).toHaveAttribute('aria-label', '2026-03 赢单金额排行榜');
    const first = new URL(calls.find((c) => c.url.includes('/analytics/leaderboard'))!.url).searchParams;
    expect([first.get('period'), first.get('team_id'), first.get('currency')]).toEqual(['2026-03', 't-e', 'CNY']);

    fireEvent.click(within(screen.getByTestId('leaderboard-metric')).getByText('拜访次数'));
    expect(await within(table).findByRole('columnheader', { name: '拜访次数' })).toBeInTheDocument();
    expect(within(table).queryByText('¥16,500.50')).toBeNull();
    expect(within(table).getByText('2')).toBeInTheDocument();
    const last = new URL(calls.filter((c) => c.url.includes('/analytics/leaderboard')).at(-1)!.url).searchParams;
    expect([last.get('metric'), last.get('currency')]).toEqual(['visits', null]);
  });

  it('lists follow-ups per person and kind with the totals', { timeout: 90_000 }, async () => {
    mockAll();
    renderAt(<TeamAnalyticsPage />, '/analytics/team?period=2026-03');
    fireEvent.click(await screen.findByRole('tab', { name: '跟进统计' }));
    const activity = await screen.findByTestId('activity-table');
    expect(await within(activity).findByText('李雷')).toBeInTheDocument();
    const totals = within(activity).getByTestId('activity-totals');
    expect(totals).toHaveTextContent('总计');
    expect(totals).toHaveTextContent('5');
    expect(screen.getByTestId('activity-chart')).toHaveAttribute('aria-label', '2026-03 各人员按类型的跟进次数');
  });

  it('says so when nobody did anything in the period', { timeout: 90_000 }, async () => {
    mockApi({
      'GET /teams': () => json(page([])),
      'GET /analytics/leaderboard': () => json({ ...won, rows: won.rows.map((r) => ({ ...r, value: '0.00', count: 0 })) }),
    });
    renderAt(<TeamAnalyticsPage />, '/analytics/team?period=2026-12');
    expect(await screen.findByText('本周期暂无记录')).toBeInTheDocument();
  });

  it('builds the charts best first, one stacked segment per follow-up kind', () => {
    const board = leaderboardOption(won.rows, '赢单金额') as { yAxis: { data: string[] }; series: { data: number[] }[] };
    expect(board.yAxis.data).toEqual(['3. 王芳', '2. 李雷', '1. 黄敏']);
    expect(board.series[0].data).toEqual([0, 16500.5, 20000]);
    const kinds = activityOption(stats.rows, (kind) => kind) as { series: { name: string; stack: string; data: number[] }[] };
    expect(kinds.series.map((s) => s.name)).toEqual(['call', 'visit', 'meeting', 'email', 'wechat', 'note', 'return_visit']);
    expect(kinds.series[0]).toMatchObject({ stack: 'kinds', data: [1, 2] });
  });
});
