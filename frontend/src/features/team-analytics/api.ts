import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { components } from '../../api/types';

type Schemas = components['schemas'];
export type Leaderboard = Schemas['Leaderboard'];
export type LeaderboardRow = Schemas['LeaderboardRow'];
export type LeaderboardMetric = Schemas['LeaderboardMetric'];
export type ActivityStats = Schemas['ActivityStats'];
export type ActivityStatsRow = Schemas['ActivityStatsRow'];

export const LEADERBOARD_METRICS: readonly LeaderboardMetric[] = ['won_amount', 'payments', 'new_customers', 'follow_ups', 'visits'];
export const MONEY_LEADERBOARDS: ReadonlySet<string> = new Set(['won_amount', 'payments']);

export interface LeaderboardQuery {
  metric: LeaderboardMetric;
  period: string;
  teamId?: string | null;
  currency: string;
  limit: number;
}

export const teamAnalyticsKeys = {
  all: ['team-analytics'] as const,
  leaderboard: (q: LeaderboardQuery) => [...teamAnalyticsKeys.all, 'leaderboard', q] as const,
  activity: (period: string, teamId?: string | null, ownerId?: string | null) =>
    [...teamAnalyticsKeys.all, 'activity', period, teamId ?? null, ownerId ?? null] as const,
};

export function useLeaderboard(q: LeaderboardQuery) {
  return useQuery({
    queryKey: teamAnalyticsKeys.leaderboard(q),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/analytics/leaderboard', {
          params: {
            query: {
              metric: q.metric,
              period: q.period,
              limit: q.limit,
              ...(MONEY_LEADERBOARDS.has(q.metric) ? { currency: q.currency } : {}),
              ...(q.teamId ? { team_id: q.teamId } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

export function useActivityStats(period: string, teamId?: string | null, ownerId?: string | null) {
  return useQuery({
    queryKey: teamAnalyticsKeys.activity(period, teamId, ownerId),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/analytics/activity-stats', {
          params: {
            query: { period, ...(teamId ? { team_id: teamId } : {}), ...(ownerId ? { owner_id: ownerId } : {}) },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}
