/**
 * What the dashboard reads. Keys sit below the owning module's keys (boards below the
 * pipeline's, aging below the receivables'), so a change there refreshes the widget too.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { components } from '../../api/types';
import { receivableKeys } from '../contracts/keys';
import { pipelineKeys, usePipelines } from '../pipeline/api';

export interface WhoFilters {
  teamId?: string | null;
  ownerId?: string | null;
}

/** The filters as query parameters: unset ones left out. */
export function whoQuery({ teamId, ownerId }: WhoFilters): { team_id?: string; owner_id?: string } {
  return { ...(teamId ? { team_id: teamId } : {}), ...(ownerId ? { owner_id: ownerId } : {}) };
}

/** The default pipeline (the first one if none is marked). */
export function useDefaultPipeline() {
  const pipelines = usePipelines();
  const pipeline = pipelines.data?.find((p) => p.is_default) ?? pipelines.data?.[0];
  return { ...pipelines, pipeline };
}

/** Counts and totals of every column of a board, without its deals (one per column at most). */
export function useBoardTotals(pipelineId: string | undefined, who: WhoFilters) {
  const query = whoQuery(who);
  return useQuery({
    queryKey: [...pipelineKeys.boards(), pipelineId ?? '', { ...query, limit: 1 }],
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/pipelines/{pipeline_id}/board', {
          params: { path: { pipeline_id: pipelineId! }, query: { ...query, limit: 1 } },
          signal,
        }),
      ),
    enabled: Boolean(pipelineId),
    placeholderData: keepPreviousData,
  });
}

/** The aging totals and DSO over every open installment in scope (one group row at most). */
export function useAgingTotals() {
  return useQuery({
    queryKey: receivableKeys.aging({ group_by: 'owner', limit: '1' }),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/receivables/aging', { params: { query: { group_by: 'owner', limit: 1 } }, signal })),
  });
}

// --- analytics -------------------------------------------------------------------------------
// Targets, funnel, forecast, leaderboard, RFM and Pareto are read with the hooks of their own
// pages (features/targets, sales-analytics, team-analytics, customer-value), so the dashboard
// shares their cache and refreshes when those pages change something. Only the revenue trend
// has no page of its own.

export type Revenue = components['schemas']['Revenue'];

export const dashboardKeys = {
  all: ['dashboard'] as const,
  revenue: (query: Record<string, string>) => [...dashboardKeys.all, 'revenue', query] as const,
};

/** Orders and payments per bucket of a period (the owner's revenue trend). */
export function useRevenue(period: string, granularity: 'day' | 'week' | 'month', who: WhoFilters) {
  const query = { period, granularity, ...whoQuery(who) };
  return useQuery({
    queryKey: dashboardKeys.revenue(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/revenue', { params: { query }, signal })),
    placeholderData: keepPreviousData,
    staleTime: 60_000,
  });
}
