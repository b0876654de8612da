import { describe, expect, it } from 'vitest';

import { defaults } from './testData';
import { editable, formPath, knownMessage, scoreRange, toBody } from './settings';

describe('RFM settings form', () => {
  it('round-trips the stored settings into the request body, without the derived fields', () => {
    const body = toBody(editable(defaults));
    expect(body).toEqual({
      sources: ['orders', 'payments'],
      window_days: 365,
      currency: 'CNY',
      recency_max_days: [30, 90, 180, 365],
      frequency_min: [2, 3, 4, 6],
      monetary_min: ['1000.00', '5000.00', '20000.00', '50000.00'],
      weights: { r: 4, f: 8, m: 8 },
      tiers: defaults.tiers,
      churn_gap_factor: '2.0',
      churn_no_follow_up_days: 60,
    });
  });

  it('sends nothing while a value is missing', () => {
    const values = editable(defaults);
    expect(toBody({ ...values, weights: { r: 4, f: 8, m: undefined as unknown as number } })).toBeNull();
    expect(toBody({ ...values, recency_max_days: [30, 90, null as unknown as number, 365] })).toBeNull();
    expect(toBody({ ...values, tiers: [] })).toBeNull();
    expect(toBody(undefined)).toBeNull();
  });

  it('knows the score range of the weights: the example 4/8/8 spans 20–100', () => {
    expect(scoreRange({ r: 4, f: 8, m: 8 })).toEqual([20, 100]);
    expect(scoreRange({ r: 10, f: 5, m: 5 })).toEqual([20, 100]);
    expect(scoreRange({ r: 1, f: 1, m: 1 })).toEqual([3, 15]);
  });

  it('places the API field errors on the form, for saving and for the preview', () => {
    expect(formPath('body.tiers.1.min_score')).toEqual(['tiers', 1, 'min_score']);
    expect(formPath('body.settings.weights.r')).toEqual(['weights', 'r']);
    expect(formPath('query.limit')).toBeNull();
  });

  it('translates the API messages it knows, with their values', () => {
    expect(knownMessage("overlaps tier 'vip' (80–100)")).toEqual({ key: 'overlap', values: { tier: 'vip', range: '80–100' } });
    expect(knownMessage('leaves scores 65–69 without a tier')).toEqual({ key: 'gap', values: { range: '65–69' } });
    expect(knownMessage('scores up to 100 need a tier (highest possible score)')).toEqual({ key: 'highest', values: { score: '100' } });
    expect(knownMessage('thresholds must be strictly increasing')?.key).toBe('increasing');
    expect(knownMessage('something else')).toBeNull();
  });
});
