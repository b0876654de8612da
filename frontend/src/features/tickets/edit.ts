/** Changing a ticket's fields: the form, the PATCH body of what the user changed, and conflicts. */
import type { Ticket, TicketChannel, TicketPriority, TicketUpdate } from './types';

export interface TicketEditValues {
  subject: string;
  description?: string | null;
  priority: TicketPriority;
  type: string;
  channel: TicketChannel;
  tag_ids: string[];
  customer_id?: string | null;
  contact_id?: string | null;
  requester_name?: string | null;
  requester_phone?: string | null;
  requester_email?: string | null;
}

/** The fields the edit form changes, in the order they are shown. */
export const EDITABLE_FIELDS = [
  'subject',
  'description',
  'priority',
  'type',
  'channel',
  'tag_ids',
  'customer_id',
  'contact_id',
  'requester_name',
  'requester_phone',
  'requester_email',
] as const;
export type EditableField = (typeof EDITABLE_FIELDS)[number];

export function ticketToEditForm(ticket: Ticket): TicketEditValues {
  return {
    subject: ticket.subject,
    description: ticket.description ?? '',
    priority: ticket.priority,
    type: ticket.type,
    channel: ticket.channel,
    tag_ids: [...ticket.tag_ids],
    customer_id: ticket.customer_id,
    contact_id: ticket.contact_id,
    requester_name: ticket.requester_name ?? '',
    requester_phone: ticket.requester_phone ?? '',
    requester_email: ticket.requester_email ?? '',
  };
}

/** Blank text is no value. */
function text(value: string | null | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

function sameSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((x) => b.includes(x));
}

/** The value a field has on the ticket, in the body's shape. */
function current(ticket: Ticket, field: EditableField): unknown {
  if (field === 'subject' || field === 'priority' || field === 'type' || field === 'channel' || field === 'tag_ids') return ticket[field];
  return ticket[field] ?? null;
}

function same(field: EditableField, a: unknown, b: unknown): boolean {
  if (field === 'tag_ids') return sameSet(a as string[], b as string[]);
  return a === b;
}

/**
 * The PATCH body: only the fields the user changed against `original` (the ticket as the form
 * was opened), so a save after a conflict overwrites no one else's other changes. A new
 * customer drops the contact and the contract / order links that belonged to the old one.
 */
export function updateBody(original: Ticket, values: TicketEditValues): TicketUpdate {
  const next: Record<EditableField, unknown> = {
    subject: values.subject.trim(),
    description: text(values.description),
    priority: values.priority,
    type: values.type,
    channel: values.channel,
    tag_ids: [...new Set(values.tag_ids ?? [])],
    customer_id: values.customer_id ?? null,
    contact_id: values.contact_id ?? null,
    requester_name: text(values.requester_name),
    requester_phone: text(values.requester_phone),
    requester_email: text(values.requester_email),
  };
  const body: Record<string, unknown> = {};
  for (const field of EDITABLE_FIELDS) {
    if (!same(field, next[field], current(original, field))) body[field] = next[field];
  }
  if ('customer_id' in body) {
    if (next.contact_id !== null && next.contact_id === original.contact_id) body.contact_id = null;
    if (original.contract_id) body.contract_id = null;
    if (original.order_id) body.order_id = null;
  }
  return body;
}

/** The fields someone else changed between the version the form started from and the latest. */
export function changedBetween(before: Ticket, after: Ticket): EditableField[] {
  return EDITABLE_FIELDS.filter((field) => !same(field, current(before, field), current(after, field)));
}

/** Whether changing the customer would also drop a contract or order link. */
export function dropsLinks(original: Ticket, customerId: string | null | undefined): boolean {
  return (customerId ?? null) !== original.customer_id && Boolean(original.contract_id || original.order_id);
}
