import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, ifMatch, unwrap } from '../../api/client';
import type { CustomField, CustomFieldCreate, CustomFieldEntity, CustomFieldUpdate } from '../../api/types';
import { collectPages } from '../../lib/pages';

export const customFieldKeys = {
  all: ['custom-fields'] as const,
  list: (entity: CustomFieldEntity) => [...customFieldKeys.all, 'list', entity] as const,
};

/** The active definitions of one entity, in display order. */
export function useCustomFields(entity: CustomFieldEntity = 'customer') {
  return useQuery({
    queryKey: customFieldKeys.list(entity),
    queryFn: ({ signal }) =>
      collectPages<CustomField>(async (cursor) =>
        unwrap(
          await api.GET('/custom-fields', {
            params: { query: { entity, sort: 'position', limit: 200, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
    staleTime: 5 * 60_000,
  });
}

export function useCreateCustomField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CustomFieldCreate) => unwrap(await api.POST('/custom-fields', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customFieldKeys.all }),
  });
}

export function useUpdateCustomField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ field, body }: { field: CustomField; body: CustomFieldUpdate }) =>
      unwrap(
        await api.PATCH('/custom-fields/{field_id}', {
          params: { path: { field_id: field.id }, header: { 'If-Match': ifMatch(field.version) } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customFieldKeys.all }),
  });
}

export function useDeleteCustomField() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => {
      await api.DELETE('/custom-fields/{field_id}', { params: { path: { field_id: id } } });
    },
    onSuccess: () => queryClient.invalidateQueries({ queryKey: customFieldKeys.all }),
  });
}
