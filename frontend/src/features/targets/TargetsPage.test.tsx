import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import type { Me } from '../../api/types';
import { me, page } from '../../test/fixtures';
import { json, mockApi, problem } from '../../test/fetchMock';
import { renderAt } from '../../test/render';
import { SessionContext } from '../auth';
import type { ProgressReport, Target, TargetProgress } from './api';
import TargetsPage from './TargetsPage';

const ravi: TargetProgress = {
  target_id: 't1',
  subject_kind: 'user',
  subject_id: 'u-li',
  subject_name: '李雷',
  metric: 'won_amount',
  currency: 'CNY',
  target_value: '20000.00',
  actual: '16500.50',
  count: 3,
  percent: '82.50',
  remaining: '3499.50',
  days_total: 31,
  days_left: 17,
  expected_to_date: '9032.26',
  pace_needed_per_day: '205.85',
  on_track: true,
};

const east: TargetProgress = {
  ...ravi,
  target_id: 't2',
  subject_kind: 'team',
  subject_id: 'team-e',
  subject_name: '华东销售部',
  metric: 'follow_ups',
  currency: null,
  target_value: '20',
  actual: '7',
  count: 7,
  percent: '35.00',
  remaining: '13',
  expected_to_date: '9.03',
  pace_needed_per_day: '0.76',
  on_track: false,
};

const report: ProgressReport = {
  period: '2026-03',
  period_start: '2026-03-01',
  period_end: '2026-04-01',
  today: '2026-03-15',
  as_of: '2026-03-15T04:00:00Z',
  items: [east, ravi],
};

const target: Target = {
  id: 't1',
  subject_kind: 'user',
  subject_id: 'u-li',
  subject_name: '李雷',
  period: '2026-03',
  period_kind: 'month',
  period_start: '2026-03-01',
  period_end: '2026-04-01',
  metric: 'won_amount',
  target_value: '20000.00',
  currency: 'CNY',
  created_at: '2026-03-01T00:00:00Z',
  updated_at: '2026-03-01T00:00:00Z',
  version: 1,
};

function show(session: Me = me) {
  return renderAt(
    <SessionContext.Provider value={session}>
      <TargetsPage />
    </SessionContext.Provider>,
    '/analytics/targets?period=2026-03',
  );
}

describe('TargetsPage', () => {
  it('shows each target with its gauge, the numbers behind it and the pace', { timeout: 60_000 }, async () => {
    const { calls } = mockApi({
      'GET /targets/progress': () => json(report),
      'GET /targets': () => json(page([target])),
    });
    show();

    const cards = await screen.findAllByTestId('target-card');
    expect(cards).toHaveLength(2);
    const [teamCard, raviCard] = cards;
    expect(within(raviCard).getByTestId('target-actual')).toHaveTextContent('¥16,500.50 / ¥20,000.00');
    expect(within(raviCard).getByTestId('target-pace')).toHaveTextContent('每天 ¥205.85');
    expect(within(raviCard).getByText('进度正常')).toBeInTheDocument();
    expect(within(raviCard).getByRole('img', { name: '李雷，赢单金额：已完成目标的 82.50%' })).toBeInTheDocument();
    expect(within(teamCard).getByTestId('target-actual')).toHaveTextContent('7 / 20');
    expect(within(teamCard).getByTestId('target-pace')).toHaveTextContent('每天 0.76');
    expect(within(teamCard).getByText('落后进度')).toBeInTheDocument();
    expect(screen.getByTestId('targets-pace-note')).toHaveTextContent('今天是 2026-03-15，本周期已过去 45.2%');

    const table = await screen.findByTestId('targets-table');
    expect(await within(table).findByText('¥20,000.00')).toBeInTheDocument();
    const progressCall = calls.find((c) => c.url.includes('/targets/progress'));
    expect(new URL(progressCall!.url).searchParams.get('period')).toBe('2026-03');
  });

  it('sets a company target and shows where the server refused it', { timeout: 60_000 }, async () => {
    const posted: unknown[] = [];
    let refuse = true;
    mockApi({
      'GET /targets/progress': () => json({ ...report, items: [] }),
      'GET /targets': () => json(page([])),
      'POST /targets': async (request) => {
        posted.push(await request.clone().json());
        if (refuse) {
          refuse = false;
          return problem(422, 'validation_error', 'Validation failed', {
            errors: [{ field: 'body.target_value', message: 'Input should be greater than 0' }],
          });
        }
        return json({ ...target, subject_kind: 'workspace', subject_name: '星辰贸易' }, 201);
      },
    });
    show();

    expect(await screen.findByText('2026-03 在你的视图中还没有目标。')).toBeInTheDocument();
    fireEvent.click(screen.getByTestId('target-create'));
    const form = await screen.findByTestId('target-form');
    fireEvent.click(within(form).getByText('全公司'));
    fireEvent.change(within(form).getByTestId('target-value'), { target: { value: '50000' } });
    fireEvent.click(screen.getByTestId('target-form-submit'));

    expect(await within(form).findByText('Input should be greater than 0')).toBeInTheDocument();
    expect(posted[0]).toEqual({
      subject_kind: 'workspace',
      period: '2026-03',
      metric: 'won_amount',
      target_value: '50000',
      currency: 'CNY',
    });
    fireEvent.click(screen.getByTestId('target-form-submit'));
    await waitFor(() => expect(posted).toHaveLength(2));
    await waitFor(() => expect(screen.queryByTestId('target-form')).toBeNull());
  });

  it('offers no changes to a sales rep', { timeout: 60_000 }, async () => {
    mockApi({
      'GET /targets/progress': () => json({ ...report, items: [ravi] }),
      'GET /targets': () => json(page([target])),
    });
    show({
      ...me,
      user: { ...me.user, role: 'sales' },
      permissions: { analytics: { scope: 'own', write: false } },
    });
    expect(await screen.findAllByTestId('target-card')).toHaveLength(1);
    expect(screen.queryByTestId('target-create')).toBeNull();
    expect(within(await screen.findByTestId('targets-table')).queryByRole('button', { name: '删除' })).toBeNull();
  });
});
