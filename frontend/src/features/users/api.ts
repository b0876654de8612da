import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo } from 'react';

import { api, ifMatch, unwrap } from '../../api/client';
import type { Handover, User, UserCreate, UserListQuery, UserUpdate } from '../../api/types';
import { collectPages } from '../../lib/pages';
import { authKeys } from '../auth';

export type UserFilters = Pick<UserListQuery, 'q' | 'role' | 'team_id' | 'is_active'>;

export const USERS_PAGE_SIZE = 50;

export const userKeys = {
  all: ['users'] as const,
  lists: () => [...userKeys.all, 'list'] as const,
  list: (filters: UserFilters) => [...userKeys.lists(), filters] as const,
  detail: (id: string) => [...userKeys.all, 'detail', id] as const,
  directory: () => [...userKeys.all, 'directory'] as const,
};

function withoutEmpty<T extends object>(filters: T): T {
  return Object.fromEntries(
    Object.entries(filters).filter(([, value]) => value !== undefined && value !== null && value !== ''),
  ) as T;
}

/** Keyset pages of users; `fetchNextPage` follows next_cursor. */
export function useUserList(filters: UserFilters) {
  const query = withoutEmpty(filters);
  return useInfiniteQuery({
    queryKey: userKeys.list(query),
    queryFn: async ({ pageParam, signal }) =>
      unwrap(
        await api.GET('/users', {
          params: { query: { ...query, limit: USERS_PAGE_SIZE, ...(pageParam ? { cursor: pageParam } : {}) } },
          signal,
        }),
      ),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => (last.has_more ? last.next_cursor : null),
  });
}

export function useCreateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: UserCreate) => unwrap(await api.POST('/users', { body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

export function useUpdateUser() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, version, body }: { id: string; version: number; body: UserUpdate }) =>
      unwrap(
        await api.PATCH('/users/{user_id}', {
          params: { path: { user_id: id }, header: { 'If-Match': ifMatch(version) } },
          body,
        }),
      ),
    onSuccess: async () => {
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: userKeys.all }),
        // Editing yourself changes your own role or team.
        queryClient.invalidateQueries({ queryKey: authKeys.me }),
      ]);
    },
  });
}

export function useSetUserActive() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ id, active }: { id: string; active: boolean }) =>
      unwrap(
        active
          ? await api.POST('/users/{user_id}/activate', { params: { path: { user_id: id } } })
          : await api.POST('/users/{user_id}/deactivate', { params: { path: { user_id: id } } }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.all }),
  });
}

/** How many users one directory page holds; the directory follows next_cursor to the end. */
const DIRECTORY_PAGE_SIZE = 200;

/**
 * Every user of the workspace (active or not), for owner names and user pickers. Workspaces
 * have tens to a few hundred users, so one cached list serves every screen.
 */
export function useUserDirectory() {
  const query = useQuery({
    queryKey: userKeys.directory(),
    queryFn: ({ signal }) =>
      collectPages<User>(async (cursor) =>
        unwrap(
          await api.GET('/users', {
            params: { query: { limit: DIRECTORY_PAGE_SIZE, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
    staleTime: 5 * 60_000,
  });
  const byId = useMemo(() => new Map((query.data ?? []).map((user) => [user.id, user])), [query.data]);
  return { ...query, users: query.data ?? [], byId };
}

export function useHandover() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ userId, body }: { userId: string; body: Handover }) =>
      unwrap(await api.POST('/users/{user_id}/handover', { params: { path: { user_id: userId } }, body })),
    // Ownership of many customers (and their tasks) moved.
    onSuccess: () => queryClient.invalidateQueries(),
  });
}
