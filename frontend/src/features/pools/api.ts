import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type { Assign, operations, Pool, Release } from '../../api/types';
import { collectPages } from '../../lib/pages';
import { customerKeys } from '../customers/api';
import { taskKeys } from '../tasks/keys';

export const poolKeys = {
  all: ['pools'] as const,
  list: () => [...poolKeys.all, 'list'] as const,
  customers: (poolId: string, q: string) => [...poolKeys.all, 'customers', poolId, q] as const,
  reclaimDue: (days: number) => [...poolKeys.all, 'reclaim-due', days] as const,
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

/** Customers in the caller's scope that go back to a pool within `days` without a follow-up. */
export function useReclaimDue(days = 7) {
  return useQuery({
    queryKey: poolKeys.reclaimDue(days),
    queryFn: async ({ signal }) => unwrap(await api.GET('/pools/reclaim-due', { params: { query: { days } }, signal })),
  });
}

export type PoolCreate = operations['pools:create_pool']['requestBody']['content']['application/json'];

/** Create a pool, or change one's name, member teams, default flag and rules (owners, admins). */
export function useSavePool() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ pool, body }: { pool?: Pool; body: PoolCreate }) =>
      pool
        ? unwrap(
            await api.PATCH('/pools/{pool_id}', {
              params: { path: { pool_id: pool.id }, header: { 'If-Match': ifMatch(pool.version) } },
              body,
            }),
          )
        : unwrap(await api.POST('/pools', { body })),
    // Masking and rules change what every pool list shows.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: poolKeys.all }),
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
    // Not awaited: the releasing rep may no longer read the customer, and a refetch of the
    // open page would unmount it before the caller's onSuccess could navigate away.
    onSuccess: () => {
      void invalidateAfterMove(queryClient);
    },
  });
}
