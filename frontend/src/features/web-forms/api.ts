import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { components, operations } from '../../api/types';
import { collectPages } from '../../lib/pages';

export type WebForm = components['schemas']['WebForm'];
export type WebFormCreate = operations['web-forms:create_form']['requestBody']['content']['application/json'];

export const webFormKeys = {
  all: ['web-forms'] as const,
  list: () => [...webFormKeys.all, 'list'] as const,
};

export function useWebForms() {
  return useQuery({
    queryKey: webFormKeys.list(),
    queryFn: ({ signal }) =>
      collectPages<WebForm>(async (cursor) =>
        unwrap(await api.GET('/web-forms', { params: { query: { limit: 200, ...(cursor ? { cursor } : {}) } }, signal })),
      ),
  });
}

export function useCreateWebForm() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: WebFormCreate) => unwrap(await api.POST('/web-forms', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: webFormKeys.all }),
  });
}
