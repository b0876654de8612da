import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';

import { api, unwrap } from '../../api/client';
import type { Task, TaskCreate, TaskListQuery } from '../../api/types';
import { collectPages } from '../../lib/pages';
import { taskKeys } from './keys';

export { taskKeys };

/** Tasks matching `query`, all pages (a customer's or a person's open tasks are few). */
export function useTasks(query: TaskListQuery, enabled = true) {
  return useQuery({
    queryKey: taskKeys.list(query),
    queryFn: ({ signal }) =>
      collectPages<Task>(async (cursor) =>
        unwrap(
          await api.GET('/tasks', { params: { query: { ...query, limit: 200, ...(cursor ? { cursor } : {}) } }, signal }),
        ),
      ),
    enabled,
  });
}

/** Your overdue and due-today open tasks (the server decides "today" in the workspace's zone). */
export function useMyDay() {
  return useQuery({
    queryKey: taskKeys.myDay(),
    queryFn: ({ signal }) =>
      collectPages<Task>(async (cursor) =>
        unwrap(
          await api.GET('/tasks', {
            params: { query: { view: 'my-day', sort: 'due_at', limit: 200, ...(cursor ? { cursor } : {}) } },
            signal,
          }),
        ),
      ),
    refetchInterval: 5 * 60_000,
  });
}

export function useCreateTask() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async (body: TaskCreate) => unwrap(await api.POST('/tasks', { body })),
    onSuccess: (task) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
        task.customer_id
          ? queryClient.invalidateQueries({ queryKey: ['customers', 'detail', task.customer_id, 'timeline'] })
          : undefined,
      ]),
  });
}

export function useSetTaskDone() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: async ({ task, done }: { task: Task; done: boolean }) =>
      unwrap(
        done
          ? await api.POST('/tasks/{task_id}/complete', { params: { path: { task_id: task.id } } })
          : await api.POST('/tasks/{task_id}/reopen', { params: { path: { task_id: task.id } } }),
      ),
    onSuccess: (task) =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: taskKeys.all }),
        task.customer_id
          ? queryClient.invalidateQueries({ queryKey: ['customers', 'detail', task.customer_id, 'timeline'] })
          : undefined,
      ]),
  });
}
