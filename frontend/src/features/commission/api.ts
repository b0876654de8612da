import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type { components, operations } from '../../api/types';

type Schemas = components['schemas'];
export type CommissionPlan = Schemas['CommissionPlan'];
export type CommissionStatement = Schemas['CommissionStatement'];
export type CommissionPayment = Schemas['CommissionPayment'];
export type CommissionLine = Schemas['CommissionLine'];
export type PlanCreate = operations['commission:create_plan']['requestBody']['content']['application/json'];
export type PlanUpdate = operations['commission:update_plan']['requestBody']['content']['application/json'];

export const commissionKeys = {
  all: ['commission'] as const,
  plans: () => [...commissionKeys.all, 'plans'] as const,
  statements: (period: string, teamId?: string | null) => [...commissionKeys.all, 'statements', period, teamId ?? null] as const,
  statement: (userId: string, period: string) => [...commissionKeys.all, 'statement', userId, period] as const,
  payments: (userId: string, period: string) => [...commissionKeys.all, 'payments', userId, period] as const,
};

export function usePlans() {
  return useInfiniteQuery({
    queryKey: commissionKeys.plans(),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/commission/plans', {
          params: { query: { sort: 'priority', limit: 100, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
  });
}

export function useSavePlan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ plan, body }: { plan?: CommissionPlan; body: PlanCreate | PlanUpdate }) =>
      plan
        ? unwrap(
            await api.PATCH('/commission/plans/{plan_id}', {
              params: { path: { plan_id: plan.id }, header: { 'If-Match': ifMatch(plan.version) } },
              body: body,
            }),
          )
        : unwrap(await api.POST('/commission/plans', { body: body as PlanCreate })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: commissionKeys.all }),
  });
}

export function useDeletePlan() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (plan: CommissionPlan) => {
      await api.DELETE('/commission/plans/{plan_id}', {
        params: { path: { plan_id: plan.id }, header: { 'If-Match': ifMatch(plan.version) } },
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: commissionKeys.all }),
  });
}

export function useStatements(period: string, teamId?: string | null) {
  return useInfiniteQuery({
    queryKey: commissionKeys.statements(period, teamId),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/commission/statements', {
          params: {
            query: { period, limit: 50, ...(teamId ? { team_id: teamId } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

export function useStatement(userId: string, period: string) {
  return useQuery({
    queryKey: commissionKeys.statement(userId, period),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/commission/statements/{user_id}', {
          params: { path: { user_id: userId }, query: { period } },
          signal,
        }),
      ),
  });
}

export function useStatementPayments(userId: string, period: string) {
  return useInfiniteQuery({
    queryKey: commissionKeys.payments(userId, period),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/commission/statements/{user_id}/payments', {
          params: { path: { user_id: userId }, query: { period, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
  });
}
