/** The return visit (回访) form and its body. */
import dayjs, { type Dayjs } from 'dayjs';

import type { ReturnVisitCreate, Ticket } from './types';

export interface ReturnVisitValues {
  content: string;
  satisfaction: number;
  contact_id?: string | null;
  occurred_at?: Dayjs | null;
}

export function returnVisitBody(values: ReturnVisitValues, now: Dayjs = dayjs()): ReturnVisitCreate {
  const body: ReturnVisitCreate = { content: values.content.trim(), satisfaction: values.satisfaction };
  if (values.contact_id) body.contact_id = values.contact_id;
  // "Now" is the server's default; only a time in the past is worth sending.
  if (values.occurred_at && values.occurred_at.isBefore(now.subtract(1, 'minute'))) body.occurred_at = values.occurred_at.toISOString();
  return body;
}

/** Why a ticket cannot take a return visit now, or null when it can. */
export function returnVisitBlocker(ticket: Ticket): 'notResolved' | 'noCustomer' | null {
  if (ticket.status !== 'resolved' && ticket.status !== 'closed') return 'notResolved';
  if (!ticket.customer_id) return 'noCustomer';
  return null;
}
