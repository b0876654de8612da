import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { SessionContext } from '../auth';
import { json, mockApi, problem } from '../../test/fetchMock';
import { makeUser, me } from '../../test/fixtures';
import { renderAt } from '../../test/render';
import RfmSettingsPage from './RfmSettingsPage';
import { defaults } from './testData';

function show(session = me) {
  return renderAt(
    <SessionContext.Provider value={session}>
      <RfmSettingsPage />
    </SessionContext.Provider>,
    '/settings/rfm',
  );
}

describe('RfmSettingsPage', () => {
  it('previews the sample customer live: the worked example scores 84', { timeout: 60_000 }, async () => {
    const { calls } = mockApi({
      'GET /settings/rfm': () => json(defaults),
      'GET /analytics/rfm/runs/run-1': () => json(defaults.last_run),
      'POST /analytics/rfm/preview': async (request) => {
        const body = (await request.json()) as { settings: { weights: { r: number } }; sample: unknown };
        const r = body.settings.weights.r;
        return json({
          r: 5,
          f: 4,
          m: 4,
          weighted: { r: 5 * r, f: 32, m: 32 },
          score: 5 * r + 64,
          tier: defaults.tiers[0],
          score_min: r + 16,
          score_max: 5 * (r + 16),
        });
      },
    });
    show();
    const preview = await screen.findByTestId('rfm-preview');
    expect(await within(preview).findByTestId('preview-formula')).toHaveTextContent('5·4 + 4·8 + 4·8 = 84');
    expect(within(preview).getByTestId('preview-tier')).toHaveTextContent('VIP 客户');
    const sent = calls.find((c) => c.url.endsWith('/analytics/rfm/preview'));
    expect(sent).toBeDefined();

    fireEvent.change(screen.getByTestId('weight-r'), { target: { value: '6' } });
    await waitFor(() => expect(within(preview).getByTestId('preview-formula')).toHaveTextContent('5·6 + 4·8 + 4·8 = 94'));
  });

  it('shows the problems of inconsistent settings in the user language', { timeout: 60_000 }, async () => {
    mockApi({
      'GET /settings/rfm': () => json(defaults),
      'GET /analytics/rfm/runs/run-1': () => json(defaults.last_run),
      'POST /analytics/rfm/preview': () =>
        problem(422, 'invalid_rfm_settings', 'Invalid RFM settings', {
          errors: [{ field: 'body.settings.tiers.1.min_score', message: "overlaps tier 'vip' (80–100)" }],
        }),
    });
    show();
    const errors = await screen.findByTestId('rfm-preview-errors');
    expect(errors).toHaveTextContent('tiers.1.min_score: 与等级 vip（80–100）重叠');
  });

  it('is read-only for people who are not admins', { timeout: 60_000 }, async () => {
    mockApi({
      'GET /settings/rfm': () => json(defaults),
      'GET /analytics/rfm/runs/run-1': () => json(defaults.last_run),
      'POST /analytics/rfm/preview': () => json({ r: 5, f: 4, m: 4, weighted: { r: 20, f: 32, m: 32 }, score: 84, tier: defaults.tiers[0], score_min: 20, score_max: 100 }),
    });
    show({ ...me, user: makeUser({ role: 'sales' }) });
    expect(await screen.findByText('仅所有者和管理员可修改这些设置。')).toBeInTheDocument();
    expect(screen.queryByTestId('rfm-save')).not.toBeInTheDocument();
    expect(screen.queryByTestId('rfm-recompute')).not.toBeInTheDocument();
  });
});
