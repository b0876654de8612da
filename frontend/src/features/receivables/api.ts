import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type {
  AgingGroupBy,
  CashInPeriod,
  Invoice,
  InvoiceCreate,
  InvoiceIssue,
  PaymentCreate,
  ReceivableListQuery,
} from '../../api/types';
import { collectPages } from '../../lib/pages';
import { invoiceKeys, moneyKeys, paymentKeys, receivableKeys } from '../contracts/keys';

export const RECEIVABLES_PAGE_SIZE = 50;

export type ReceivableFilters = Pick<ReceivableListQuery, 'status' | 'owner_id' | 'customer_id' | 'due_from' | 'due_to'>;

function present(values: object): Record<string, string> {
  return Object.fromEntries(
    Object.entries(values).filter((entry): entry is [string, string] => typeof entry[1] === 'string' && entry[1] !== ''),
  );
}

function useInvalidateMoney() {
  const queryClient = useQueryClient();
  return () => Promise.all(moneyKeys.map((queryKey) => queryClient.invalidateQueries({ queryKey })));
}

/** Keyset pages of installments (receivables) across the contracts in scope. */
export function useReceivableList(filters: ReceivableFilters) {
  const params = present(filters);
  return useInfiniteQuery({
    queryKey: receivableKeys.list(params),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/receivables', {
          params: {
            query: {
              ...(params as ReceivableListQuery),
              limit: RECEIVABLES_PAGE_SIZE,
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

/** Aging report pages (groups by customer, owner or team) as of a day. */
export function useAging(groupBy: AgingGroupBy, asOf: string | null) {
  const params = present({ group_by: groupBy, as_of: asOf ?? '' });
  return useInfiniteQuery({
    queryKey: receivableKeys.aging(params),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/receivables/aging', {
          params: {
            query: { group_by: groupBy, as_of: asOf || undefined, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

export function useCashIn(period: CashInPeriod, start: string | null, end: string | null) {
  const params = present({ period, start: start ?? '', end: end ?? '' });
  return useQuery({
    queryKey: receivableKeys.cashIn(params),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/receivables/cash-in', {
          params: { query: { period, start: start || undefined, end: end || undefined } },
          signal,
        }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** Every payment of one contract (a contract has few; pages are followed). */
export function useContractPayments(contractId: string) {
  return useQuery({
    queryKey: paymentKeys.list({ contract_id: contractId }),
    queryFn: ({ signal }) =>
      collectPages(async (cursor) =>
        unwrap(
          await api.GET('/payments', {
            params: { query: { contract_id: contractId, limit: 200, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
  });
}

export function useCreatePayment() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async (body: PaymentCreate) => unwrap(await api.POST('/payments', { body })),
    onSuccess: () => invalidate(),
  });
}

export function useVoidPayment() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      unwrap(await api.POST('/payments/{payment_id}/void', { params: { path: { payment_id: id } }, body: { reason } })),
    onSuccess: () => invalidate(),
  });
}

export function useVoidInstallment() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async ({ id, reason }: { id: string; reason: string }) =>
      unwrap(
        await api.POST('/receivables/{installment_id}/void', { params: { path: { installment_id: id } }, body: { reason } }),
      ),
    onSuccess: () => invalidate(),
  });
}

/** Every invoice of one contract. */
export function useContractInvoices(contractId: string) {
  return useQuery({
    queryKey: invoiceKeys.list({ contract_id: contractId }),
    queryFn: ({ signal }) =>
      collectPages(async (cursor) =>
        unwrap(
          await api.GET('/invoices', {
            params: { query: { contract_id: contractId, limit: 200, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
  });
}

export function useCreateInvoice() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async (body: InvoiceCreate) => unwrap(await api.POST('/invoices', { body })),
    onSuccess: () => invalidate(),
  });
}

export function useIssueInvoice() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async ({ invoice, body }: { invoice: Invoice; body: InvoiceIssue }) =>
      unwrap(
        await api.POST('/invoices/{invoice_id}/issue', {
          params: { path: { invoice_id: invoice.id }, header: { 'If-Match': ifMatch(invoice.version) } },
          body,
        }),
      ),
    onSuccess: () => invalidate(),
  });
}

export function useVoidInvoice() {
  const invalidate = useInvalidateMoney();
  return useMutation({
    mutationFn: async ({ invoice, reason }: { invoice: Invoice; reason: string }) =>
      unwrap(
        await api.POST('/invoices/{invoice_id}/void', {
          params: { path: { invoice_id: invoice.id }, header: { 'If-Match': ifMatch(invoice.version) } },
          body: { reason },
        }),
      ),
    onSuccess: () => invalidate(),
  });
}
