import type { RfmSettings } from './api';

/** The workspace defaults, as GET /settings/rfm sends them. */
export const defaults: RfmSettings = {
  sources: ['orders', 'payments'],
  window_days: 365,
  currency: 'CNY',
  recency_max_days: [30, 90, 180, 365],
  frequency_min: [2, 3, 4, 6],
  monetary_min: ['1000.00', '5000.00', '20000.00', '50000.00'],
  weights: { r: 4, f: 8, m: 8 },
  tiers: [
    { key: 'vip', name_zh: 'VIP 客户', name_en: 'VIP', min_score: 80, max_score: 100 },
    { key: 'key', name_zh: '重点客户', name_en: 'Key', min_score: 65, max_score: 79 },
    { key: 'growth', name_zh: '成长客户', name_en: 'Growing', min_score: 50, max_score: 64 },
    { key: 'regular', name_zh: '普通客户', name_en: 'Regular', min_score: 35, max_score: 49 },
    { key: 'dormant', name_zh: '沉睡客户', name_en: 'Dormant', min_score: 20, max_score: 34 },
  ],
  churn_gap_factor: '2.0',
  churn_no_follow_up_days: 60,
  score_min: 20,
  score_max: 100,
  last_run: {
    id: 'run-1',
    status: 'succeeded',
    trigger: 'nightly',
    requested_by: null,
    requested_at: '2026-06-14T18:17:00Z',
    started_at: '2026-06-14T18:17:01Z',
    finished_at: '2026-06-14T18:17:05Z',
    as_of: '2026-06-15',
    customers: 6,
    changed: 6,
    tier_changes: 6,
    removed: 0,
    duration_ms: 3900,
    error: null,
  },
};
