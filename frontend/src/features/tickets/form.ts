import type { TicketChannel, TicketCreate, TicketPriority } from './types';

export interface TicketFormValues {
  subject: string;
  description?: string;
  customer_id?: string | null;
  requester_name?: string;
  requester_phone?: string;
  requester_email?: string;
  channel: TicketChannel;
  type: string;
  priority: TicketPriority;
  assignee_id?: string | null;
  team_id?: string | null;
}

function text(value: string | undefined): string | undefined {
  const trimmed = value?.trim();
  return trimmed ? trimmed : undefined;
}

/** The create body: blanks left out, so the server's defaults and routing rules apply. */
export function createBody(values: TicketFormValues): TicketCreate {
  const body: TicketCreate = {
    subject: values.subject.trim(),
    channel: values.channel,
    type: values.type,
    priority: values.priority,
  };
  const description = text(values.description);
  if (description) body.description = description;
  if (values.customer_id) body.customer_id = values.customer_id;
  const name = text(values.requester_name);
  const phone = text(values.requester_phone);
  const email = text(values.requester_email);
  if (name) body.requester_name = name;
  if (phone) body.requester_phone = phone;
  if (email) body.requester_email = email;
  if (values.assignee_id) body.assignee_id = values.assignee_id;
  if (values.team_id) body.team_id = values.team_id;
  return body;
}
