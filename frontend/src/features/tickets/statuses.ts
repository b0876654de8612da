import { translateIfExists } from '../../i18n';
import type { TicketChannel, TicketPriority, TicketStatus } from './types';

export const TICKET_STATUSES: readonly TicketStatus[] = ['new', 'open', 'pending', 'resolved', 'closed'];
export const PRIORITIES: readonly TicketPriority[] = ['urgent', 'high', 'normal', 'low'];
export const CHANNELS: readonly TicketChannel[] = ['phone', 'email', 'web_form', 'wechat', 'other'];

export const STATUS_COLORS: Record<TicketStatus, string> = {
  new: 'blue',
  open: 'processing',
  pending: 'gold',
  resolved: 'green',
  closed: 'default',
};

export const PRIORITY_COLORS: Record<TicketPriority, string> = {
  urgent: 'red',
  high: 'orange',
  normal: 'blue',
  low: 'default',
};

export type StatusAction = 'open' | 'pending' | 'resolve' | 'close' | 'reopen';

/** The buttons a ticket offers, from the statuses the server accepts now. */
export function statusActions(current: TicketStatus, allowed: readonly TicketStatus[]): { action: StatusAction; to: TicketStatus }[] {
  const done = current === 'resolved' || current === 'closed';
  const order: { action: StatusAction; to: TicketStatus }[] = [
    done ? { action: 'reopen', to: 'open' } : { action: 'open', to: 'open' },
    { action: 'pending', to: 'pending' },
    { action: 'resolve', to: 'resolved' },
    { action: 'close', to: 'closed' },
  ];
  return order.filter(({ to }) => to !== current && allowed.includes(to));
}

/** The workspace's ticket types are free text; the built-in ones have a translation. */
export function typeLabel(type: string): string {
  return translateIfExists(`tickets.types.${type}`) ?? type;
}
