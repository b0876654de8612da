import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';

import { api, ifMatch, unwrap } from '../../api/client';
import type { components, operations } from '../../api/types';
import { collectPages } from '../../lib/pages';

type Schemas = components['schemas'];
export type Campaign = Schemas['Campaign'];
export type CampaignStats = Schemas['CampaignStats'];
export type CampaignCreate = operations['campaigns:create_campaign']['requestBody']['content']['application/json'];
export type CampaignUpdate = operations['campaigns:update_campaign']['requestBody']['content']['application/json'];
export type CampaignStatus = 'planned' | 'active' | 'completed' | 'cancelled';

export const CAMPAIGN_STATUSES: readonly CampaignStatus[] = ['planned', 'active', 'completed', 'cancelled'];

export const campaignKeys = {
  all: ['campaigns'] as const,
  directory: () => [...campaignKeys.all, 'directory'] as const,
  list: () => [...campaignKeys.all, 'list'] as const,
  detail: (id: string) => [...campaignKeys.all, 'detail', id] as const,
  stats: (id: string) => [...campaignKeys.detail(id), 'stats'] as const,
};

/**
 * Every campaign, for pickers and for names beside leads. A workspace runs tens of campaigns
 * a year, so one cached list serves every screen.
 */
export function useCampaignDirectory() {
  const query = useQuery({
    queryKey: campaignKeys.directory(),
    queryFn: ({ signal }) =>
      collectPages<Campaign>(async (cursor) =>
        unwrap(await api.GET('/campaigns', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } }, signal })),
      ),
    staleTime: 5 * 60_000,
  });
  const byId = useMemo(() => new Map((query.data ?? []).map((c) => [c.id, c])), [query.data]);
  return { ...query, campaigns: query.data ?? [], byId };
}

export function useCampaignList() {
  return useInfiniteQuery({
    queryKey: campaignKeys.list(),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/campaigns', {
          params: { query: { sort: 'name', limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
  });
}

export function useCampaign(id: string) {
  return useQuery({
    queryKey: campaignKeys.detail(id),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/campaigns/{campaign_id}', { params: { path: { campaign_id: id } }, signal })),
  });
}

export function useCampaignStats(id: string) {
  return useQuery({
    queryKey: campaignKeys.stats(id),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/campaigns/{campaign_id}/stats', { params: { path: { campaign_id: id } }, signal })),
  });
}

export function useSaveCampaign() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ campaign, body }: { campaign?: Campaign; body: CampaignCreate | CampaignUpdate }) =>
      campaign
        ? unwrap(
            await api.PATCH('/campaigns/{campaign_id}', {
              params: { path: { campaign_id: campaign.id }, header: { 'If-Match': ifMatch(campaign.version) } },
              body,
            }),
          )
        : unwrap(await api.POST('/campaigns', { body: body as CampaignCreate })),
    onSuccess: (campaign) => {
      queryClient.setQueryData(campaignKeys.detail(campaign.id), campaign);
      return Promise.all([
        queryClient.invalidateQueries({ queryKey: campaignKeys.list() }),
        queryClient.invalidateQueries({ queryKey: campaignKeys.directory() }),
      ]);
    },
  });
}
