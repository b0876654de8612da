import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';

import { json, mockApi } from '../../test/fetchMock';
import { page } from '../../test/fixtures';
import { renderAt } from '../../test/render';
import { CustomerRfmCard } from './CustomerRfmCard';
import { defaults } from './testData';

describe('CustomerRfmCard', () => {
  it('shows the scores, the tier and its history on the profile', { timeout: 30_000 }, async () => {
    mockApi({
      'GET /settings/rfm': () => json(defaults),
      'GET /customers/c1/rfm-history': () =>
        json(
          page([
            { id: 'h2', from_tier: 'vip', to_tier: 'key', score: 76, r: 3, f: 4, m: 4, changed_at: '2026-06-15T10:00:00Z', run_id: 'r2' },
            { id: 'h1', from_tier: null, to_tier: 'vip', score: 84, r: 5, f: 4, m: 4, changed_at: '2026-06-14T18:17:05Z', run_id: 'r1' },
          ]),
        ),
    });
    renderAt(
      <CustomerRfmCard
        customerId="c1"
        rfm={{
          r: 3,
          f: 4,
          m: 4,
          score: 76,
          tier: 'key',
          computed_at: '2026-06-15T10:00:00Z',
          last_purchase_on: '2026-06-05',
          purchases: 4,
          amount: '20000.00',
          currency: 'CNY',
        }}
      />,
    );
    const card = screen.getByTestId('customer-rfm');
    expect(within(card).getByTestId('rfm-score')).toHaveTextContent('76');
    expect(await within(card).findAllByText('重点客户')).not.toHaveLength(0);
    const history = await within(card).findByTestId('rfm-history');
    expect(within(history).getByText('得分 84')).toBeInTheDocument();
    expect(within(history).getByText('未评分')).toBeInTheDocument();
    expect(card).toHaveTextContent('周期内购买 4 次，共 ¥20,000.00');
  });

  it('says so when the customer has not bought yet', () => {
    mockApi({ 'GET /settings/rfm': () => json(defaults) });
    renderAt(<CustomerRfmCard customerId="c2" rfm={null} />);
    expect(screen.getByText('未评分：尚无购买记录（或之后尚未计算）。')).toBeInTheDocument();
  });
});
