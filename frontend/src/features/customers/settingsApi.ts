import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { CustomerSettingsUpdate } from '../../api/types';

export const customerSettingsKey = ['settings', 'customers'] as const;

/** The workspace's customer levels and duplicate policy. */
export function useCustomerSettings() {
  return useQuery({
    queryKey: customerSettingsKey,
    queryFn: async ({ signal }) => unwrap(await api.GET('/settings/customers', { signal })),
    staleTime: 5 * 60_000,
  });
}

/** The levels forms and filters offer, as the workspace configured them. */
export function useCustomerLevels(): string[] {
  return useCustomerSettings().data?.levels ?? [];
}

export function useUpdateCustomerSettings() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: CustomerSettingsUpdate) => unwrap(await api.PATCH('/settings/customers', { body })),
    onSuccess: (data) => queryClient.setQueryData(customerSettingsKey, data),
  });
}
