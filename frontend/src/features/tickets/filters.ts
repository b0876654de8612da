import type { TicketChannel, TicketListQuery, TicketPriority, TicketQueue, TicketSort, TicketStatus } from './types';

export const QUEUES: readonly TicketQueue[] = ['mine', 'team', 'unassigned', 'breaching', 'all'];

export interface TicketFilters {
  queue: TicketQueue;
  q?: string;
  /** `open` (new/open/pending) and `done` (resolved/closed) stand for groups of statuses. */
  status?: TicketStatus | 'open' | 'done';
  priority?: TicketPriority;
  channel?: TicketChannel;
  type?: string;
  assignee_id?: string;
  breached?: boolean;
  sort?: TicketSort;
}

export type TicketQuery = Omit<TicketListQuery, 'limit' | 'cursor'>;

/** The list call's query for the queue and filters; nothing is sent that was not chosen. */
export function ticketListParams(filters: TicketFilters): TicketQuery {
  const query: TicketQuery = { queue: filters.queue };
  const q = filters.q?.trim();
  if (q) query.q = q;
  if (filters.status === 'open') query.open = true;
  else if (filters.status === 'done') query.open = false;
  else if (filters.status) query.status = [filters.status];
  if (filters.priority) query.priority = filters.priority;
  if (filters.channel) query.channel = filters.channel;
  if (filters.type) query.type = filters.type;
  if (filters.assignee_id) query.assignee_id = filters.assignee_id;
  if (filters.breached !== undefined) query.breached = filters.breached;
  if (filters.sort) query.sort = filters.sort;
  return query;
}

export function isFiltered(filters: TicketFilters): boolean {
  const { queue: _queue, sort: _sort, ...rest } = filters;
  return Object.values(rest).some((value) => value !== undefined && value !== '');
}
