/**
 * What the customer-value screens read and change: RFM settings, preview and recomputes,
 * the distribution, Pareto and key accounts, churn risk, cohorts, and a customer's tier
 * history. Keys sit below `customer-value`, so a recompute refreshes every view of it.
 */
import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { components } from '../../api/types';
import { customerKeys } from '../customers/api';

type Schemas = components['schemas'];
export type RfmSettings = Schemas['RfmSettings'];
export type RfmSettingsIn = Schemas['RfmSettingsIn'];
export type RfmTier = Schemas['RfmTier'];
export type RfmRun = Schemas['RfmRun'];
export type RfmPreview = Schemas['RfmPreview'];
export type RfmSample = Schemas['RfmSample'];
export type RfmDistribution = Schemas['RfmDistribution'];
export type RfmCubeCell = Schemas['RfmCubeCell'];
export type Pareto = Schemas['Pareto'];
export type KeyAccount = Schemas['KeyAccount'];
export type ChurnRisk = Schemas['ChurnRisk'];
export type Cohorts = Schemas['Cohorts'];
export type CustomerRfm = Schemas['CustomerRfm'];
export type RfmHistoryEntry = Schemas['RfmHistoryEntry'];

export const PAGE_SIZE = 20;

export interface Who {
  teamId?: string | null;
  ownerId?: string | null;
}

/** The team/owner filters in the API's names; unset ones left out. */
export function whoQuery({ teamId, ownerId }: Who): { team_id?: string; owner_id?: string } {
  return { ...(teamId ? { team_id: teamId } : {}), ...(ownerId ? { owner_id: ownerId } : {}) };
}

export const valueKeys = {
  all: ['customer-value'] as const,
  settings: () => [...valueKeys.all, 'settings'] as const,
  preview: (body: object) => [...valueKeys.all, 'preview', body] as const,
  run: (id: string) => [...valueKeys.all, 'run', id] as const,
  distribution: (q: object) => [...valueKeys.all, 'distribution', q] as const,
  pareto: (q: object) => [...valueKeys.all, 'pareto', q] as const,
  keyAccounts: (q: object) => [...valueKeys.all, 'key-accounts', q] as const,
  churn: (q: object) => [...valueKeys.all, 'churn', q] as const,
  cohorts: (q: object) => [...valueKeys.all, 'cohorts', q] as const,
  history: (customerId: string) => [...valueKeys.all, 'history', customerId] as const,
};

export function useRfmSettings() {
  return useQuery({
    queryKey: valueKeys.settings(),
    queryFn: async ({ signal }) => unwrap(await api.GET('/settings/rfm', { signal })),
    staleTime: 60_000,
  });
}

/** The tiers, best first, once the settings are loaded (empty before). */
export function useRfmTiers(): RfmTier[] {
  return useRfmSettings().data?.tiers ?? [];
}

export function useSaveRfmSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: RfmSettingsIn) => unwrap(await api.PUT('/settings/rfm', { body })),
    onSuccess: (data) => queryClient.setQueryData(valueKeys.settings(), data),
  });
}

/** The score of a sample customer under settings being edited (nothing is saved). */
export function useRfmPreview(settings: RfmSettingsIn | null, sample: RfmSample) {
  const body = settings ? { settings, sample } : null;
  return useQuery({
    queryKey: valueKeys.preview(body ?? {}),
    queryFn: async ({ signal }) => unwrap(await api.POST('/analytics/rfm/preview', { body: body!, signal })),
    enabled: body !== null,
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function useRecompute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/analytics/rfm/recompute')),
    onSuccess: (run) => queryClient.setQueryData(valueKeys.run(run.id), run),
  });
}

/** A run, polled every two seconds until it has finished; then the scores are refetched. */
export function useRfmRun(id: string | null | undefined) {
  const queryClient = useQueryClient();
  return useQuery({
    queryKey: valueKeys.run(id ?? ''),
    queryFn: async ({ signal }) => {
      const run = unwrap(await api.GET('/analytics/rfm/runs/{run_id}', { params: { path: { run_id: id! } }, signal }));
      if (run.status === 'succeeded' || run.status === 'failed') {
        void queryClient.invalidateQueries({ queryKey: valueKeys.all, predicate: (q) => q.queryKey[1] !== 'run' });
        void queryClient.invalidateQueries({ queryKey: customerKeys.all });
      }
      return run;
    },
    enabled: Boolean(id),
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status === 'queued' || status === 'running' ? 2000 : false;
    },
  });
}

export function useRfmDistribution(who: Who) {
  const query = whoQuery(who);
  return useQuery({
    queryKey: valueKeys.distribution(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/rfm', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function usePareto(period: string, who: Who) {
  const query = { period, ...whoQuery(who) };
  return useQuery({
    queryKey: valueKeys.pareto(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/pareto', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useKeyAccounts(period: string, who: Who) {
  const query = { period, ...whoQuery(who) };
  return useInfiniteQuery({
    queryKey: valueKeys.keyAccounts(query),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/analytics/key-accounts', {
          params: { query: { ...query, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

export function useChurnRisk(who: Who) {
  const query = whoQuery(who);
  return useInfiniteQuery({
    queryKey: valueKeys.churn(query),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/analytics/churn-risk', {
          params: { query: { ...query, limit: PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

export function useCohorts(from: string, to: string, who: Who) {
  const query = { from, to, ...whoQuery(who) };
  return useQuery({
    queryKey: valueKeys.cohorts(query),
    queryFn: async ({ signal }) => unwrap(await api.GET('/analytics/cohorts', { params: { query }, signal })),
    placeholderData: keepPreviousData,
  });
}

export function useRfmHistory(customerId: string) {
  return useQuery({
    queryKey: valueKeys.history(customerId),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/customers/{customer_id}/rfm-history', {
          params: { path: { customer_id: customerId }, query: { limit: 20 } },
          signal,
        }),
      ),
  });
}
