import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';

import { me, page } from '../../test/fixtures';
import { json, mockApi } from '../../test/fetchMock';
import { renderRoutes } from '../../test/render';
import { xlsxUrl } from './api';
import { amountIn, currenciesOf, metricLines, moneyText } from './metrics';
import { reportPeriod } from './periods';
import ReportList from './ReportList';
import ReportViewer from './ReportViewer';
import type { Report, ReportMetrics } from './types';

const zero: ReportMetrics = {
  new_customers: 0,
  new_leads: 0,
  follow_ups: 0,
  visits: 0,
  deals_created: 0,
  deals_won: 0,
  won_amount: [],
  deals_lost: 0,
  lost_amount: [],
  payments_received: [],
  overdue_receivables: [],
  tickets_created: 0,
  tickets_resolved: 0,
};

const a: ReportMetrics = {
  ...zero,
  new_customers: 1,
  follow_ups: 2,
  visits: 1,
  deals_won: 1,
  won_amount: [{ currency: 'CNY', amount: '5000.00', count: 1 }],
  overdue_receivables: [{ currency: 'CNY', amount: '1500.00', count: 2 }],
};
const c: ReportMetrics = { ...zero, deals_won: 1, won_amount: [{ currency: 'USD', amount: '1000.00', count: 1 }] };

const report: Report = {
  id: 'r1',
  kind: 'monthly',
  subject_kind: 'team',
  subject_id: 't1',
  subject_name: '华东销售部',
  period: '2026-11',
  period_start: '2026-11-01',
  period_end: '2026-12-01',
  time_zone: 'Asia/Shanghai',
  partial: false,
  generated_at: '2026-11-30T16:07:00Z',
  generated_by: null,
  version: 1,
  content: {
    totals: {
      ...a,
      deals_won: 2,
      won_amount: [
        { currency: 'CNY', amount: '5000.00', count: 1 },
        { currency: 'USD', amount: '1000.00', count: 1 },
      ],
    },
    members: [
      { user_id: 'u-a', name: '李雷', ...a },
      { user_id: 'u-c', name: '黄敏', ...c },
    ],
  },
};

describe('report numbers', () => {
  it('lists every number in order, money per currency and never summed across', () => {
    const lines = metricLines(report.content.totals);
    expect(lines.map((l) => l.key).slice(0, 7)).toEqual([
      'new_customers',
      'new_leads',
      'follow_ups',
      'visits',
      'deals_created',
      'deals_won',
      'won_amount',
    ]);
    expect(lines.find((l) => l.key === 'won_amount')?.value).toBe('¥5,000.00 (1) · $1,000.00 (1)');
    expect(moneyText([])).toBe('—');
    expect(currenciesOf(report.content.members, 'won_amount')).toEqual(['CNY', 'USD']);
    expect(amountIn(c, 'won_amount', 'CNY')).toBe('0.00');
  });

  it('names the period a report covers and its download link', () => {
    const day = dayjs('2026-12-02');
    expect([reportPeriod('daily', day), reportPeriod('weekly', day), reportPeriod('monthly', day)]).toEqual([
      '2026-12-02',
      '2026-W49',
      '2026-12',
    ]);
    expect(xlsxUrl('r1', 'en')).toBe('/api/v1/reports/r1/xlsx?lang=en');
    expect(xlsxUrl('r1', 'zh-CN')).toBe('/api/v1/reports/r1/xlsx?lang=zh-CN');
  });
});

describe('report screens', () => {
  it('lists reports, opens one with its members and offers the workbook', { timeout: 60_000 }, async () => {
    const { calls } = mockApi({
      'GET /me': () => json(me),
      'GET /users': () => json(page([])),
      'GET /teams': () => json(page([])),
      'GET /reports': () => json(page([{ ...report, content: undefined }])),
      'GET /reports/r1': () => json(report),
    });
    const { router } = renderRoutes(
      [
        { path: '/reports', element: <ReportList /> },
        { path: '/reports/:reportId', element: <ReportViewer /> },
      ],
      '/reports',
    );
    const table = await screen.findByTestId('report-table');
    expect(await within(table).findByText('华东销售部')).toBeInTheDocument();
    expect(within(table).getByText('月报')).toBeInTheDocument();
    expect(within(table).getByText('自动生成')).toBeInTheDocument();
    expect(within(table).getByTestId('report-download')).toHaveAttribute('href', '/api/v1/reports/r1/xlsx?lang=zh-CN');

    fireEvent.click(within(table).getByText('2026-11'));
    await waitFor(() => expect(router.state.location.pathname).toBe('/reports/r1'));
    expect(await screen.findByTestId('report-title')).toHaveTextContent('华东销售部 · 月报 2026-11');
    expect(screen.getByTestId('report-won_amount')).toHaveTextContent('¥5,000.00 (1) · $1,000.00 (1)');
    const members = screen.getByTestId('report-members');
    expect(within(members).getAllByRole('columnheader').map((h) => h.textContent)).toContain('赢单金额 (USD)');
    expect(within(members).getByText('$1,000.00')).toBeInTheDocument();
    expect(screen.getByTestId('report-xlsx')).toHaveAttribute('href', '/api/v1/reports/r1/xlsx?lang=zh-CN');

    const listCall = calls.find((r) => new URL(r.url).pathname === '/api/v1/reports');
    expect(new URL(listCall!.url).searchParams.get('limit')).toBe('30');
  });
});

describe('generate a report', () => {
  it('asks for yesterday’s daily report of the signed-in rep and opens it', { timeout: 60_000 }, async () => {
    const posted: unknown[] = [];
    mockApi({
      'GET /me': () => json(me),
      'GET /users': () => json(page([me.user])),
      'GET /teams': () => json(page([])),
      'GET /reports': () => json(page([])),
      'POST /reports/generate': async (request) => {
        posted.push(await request.clone().json());
        return json({ ...report, id: 'r2', kind: 'daily', subject_kind: 'user', subject_id: me.user.id, content: { totals: zero, members: [] } });
      },
      'GET /reports/r2': () => json({ ...report, id: 'r2' }),
    });
    const { router } = renderRoutes(
      [
        { path: '/reports', element: <ReportList /> },
        { path: '/reports/:reportId', element: <ReportViewer /> },
      ],
      '/reports',
    );
    fireEvent.click(await screen.findByTestId('report-generate'));
    const dialog = await screen.findByRole('dialog');
    fireEvent.click(within(dialog).getByRole('button', { name: '生 成' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/reports/r2'));
    expect(posted).toEqual([
      { kind: 'daily', period: dayjs().subtract(1, 'day').format('YYYY-MM-DD'), subject_kind: 'user', subject_id: me.user.id },
    ]);
  });
});
