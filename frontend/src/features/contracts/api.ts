import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type {
  Contract,
  ContractCreate,
  ContractListQuery,
  ContractSettingsUpdate,
  ContractTermination,
  ContractUpdate,
  PlanInstallment,
} from '../../api/types';
import { contractKeys, moneyKeys } from './keys';

export const CONTRACTS_PAGE_SIZE = 50;

export type ContractFilters = Pick<ContractListQuery, 'q' | 'status' | 'owner_id' | 'customer_id' | 'sort'>;

/** The filters as query parameters, blanks left out (also the list's cache key). */
export function contractListParams(filters: ContractFilters): Record<string, string> {
  return Object.fromEntries(
    Object.entries(filters).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
  );
}

/** Keyset pages of contracts for the list's filters; `fetchNextPage` follows next_cursor. */
export function useContractList(filters: ContractFilters) {
  const params = contractListParams(filters);
  return useInfiniteQuery({
    queryKey: contractKeys.list(params),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/contracts', {
          params: {
            query: {
              ...(params as ContractListQuery),
              limit: CONTRACTS_PAGE_SIZE,
              ...(pageParam ? { cursor: pageParam } : {}),
            },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

export function useContract(id: string | undefined) {
  return useQuery({
    queryKey: contractKeys.detail(id ?? ''),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/contracts/{contract_id}', { params: { path: { contract_id: id! } }, signal })),
    enabled: Boolean(id),
  });
}

/** The deal a new contract is created from (prefills customer, title, amount, currency). */
export function useOpportunity(id: string | null | undefined) {
  return useQuery({
    queryKey: ['opportunities', 'detail', id ?? ''],
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/opportunities/{opportunity_id}', { params: { path: { opportunity_id: id! } }, signal })),
    enabled: Boolean(id),
    retry: false,
  });
}

/** Contracts already made from a deal, so the create form can warn before a second one. */
export function useContractsOfDeal(opportunityId: string | null | undefined) {
  return useQuery({
    queryKey: contractKeys.list({ opportunity_id: opportunityId ?? '' }),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/contracts', { params: { query: { opportunity_id: opportunityId!, limit: 5 } }, signal })).data,
    enabled: Boolean(opportunityId),
  });
}

function useInvalidateMoney() {
  const queryClient = useQueryClient();
  return () => Promise.all(moneyKeys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

export function useCreateContract() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ContractCreate) => unwrap(await api.POST('/contracts', { body })),
    onSuccess: (contract) => {
      queryClient.setQueryData(contractKeys.detail(contract.id), contract);
      return queryClient.invalidateQueries({ queryKey: contractKeys.lists() });
    },
  });
}

export function useUpdateContract() {
  const invalidate = useInvalidateMoney();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ contract, body }: { contract: Contract; body: ContractUpdate }) =>
      unwrap(
        await api.PATCH('/contracts/{contract_id}', {
          params: { path: { contract_id: contract.id }, header: { 'If-Match': ifMatch(contract.version) } },
          body,
        }),
      ),
    onSuccess: (contract) => {
      queryClient.setQueryData(contractKeys.detail(contract.id), contract);
      return invalidate();
    },
  });
}

export function useDeleteContract() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (contract: Contract) => {
      await api.DELETE('/contracts/{contract_id}', {
        params: { path: { contract_id: contract.id }, header: { 'If-Match': ifMatch(contract.version) } },
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: contractKeys.all }),
  });
}

export type ContractAction =
  | { action: 'submit' | 'approve'; comment?: string | null }
  | { action: 'reject'; comment: string }
  | ({ action: 'terminate' } & ContractTermination);

/** Submit, approve, reject or terminate: one call each, guarded by the version last read. */
export function useContractAction() {
  const invalidate = useInvalidateMoney();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ contract, step }: { contract: Contract; step: ContractAction }) => {
      const params = {
        path: { contract_id: contract.id },
        header: { 'If-Match': ifMatch(contract.version) },
      };
      switch (step.action) {
        case 'submit':
          return unwrap(await api.POST('/contracts/{contract_id}/submit', { params, body: { comment: step.comment ?? null } }));
        case 'approve':
          return unwrap(await api.POST('/contracts/{contract_id}/approve', { params, body: { comment: step.comment ?? null } }));
        case 'reject':
          return unwrap(await api.POST('/contracts/{contract_id}/reject', { params, body: { comment: step.comment } }));
        case 'terminate':
          return unwrap(
            await api.POST('/contracts/{contract_id}/terminate', {
              params,
              body: { reason: step.reason, void_unpaid_installments: step.void_unpaid_installments },
            }),
          );
      }
    },
    onSuccess: (contract) => {
      queryClient.setQueryData(contractKeys.detail(contract.id), contract);
      return invalidate();
    },
  });
}

export function usePaymentPlan(contractId: string | undefined) {
  return useQuery({
    queryKey: contractKeys.plan(contractId ?? ''),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/contracts/{contract_id}/payment-plan', { params: { path: { contract_id: contractId! } }, signal }),
      ),
    enabled: Boolean(contractId),
  });
}

/** Replaces the whole plan in one call; the server checks it adds up to the contract amount. */
export function useReplacePlan() {
  const invalidate = useInvalidateMoney();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ contract, installments }: { contract: Contract; installments: PlanInstallment[] }) =>
      unwrap(
        await api.PUT('/contracts/{contract_id}/payment-plan', {
          params: { path: { contract_id: contract.id }, header: { 'If-Match': ifMatch(contract.version) } },
          body: { installments },
        }),
      ),
    onSuccess: (plan) => {
      queryClient.setQueryData(contractKeys.plan(plan.contract_id), plan);
      return invalidate();
    },
  });
}

export function useContractSettings() {
  return useQuery({
    queryKey: contractKeys.settings,
    queryFn: async ({ signal }) => unwrap(await api.GET('/settings/contracts', { signal })),
    staleTime: 5 * 60_000,
  });
}

export function useUpdateContractSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ContractSettingsUpdate) => unwrap(await api.PATCH('/settings/contracts', { body })),
    onSuccess: (data) => queryClient.setQueryData(contractKeys.settings, data),
  });
}
