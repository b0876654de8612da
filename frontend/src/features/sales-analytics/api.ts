import { keepPreviousData, useInfiniteQuery, useQuery } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { SalesFilters } from './types';

export const STALE_PAGE_SIZE = 20;

export const salesAnalyticsKeys = {
  all: ['sales-analytics'] as const,
  funnel: (q: object) => [...salesAnalyticsKeys.all, 'funnel', q] as const,
  forecast: (q: object) => [...salesAnalyticsKeys.all, 'forecast', q] as const,
  coverage: (q: object) => [...salesAnalyticsKeys.all, 'coverage', q] as const,
  stale: (q: object) => [...salesAnalyticsKeys.all, 'stale', q] as const,
  lostReasons: (q: object) => [...salesAnalyticsKeys.all, 'lost-reasons', q] as const,
  campaignRoi: (q: object) => [...salesAnalyticsKeys.all, 'campaign-roi', q] as const,
  cycle: (q: object) => [...salesAnalyticsKeys.all, 'cycle', q] as const,
};

/** Only the filters that are set, in the API's names (an unset filter is left out). */
export function whoQuery(f: Pick<SalesFilters, 'teamId' | 'ownerId' | 'pipelineId'>) {
  return {
    ...(f.teamId ? { team_id: f.teamId } : {}),
    ...(f.ownerId ? { owner_id: f.ownerId } : {}),
    ...(f.pipelineId ? { pipeline_id: f.pipelineId } : {}),
  };
}

export function funnelQuery(f: SalesFilters) {
  return {
    period: f.period,
    ...whoQuery(f),
    ...(f.source ? { source: f.source } : {}),
    ...(f.campaignId ? { campaign_id: f.campaignId } : {}),
  };
}

/** The first month of a forecast: the period's first month (YYYY-MM). */
export function firstMonth(period: string): string {
  if (/^\d{4}-\d{2}/.test(period)) return period.slice(0, 7);
  const quarter = /^(\d{4})-Q([1-4])$/.exec(period);
  if (quarter) return `${quarter[1]}-${String((Number(quarter[2]) - 1) * 3 + 1).padStart(2, '0')}`;
  const week = /^(\d{4})-W\d{2}$/.exec(period);
  if (week) return ''; // weeks: the API's default (this month)
  return `${period.slice(0, 4)}-01`;
}

export function useFunnel(f: SalesFilters) {
  const query = funnelQuery(f);
  return useQuery({
    queryKey: salesAnalyticsKeys.funnel(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/funnel', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useForecast(f: SalesFilters, months = 6) {
  const from = firstMonth(f.period);
  const query = { ...whoQuery(f), currency: f.currency, months, ...(from ? { from } : {}) };
  return useQuery({
    queryKey: salesAnalyticsKeys.forecast(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/forecast', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useCoverage(f: SalesFilters) {
  const query = { period: f.period, currency: f.currency, ...whoQuery(f) };
  return useQuery({
    queryKey: salesAnalyticsKeys.coverage(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/coverage', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useLostReasonsReport(f: SalesFilters) {
  const query = { period: f.period, ...whoQuery(f) };
  return useQuery({
    queryKey: salesAnalyticsKeys.lostReasons(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/lost-reasons', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useCampaignRoi(f: SalesFilters) {
  const query = { period: f.period, ...whoQuery({ teamId: f.teamId, ownerId: f.ownerId }) };
  return useQuery({
    queryKey: salesAnalyticsKeys.campaignRoi(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/campaign-roi', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useSalesCycle(f: SalesFilters) {
  const query = { period: f.period, ...whoQuery(f) };
  return useQuery({
    queryKey: salesAnalyticsKeys.cycle(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/sales-cycle', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

/** Keyset pages of rotting deals, most overdue first. */
export function useStaleDeals(f: SalesFilters) {
  const query = whoQuery(f);
  return useInfiniteQuery({
    queryKey: salesAnalyticsKeys.stale(query),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/analytics/stale-deals', {
          params: { query: { ...query, limit: STALE_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}
