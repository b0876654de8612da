import {
  keepPreviousData,
  useInfiniteQuery,
  useMutation,
  useQuery,
  useQueryClient,
  type InfiniteData,
} from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type { Page } from '../../api/types';
import { customerKeys } from '../customers/api';
import { taskKeys } from '../tasks/keys';
import { type LeadFilters, leadListParams, type LeadQuery } from './filters';
import type { Lead, LeadActivityCreate, LeadConvert, LeadCreate, LeadStatus, LeadUpdate } from './types';

export const LEADS_PAGE_SIZE = 50;
/** Cards per board column and per "more" click. */
export const BOARD_PAGE_SIZE = 20;

export const leadKeys = {
  all: ['leads'] as const,
  lists: () => [...leadKeys.all, 'list'] as const,
  list: (query: LeadQuery, size: number) => [...leadKeys.lists(), query, size] as const,
  details: () => [...leadKeys.all, 'detail'] as const,
  detail: (id: string) => [...leadKeys.details(), id] as const,
  activities: (id: string) => [...leadKeys.detail(id), 'activities'] as const,
};

/** Keyset pages of leads for the filters; `fetchNextPage` follows next_cursor. */
export function useLeadList(filters: LeadFilters, size = LEADS_PAGE_SIZE) {
  const query = leadListParams(filters);
  return useInfiniteQuery({
    queryKey: leadKeys.list(query, size),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/leads', {
          params: { query: { ...query, limit: size, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    placeholderData: keepPreviousData,
  });
}

export function useLead(id: string | undefined) {
  return useQuery({
    queryKey: leadKeys.detail(id ?? ''),
    queryFn: async ({ signal }) => unwrap(await api.GET('/leads/{lead_id}', { params: { path: { lead_id: id! } }, signal })),
    enabled: Boolean(id),
  });
}

export function useCreateLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: LeadCreate) => unwrap(await api.POST('/leads', { body })),
    onSuccess: (lead) => {
      queryClient.setQueryData(leadKeys.detail(lead.id), lead);
      return queryClient.invalidateQueries({ queryKey: leadKeys.lists() });
    },
  });
}

export function useUpdateLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ lead, body }: { lead: Lead; body: LeadUpdate }) =>
      unwrap(
        await api.PATCH('/leads/{lead_id}', {
          params: { path: { lead_id: lead.id }, header: { 'If-Match': ifMatch(lead.version) } },
          body,
        }),
      ),
    onSuccess: (lead) => {
      queryClient.setQueryData(leadKeys.detail(lead.id), lead);
      return queryClient.invalidateQueries({ queryKey: leadKeys.lists() });
    },
  });
}

type LeadPages = InfiniteData<Page<Lead>, string | null>;

/**
 * A status change from the board: one PATCH, shown at once (the card leaves its column and
 * heads the new one) and rolled back when the server refuses.
 */
export function useMoveLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ lead, status }: { lead: Lead; status: LeadStatus }) =>
      unwrap(
        await api.PATCH('/leads/{lead_id}', {
          params: { path: { lead_id: lead.id }, header: { 'If-Match': ifMatch(lead.version) } },
          body: { status },
        }),
      ),
    onMutate: async ({ lead, status }) => {
      await queryClient.cancelQueries({ queryKey: leadKeys.lists() });
      const snapshot = queryClient.getQueriesData<LeadPages>({ queryKey: leadKeys.lists() });
      const moved = { ...lead, status };
      for (const [key, data] of snapshot) {
        if (!data) continue;
        const query = key[2] as LeadQuery | undefined;
        const pages = data.pages.map((page) => ({ ...page, data: page.data.filter((l) => l.id !== lead.id) }));
        if (query?.status === status && pages.length > 0) {
          pages[0] = { ...pages[0], data: [moved, ...pages[0].data] };
        } else if (!query?.status) {
          // A list without a status filter keeps the card where it was.
          queryClient.setQueryData<LeadPages>(key, {
            ...data,
            pages: data.pages.map((page) => ({ ...page, data: page.data.map((l) => (l.id === lead.id ? moved : l)) })),
          });
          continue;
        }
        queryClient.setQueryData<LeadPages>(key, { ...data, pages });
      }
      return { snapshot };
    },
    onError: (_error, _vars, context) => {
      for (const [key, data] of context?.snapshot ?? []) queryClient.setQueryData(key, data);
    },
    onSuccess: (lead) => queryClient.setQueryData(leadKeys.detail(lead.id), lead),
    onSettled: () => queryClient.invalidateQueries({ queryKey: leadKeys.lists() }),
  });
}

export function useConvertLead() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ leadId, body }: { leadId: string; body: LeadConvert }) =>
      unwrap(await api.POST('/leads/{lead_id}/convert', { params: { path: { lead_id: leadId } }, body })),
    onSuccess: (result) => {
      queryClient.setQueryData(leadKeys.detail(result.lead.id), result.lead);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: leadKeys.lists() }),
        queryClient.invalidateQueries({ queryKey: customerKeys.all }),
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
      ]);
    },
  });
}

export function useLeadActivities(leadId: string) {
  return useQuery({
    queryKey: leadKeys.activities(leadId),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/leads/{lead_id}/activities', { params: { path: { lead_id: leadId } }, signal })),
  });
}

export function useLogLeadActivity(leadId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: LeadActivityCreate) =>
      unwrap(await api.POST('/leads/{lead_id}/activities', { params: { path: { lead_id: leadId } }, body })),
    // A new lead becomes contacted by its first follow-up.
    onSuccess: () => queryClient.invalidateQueries({ queryKey: leadKeys.all }),
  });
}
