import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import { hasDueSoon } from './eventTypes';
import type { DeliveryStatus, WebhookCreate, WebhookUpdate } from './types';

export const webhookKeys = {
  all: ['webhooks'] as const,
  list: () => [...webhookKeys.all, 'list'] as const,
  detail: (id: string) => [...webhookKeys.all, 'detail', id] as const,
  deliveries: (id: string, status?: DeliveryStatus) => [...webhookKeys.detail(id), 'deliveries', status ?? 'all'] as const,
  delivery: (id: string, deliveryId: string) => [...webhookKeys.detail(id), 'delivery', deliveryId] as const,
};

/** How often the log refreshes while a message is on its way. */
const POLL_MS = 2000;

export function useWebhooks() {
  return useInfiniteQuery({
    queryKey: webhookKeys.list(),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/webhooks', {
          params: { query: { limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
  });
}

export function useWebhook(id: string) {
  return useQuery({
    queryKey: webhookKeys.detail(id),
    queryFn: async ({ signal }) =>
      unwrap(await api.GET('/webhooks/{endpoint_id}', { params: { path: { endpoint_id: id } }, signal })),
    enabled: Boolean(id),
  });
}

export function useDeliveries(id: string, status?: DeliveryStatus) {
  return useInfiniteQuery({
    queryKey: webhookKeys.deliveries(id, status),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/webhooks/{endpoint_id}/deliveries', {
          params: {
            path: { endpoint_id: id },
            query: { limit: 50, ...(status ? { status } : {}), ...(pageParam ? { cursor: pageParam } : {}) },
          },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    refetchInterval: (query) => (hasDueSoon(query.state.data?.pages.flatMap((page) => page.data) ?? []) ? POLL_MS : false),
  });
}

export function useDelivery(id: string, deliveryId: string | null) {
  return useQuery({
    queryKey: webhookKeys.delivery(id, deliveryId ?? ''),
    queryFn: async ({ signal }) =>
      unwrap(
        await api.GET('/webhooks/{endpoint_id}/deliveries/{delivery_id}', {
          params: { path: { endpoint_id: id, delivery_id: deliveryId! } },
          signal,
        }),
      ),
    enabled: Boolean(deliveryId),
    refetchInterval: (query) => (query.state.data && hasDueSoon([query.state.data]) ? POLL_MS : false),
  });
}

/** The answer carries the signing `secret`, which the server never shows again. */
export function useCreateWebhook() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: WebhookCreate) => unwrap(await api.POST('/webhooks', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useUpdateWebhook(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ body, version }: { body: WebhookUpdate; version?: number }) =>
      unwrap(
        await api.PATCH('/webhooks/{endpoint_id}', {
          params: {
            path: { endpoint_id: id },
            header: version === undefined ? {} : { 'If-Match': ifMatch(version) },
          },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useDeleteWebhook(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      unwrap(await api.DELETE('/webhooks/{endpoint_id}', { params: { path: { endpoint_id: id }, header: {} } }));
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.all }),
  });
}

export function useRotateSecret(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (overlapHours: number) =>
      unwrap(
        await api.POST('/webhooks/{endpoint_id}/rotate-secret', {
          params: { path: { endpoint_id: id } },
          body: { overlap_hours: overlapHours },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.detail(id) }),
  });
}

export function useSendTest(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () =>
      unwrap(await api.POST('/webhooks/{endpoint_id}/test', { params: { path: { endpoint_id: id } } })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.detail(id) }),
  });
}

export function useRedeliver(id: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (deliveryId: string) =>
      unwrap(
        await api.POST('/webhooks/{endpoint_id}/deliveries/{delivery_id}/redeliver', {
          params: { path: { endpoint_id: id, delivery_id: deliveryId } },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webhookKeys.detail(id) }),
  });
}
