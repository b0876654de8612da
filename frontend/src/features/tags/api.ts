import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';

import { api, unwrap } from '../../api/client';
import type { Tag, TagCreate, TagUpdate } from '../../api/types';
import { collectPages } from '../../lib/pages';

export const tagKeys = {
  all: ['tags'] as const,
  list: () => [...tagKeys.all, 'list'] as const,
};

const PAGE = 200;

/** All of the workspace's tags (a short list), sorted by name. */
export function useTags() {
  const query = useQuery({
    queryKey: tagKeys.list(),
    queryFn: ({ signal }) =>
      collectPages<Tag>(async (cursor) =>
        unwrap(await api.GET('/tags', { params: { query: { limit: PAGE, ...(cursor ? { cursor } : {}) } }, signal })),
      ),
    staleTime: 5 * 60_000,
  });
  const byId = useMemo(() => new Map((query.data ?? []).map((tag) => [tag.id, tag])), [query.data]);
  return { ...query, tags: query.data ?? [], byId };
}

export function useCreateTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: TagCreate) => unwrap(await api.POST('/tags', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tagKeys.all }),
  });
}

export function useUpdateTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, body }: { id: string; body: TagUpdate }) =>
      unwrap(await api.PATCH('/tags/{tag_id}', { params: { path: { tag_id: id } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: tagKeys.all }),
  });
}

export function useDeleteTag() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.DELETE('/tags/{tag_id}', { params: { path: { tag_id: id } } });
    },
    // Deleting a tag removes it from every customer too.
    onSuccess: () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: tagKeys.all }),
        queryClient.invalidateQueries({ queryKey: ['customers'] }),
      ]),
  });
}
