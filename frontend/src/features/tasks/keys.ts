import type { TaskListQuery } from '../../api/types';

export const taskKeys = {
  all: ['tasks'] as const,
  lists: () => [...taskKeys.all, 'list'] as const,
  list: (query: TaskListQuery) => [...taskKeys.lists(), query] as const,
  myDay: () => [...taskKeys.all, 'my-day'] as const,
};
