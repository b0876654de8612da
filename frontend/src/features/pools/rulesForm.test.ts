import { describe, expect, it } from 'vitest';

import type { Pool } from '../../api/types';
import { poolBody, poolToForm } from './rulesForm';

const pool: Pool = {
  id: 'p1',
  name: '公海 Public pool',
  description: null,
  member_team_ids: ['t1'],
  is_default: true,
  rules: {
    holding_cap: 200,
    daily_claim_limit: 10,
    cooldown_days: 7,
    mask_contacts: true,
    reclaim_days: { default: 30, A: 60 },
    no_win_days: { default: 90, A: 120 },
    cap_counts_won: false,
    warn_days_before: 3,
  },
  version: 4,
  created_at: '2026-01-01T00:00:00Z',
};

describe('pool rules form', () => {
  it('round-trips a pool, per-level reclaim and no-won-deal days included', () => {
    expect(poolBody(poolToForm(pool))).toEqual({
      name: '公海 Public pool',
      description: null,
      is_default: true,
      member_team_ids: ['t1'],
      rules: pool.rules,
    });
  });

  it('turns empty limits into "no limit" and switched-off reclaim into no reclaim days', () => {
    const values = {
      ...poolToForm(pool),
      holding_cap: null,
      daily_claim_limit: null,
      mask_contacts: false,
      reclaim: false,
      reclaim_levels: [{ level: ' C ', days: 15 }],
    };
    expect(poolBody(values).rules).toEqual({
      holding_cap: null,
      daily_claim_limit: null,
      cooldown_days: 7,
      mask_contacts: false,
      reclaim_days: {},
      warn_days_before: 3,
      cap_counts_won: false,
      no_win_days: { default: 90, A: 120 },
    });
    expect(poolBody({ ...values, reclaim: true, reclaim_default: 20 }).rules?.reclaim_days).toEqual({ default: 20, C: 15 });
    // clearing the no-won-deal days drops the default, per-level days set elsewhere stay
    expect(poolBody({ ...values, no_win_default: null }).rules?.no_win_days).toEqual({ A: 120 });
  });

  it('starts a new pool masked, reclaiming after 30 days', () => {
    const body = poolBody({ ...poolToForm(undefined), name: ' 华南公海 ' });
    expect(body.name).toBe('华南公海');
    expect(body.rules).toMatchObject({ mask_contacts: true, reclaim_days: { default: 30 }, warn_days_before: 3 });
  });
});
