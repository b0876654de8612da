import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import { isApiProblem } from '../../api/problem';
import type { LoginRequest } from '../../api/types';

export const authKeys = {
  me: ['me'] as const,
};

/** The signed-in user, their workspace and permissions; a 401 here means "not signed in". */
export function useMe() {
  return useQuery({
    queryKey: authKeys.me,
    queryFn: async ({ signal }) => unwrap(await api.GET('/me', { signal })),
    retry: false,
    staleTime: 5 * 60_000,
  });
}

export function useLogin() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: LoginRequest) => unwrap(await api.POST('/auth/login', { body })),
    onSuccess: () => {
      // Nothing cached under the previous identity may leak into the new session.
      queryClient.clear();
    },
  });
}

export function useLogout() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async () => {
      try {
        unwrap(await api.POST('/auth/logout'));
      } catch (error) {
        // A session that already ended is as signed out as it gets.
        if (!(isApiProblem(error) && error.status === 401)) throw error;
      }
    },
    onSettled: () => {
      queryClient.clear();
    },
  });
}
