import { useInfiniteQuery } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { AuditListQuery } from '../../api/types';

export type AuditFilters = Pick<AuditListQuery, 'entity' | 'entity_id' | 'actor_id' | 'since' | 'until'>;

export const auditKeys = {
  all: ['audit-log'] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, 'list', filters] as const,
};

export function useAuditLog(filters: AuditFilters) {
  const query = Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as AuditFilters;
  return useInfiniteQuery({
    queryKey: auditKeys.list(query),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/audit-log', {
          params: { query: { ...query, limit: 50, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
    staleTime: 0,
  });
}
