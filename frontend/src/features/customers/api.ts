import { keepPreviousData, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type {
  ActivityCreate,
  BulkTag,
  BulkTransfer,
  CollaboratorSet,
  Contact,
  ContactCreate,
  ContactUpdate,
  Customer,
  CustomerCreate,
  CustomerUpdate,
  DisputeCreate,
  DisputeDecision,
  DisputeStatus,
  DuplicateCheck,
  Merge,
  Transfer,
} from '../../api/types';
import { collectPages } from '../../lib/pages';
import { taskKeys } from '../tasks/keys';
import { type CustomerFilters, listParams } from './filters';

export const CUSTOMERS_PAGE_SIZE = 50;

export const customerKeys = {
  all: ['customers'] as const,
  lists: () => [...customerKeys.all, 'list'] as const,
  list: (params: Record<string, string>) => [...customerKeys.lists(), params] as const,
  details: () => [...customerKeys.all, 'detail'] as const,
  detail: (id: string) => [...customerKeys.details(), id] as const,
  contacts: (id: string) => [...customerKeys.detail(id), 'contacts'] as const,
  timeline: (id: string) => [...customerKeys.detail(id), 'timeline'] as const,
  ledger: (id: string) => [...customerKeys.detail(id), 'ledger'] as const,
  collaborators: (id: string) => [...customerKeys.detail(id), 'collaborators'] as const,
  duplicates: (check: DuplicateCheck) => [...customerKeys.all, 'duplicates', check] as const,
  search: (q: string) => [...customerKeys.all, 'search', q] as const,
};

export const disputeKeys = {
  all: ['disputes'] as const,
  list: (status: DisputeStatus | undefined) => [...disputeKeys.all, 'list', status ?? 'any'] as const,
};

/** Keyset pages of customers for the list's filters; `fetchNextPage` follows next_cursor. */
export function useCustomerList(filters: CustomerFilters) {
  const params = listParams(filters);
  return useInfiniteQuery({
    queryKey: customerKeys.list(params),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/customers', {
          params: {
            // `cf.<key>` parameters are open-ended: the contract lists the prefix, not the names.
            query: {
              ...params,
              limit: CUSTOMERS_PAGE_SIZE,
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

/** A few customers by name for pickers (merge target, ...). */
export function useCustomerSearch(q: string, enabled = true) {
  return useQuery({
    queryKey: customerKeys.search(q),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/customers', { params: { query: { q: q || undefined, limit: 20 } }, signal })).data,
    enabled,
    placeholderData: keepPreviousData,
  });
}

export function useCustomer(id: string | undefined) {
  return useQuery({
    queryKey: customerKeys.detail(id ?? ''),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/customers/{customer_id}', { params: { path: { customer_id: id! } }, signal })),
    enabled: Boolean(id),
  });
}

export function useCreateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CustomerCreate) => unwrap(await api.POST('/customers', { body })),
    onSuccess: (customer) => {
      queryClient.setQueryData(customerKeys.detail(customer.id), customer);
      return queryClient.invalidateQueries({ queryKey: customerKeys.lists() });
    },
  });
}

export function useUpdateCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ customer, body }: { customer: Customer; body: CustomerUpdate }) =>
      unwrap(
        await api.PATCH('/customers/{customer_id}', {
          params: { path: { customer_id: customer.id }, header: { 'If-Match': ifMatch(customer.version) } },
          body,
        }),
      ),
    onSuccess: (customer) => {
      queryClient.setQueryData(customerKeys.detail(customer.id), customer);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: customerKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: customerKeys.timeline(customer.id) }),
      ]);
    },
  });
}

export function useDeleteCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (customer: Customer) => {
      await api.DELETE('/customers/{customer_id}', {
        params: { path: { customer_id: customer.id }, header: { 'If-Match': ifMatch(customer.version) } },
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.all }),
  });
}

export function useRestoreCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/customers/{customer_id}/restore', { params: { path: { customer_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.all }),
  });
}

/** Live duplicate check while a form is typed; pass null to skip (nothing worth checking). */
export function useDuplicateCheck(check: DuplicateCheck | null) {
  return useQuery({
    queryKey: customerKeys.duplicates(check ?? {}),
    queryFn: async ({ signal }) => unwrap(await api.POST('/customers/duplicates/check', { body: check!, signal })),
    enabled: check !== null,
    staleTime: 10_000,
    placeholderData: keepPreviousData,
  });
}

/** Ownership moved: every customer view, and the tasks that moved with it, are stale. */
function invalidateOwnership(queryClient: ReturnType<typeof useQueryClient>) {
  return Promise.all([
    queryClient.invalidateQueries({ queryKey: customerKeys.all }),
    queryClient.invalidateQueries({ queryKey: taskKeys.all }),
  ]);
}

export function useTransferCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: Transfer }) =>
      unwrap(await api.POST('/customers/{customer_id}/transfer', { params: { path: { customer_id: id } }, body })),
    onSuccess: () => invalidateOwnership(queryClient),
  });
}

export function useBulkTransfer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: BulkTransfer) => unwrap(await api.POST('/customers/transfer', { body })),
    onSuccess: () => invalidateOwnership(queryClient),
  });
}

export function useBulkTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: BulkTag) => unwrap(await api.POST('/customers/tags', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.all }),
  });
}

export function useMergeCustomer() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: Merge }) =>
      unwrap(await api.POST('/customers/{customer_id}/merge', { params: { path: { customer_id: id } }, body })),
    onSuccess: () => invalidateOwnership(queryClient),
  });
}

// --- contacts ------------------------------------------------------------------------------

export function useContacts(customerId: string) {
  return useQuery({
    queryKey: customerKeys.contacts(customerId),
    queryFn: async ({ signal }) => {
      const contacts = await collectPages<Contact>(async (cursor) =>
        unwrap(
          await api.GET('/customers/{customer_id}/contacts', {
            params: { path: { customer_id: customerId }, query: { limit: 200, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      );
      // The primary contact first, then by name (the API's order).
      return contacts.sort((a, b) => Number(b.is_primary) - Number(a.is_primary));
    },
  });
}

export function useSaveContact(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ contact, body }: { contact?: Contact; body: ContactCreate | ContactUpdate }) =>
      contact
        ? unwrap(
            await api.PATCH('/contacts/{contact_id}', {
              params: { path: { contact_id: contact.id }, header: { 'If-Match': ifMatch(contact.version) } },
              body: body,
            }),
          )
        : unwrap(
            await api.POST('/customers/{customer_id}/contacts', {
              params: { path: { customer_id: customerId } },
              body: body as ContactCreate,
            }),
          ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.contacts(customerId) }),
  });
}

export function useDeleteContact(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (contact: Contact) => {
      await api.DELETE('/contacts/{contact_id}', { params: { path: { contact_id: contact.id } } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.contacts(customerId) }),
  });
}

// --- timeline, ledger, account team ------------------------------------------------------

export function useTimeline(customerId: string) {
  return useInfiniteQuery({
    queryKey: customerKeys.timeline(customerId),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/customers/{customer_id}/timeline', {
          params: {
            path: { customer_id: customerId },
            query: { limit: 30, ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
  });
}

export function useLedger(customerId: string) {
  return useQuery({
    queryKey: customerKeys.ledger(customerId),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/customers/{customer_id}/ownership', { params: { path: { customer_id: customerId } }, signal }),
      ),
  });
}

export function useCollaborators(customerId: string) {
  return useQuery({
    queryKey: customerKeys.collaborators(customerId),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/customers/{customer_id}/collaborators', {
          params: { path: { customer_id: customerId } },
          signal,
        }),
      ),
  });
}

export function useSetCollaborator(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CollaboratorSet) =>
      unwrap(
        await api.POST('/customers/{customer_id}/collaborators', {
          params: { path: { customer_id: customerId } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.collaborators(customerId) }),
  });
}

export function useRemoveCollaborator(customerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (userId: string) => {
      await api.DELETE('/customers/{customer_id}/collaborators/{user_id}', {
        params: { path: { customer_id: customerId, user_id: userId } },
      });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customerKeys.collaborators(customerId) }),
  });
}

// --- follow-ups ----------------------------------------------------------------------------

export function useCreateActivity() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: ActivityCreate) => unwrap(await api.POST('/activities', { body })),
    // The customer's last/next follow-up change, and a next date plans a task.
    onSuccess: (activity) =>
      Promise.all([
        activity.customer_id
          ? queryClient.invalidateQueries({ queryKey: customerKeys.detail(activity.customer_id) })
          : undefined,
        queryClient.invalidateQueries({ queryKey: customerKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
      ]),
  });
}

// --- disputes ------------------------------------------------------------------------------

export function useDisputes(status: DisputeStatus | undefined, enabled = true) {
  return useQuery({
    queryKey: disputeKeys.list(status),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/disputes', { params: { query: { status: status ?? undefined, limit: 100 } }, signal })),
    enabled,
  });
}

export function useRaiseDispute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: DisputeCreate) => unwrap(await api.POST('/disputes', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: disputeKeys.all }),
  });
}

export function useDecideDispute() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: DisputeDecision }) =>
      unwrap(await api.POST('/disputes/{dispute_id}/decide', { params: { path: { dispute_id: id } }, body })),
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: disputeKeys.all }),
        invalidateOwnership(queryClient),
      ]),
  });
}
