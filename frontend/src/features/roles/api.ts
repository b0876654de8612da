import { useQuery } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { Role } from '../../api/types';

export const roleKeys = {
  all: ['roles'] as const,
};

/** Roles in the order an administrator thinks of them; used until GET /roles has answered. */
export const ROLE_NAMES: readonly Role[] = ['owner', 'admin', 'manager', 'sales', 'service', 'viewer'];

export function useRoles() {
  return useQuery({
    queryKey: roleKeys.all,
    queryFn: async ({ signal }) => unwrap(await api.GET('/roles', { signal })).data,
    staleTime: 10 * 60_000,
  });
}

/** Role names for pickers: the server's list once loaded, the built-in list before. */
export function useRoleNames(): readonly Role[] {
  const roles = useRoles();
  return roles.data ? roles.data.map((role) => role.name) : ROLE_NAMES;
}
