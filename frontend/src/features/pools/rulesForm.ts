/** A pool's settings between the API and the rules editor. */
import type { Pool } from '../../api/types';
import type { PoolCreate } from './api';

export interface PoolFormValues {
  name: string;
  description?: string;
  is_default: boolean;
  member_team_ids: string[];
  holding_cap?: number | null;
  daily_claim_limit?: number | null;
  cooldown_days?: number | null;
  mask_contacts: boolean;
  reclaim: boolean;
  reclaim_default?: number | null;
  /** Per customer level, e.g. A customers get 60 days. */
  reclaim_levels: { level?: string; days?: number | null }[];
  warn_days_before?: number | null;
  /** Whether customers with a won deal count toward the holding cap. */
  cap_counts_won: boolean;
  /** Days after taking a customer without a won deal before it returns (empty: no rule). */
  no_win_default?: number | null;
  /** Per-level no-won-deal days set through the API, kept as they are. */
  no_win_levels: Record<string, number>;
}

export function poolToForm(pool: Pool | undefined): PoolFormValues {
  if (!pool) {
    return {
      name: '',
      description: '',
      is_default: false,
      member_team_ids: [],
      holding_cap: null,
      daily_claim_limit: null,
      cooldown_days: 0,
      mask_contacts: true,
      reclaim: true,
      reclaim_default: 30,
      reclaim_levels: [],
      warn_days_before: 3,
      cap_counts_won: true,
      no_win_default: null,
      no_win_levels: {},
    };
  }
  const r = pool.rules;
  const reclaim = r.reclaim_days ?? { default: 30 };
  return {
    name: pool.name,
    description: pool.description ?? '',
    is_default: pool.is_default,
    member_team_ids: pool.member_team_ids,
    holding_cap: r.holding_cap ?? null,
    daily_claim_limit: r.daily_claim_limit ?? null,
    cooldown_days: r.cooldown_days ?? 0,
    mask_contacts: r.mask_contacts ?? true,
    reclaim: Object.keys(reclaim).length > 0,
    reclaim_default: reclaim.default ?? null,
    reclaim_levels: Object.entries(reclaim)
      .filter(([level]) => level !== 'default')
      .map(([level, days]) => ({ level, days })),
    warn_days_before: r.warn_days_before ?? 3,
    cap_counts_won: r.cap_counts_won ?? true,
    no_win_default: r.no_win_days?.default ?? null,
    no_win_levels: Object.fromEntries(Object.entries(r.no_win_days ?? {}).filter(([level]) => level !== 'default')),
  };
}

/** The body for POST /pools and PATCH /pools/{id} (the same fields). */
export function poolBody(values: PoolFormValues): PoolCreate {
  const reclaim: Record<string, number> = {};
  if (values.reclaim) {
    if (values.reclaim_default) reclaim.default = values.reclaim_default;
    for (const { level, days } of values.reclaim_levels ?? []) {
      const key = level?.trim();
      if (key && days) reclaim[key] = days;
    }
  }
  return {
    name: values.name.trim(),
    description: values.description?.trim() || null,
    is_default: values.is_default,
    member_team_ids: values.member_team_ids ?? [],
    rules: {
      holding_cap: values.holding_cap || null,
      daily_claim_limit: values.daily_claim_limit || null,
      cooldown_days: values.cooldown_days ?? 0,
      mask_contacts: values.mask_contacts,
      reclaim_days: reclaim,
      warn_days_before: values.warn_days_before ?? 0,
      cap_counts_won: values.cap_counts_won,
      no_win_days: {
        ...(values.no_win_levels ?? {}),
        ...(values.no_win_default ? { default: values.no_win_default } : {}),
      },
    },
  };
}
