import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type { components, operations } from '../../api/types';

type Schemas = components['schemas'];
export type Target = Schemas['Target'];
export type TargetProgress = Schemas['TargetProgress'];
export type ProgressReport = Schemas['ProgressReport'];
export type TargetMetric = Target['metric'];
export type SubjectKind = Target['subject_kind'];
export type TargetCreate = operations['targets:create_target']['requestBody']['content']['application/json'];
export type TargetUpdate = operations['targets:update_target']['requestBody']['content']['application/json'];

export const TARGET_METRICS: readonly TargetMetric[] = ['won_amount', 'payments_received', 'new_customers', 'follow_ups'];
export const MONEY_METRICS: ReadonlySet<string> = new Set(['won_amount', 'payments_received']);

export interface ProgressFilters {
  period: string;
  teamId?: string | null;
  ownerId?: string | null;
  metric?: TargetMetric | null;
}

export const targetKeys = {
  all: ['targets'] as const,
  progress: (filters: ProgressFilters) => [...targetKeys.all, 'progress', filters] as const,
  list: (period: string) => [...targetKeys.all, 'list', period] as const,
};

export function useTargetProgress(filters: ProgressFilters) {
  return useQuery({
    queryKey: targetKeys.progress(filters),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/targets/progress', {
          params: {
            query: {
              period: filters.period,
              ...(filters.teamId ? { team_id: filters.teamId } : {}),
              ...(filters.ownerId ? { owner_id: filters.ownerId } : {}),
              ...(filters.metric ? { metric: filters.metric } : {}),
            },
          },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The targets of one period (what the table under the progress lists and edits). */
export function useTargetList(period: string) {
  return useInfiniteQuery({
    queryKey: targetKeys.list(period),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/targets', {
          params: { query: { period, sort: 'created_at', limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
  });
}

export function useSaveTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ target, body }: { target?: Target; body: TargetCreate | TargetUpdate }) =>
      target
        ? unwrap(
            await api.PATCH('/targets/{target_id}', {
              params: { path: { target_id: target.id }, header: { 'If-Match': ifMatch(target.version) } },
              body: body,
            }),
          )
        : unwrap(await api.POST('/targets', { body: body as TargetCreate })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: targetKeys.all }),
  });
}

export function useDeleteTarget() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (target: Target) => {
      await api.DELETE('/targets/{target_id}', {
        params: { path: { target_id: target.id }, header: { 'If-Match': ifMatch(target.version) } },
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: targetKeys.all }),
  });
}
