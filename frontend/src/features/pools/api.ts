import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { Assign, Pool, Release } from '../../api/types';
import { collectPages } from '../../lib/pages';
import { customerKeys } from '../customers/api';
import { taskKeys } from '../tasks/keys';

export const poolKeys = {
  all: ['pools'] as const,
  list: () => [...poolKeys.all, 'list'] as const,
  customers: (poolId: string, q: string) => [...poolKeys.all, 'customers', poolId, q] as const,
  reclaimDue: () => [...poolKeys.all, 'reclaim-due'] as const,
};

export function usePools(enabled = true) {
  return useQuery({
    queryKey: poolKeys.list(),
    queryFn: ({ signal }) =>
      collectPages<Pool>(async (cursor) =>
        unwrap(await api.GET('/pools', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } }, signal })),
      ),
    staleTime: 5 * 60_000,
    enabled,
  });
}

export function usePoolCustomers(poolId: string | undefined, q: string) {
  return useInfiniteQuery({
    queryKey: poolKeys.customers(poolId ?? '', q),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/pools/{pool_id}/customers', {
          params: {
            path: { pool_id: poolId! },
            query: { q: q || undefined, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    enabled: Boolean(poolId),
    placeholderData: keepPreviousData,
  });
}

export function useReclaimDue() {
  return useQuery({
    queryKey: poolKeys.reclaimDue(),
    queryFn: async ({ signal }) => unwrap(await api.GET('/pools/reclaim-due', { params: { query: { days: 7 } }, signal })),
  });
}

function invalidateAfterMove(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: poolKeys.all }),
    queryClient.invalidateQueries({ queryKey: customerKeys.all }),
    queryClient.invalidateQueries({ queryKey: taskKeys.all }),
  ]);
}

export function useClaimCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (customerId: string) =>
      unwrap(await api.POST('/customers/{customer_id}/claim', { params: { path: { customer_id: customerId } } })),
    // Someone else may have been first: the pool list is stale either way.
    onSettled: () => invalidateAfterMove(queryClient),
  });
}

export function useAssignCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ customerId, body }: { customerId: string; body: Assign }) =>
      unwrap(await api.POST('/customers/{customer_id}/assign', { params: { path: { customer_id: customerId } }, body })),
    onSettled: () => invalidateAfterMove(queryClient),
  });
}

export function useReleaseCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ customerId, body }: { customerId: string; body: Release }) =>
      unwrap(await api.POST('/customers/{customer_id}/release', { params: { path: { customer_id: customerId } }, body })),
    onSuccess: () => invalidateAfterMove(queryClient),
  });
}
