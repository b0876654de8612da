import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';

export const notificationKeys = {
  all: ['notifications'] as const,
  unread: () => [...notificationKeys.all, 'unread-count'] as const,
  list: () => [...notificationKeys.all, 'list'] as const,
};

/** Unread count for the bell; polled so new transfers and disputes show up without a reload. */
export function useUnreadCount() {
  return useQuery({
    queryKey: notificationKeys.unread(),
    queryFn: async ({ signal }) => unwrap(await api.GET('/notifications/unread-count', { signal })).count,
    refetchInterval: 60_000,
    staleTime: 15_000,
  });
}

export function useNotifications(enabled: boolean) {
  return useInfiniteQuery({
    queryKey: notificationKeys.list(),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/notifications', {
          params: { query: { limit: 20, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    enabled,
  });
}

export function useReadNotification() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap(await api.POST('/notifications/{notification_id}/read', { params: { path: { notification_id: id } } })),
    onSuccess: (result) => {
      queryClient.setQueryData(notificationKeys.unread(), result.count);
      return queryClient.invalidateQueries({ queryKey: notificationKeys.list() });
    },
  });
}

export function useReadAllNotifications() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => unwrap(await api.POST('/notifications/read-all')),
    onSuccess: () => {
      queryClient.setQueryData(notificationKeys.unread(), 0);
      return queryClient.invalidateQueries({ queryKey: notificationKeys.list() });
    },
  });
}
