import { describe, expect, it } from 'vitest';

import { changedBetween, dropsLinks, ticketToEditForm, updateBody } from './edit';
import type { SlaClock, Ticket } from './types';

const clock: SlaClock = { target_minutes: null, due_at: null, remaining_seconds: null, state: 'none', breached: false, met_at: null };

function ticket(over: Partial<Ticket> = {}): Ticket {
  return {
    id: 't1',
    number: 'GD-000123',
    customer_id: 'c1',
    customer_name: '上海明远贸易',
    contact_id: 'p1',
    requester_name: '王女士',
    requester_phone: '13800000000',
    requester_email: null,
    subject: '打印机无法开机',
    description: null,
    channel: 'phone',
    type: 'repair',
    priority: 'normal',
    status: 'open',
    allowed_statuses: ['pending', 'resolved', 'closed'],
    reopen_until: null,
    assignee_id: null,
    team_id: null,
    routing_rule_id: null,
    assignment_note: null,
    contract_id: null,
    product_id: null,
    order_id: null,
    form_id: null,
    tag_ids: ['a', 'b'],
    custom_fields: {},
    sla: { policy_id: null, paused: false, paused_seconds: 0, first_response: clock, resolution: clock },
    first_response_due_at: null,
    resolution_due_at: null,
    first_response_breached: false,
    resolution_breached: false,
    first_responded_at: null,
    resolved_at: null,
    closed_at: null,
    reopened_count: 0,
    csat: null,
    return_visit_task_id: null,
    return_visit_activity_id: null,
    return_visit_score: null,
    created_by: null,
    created_at: '2026-11-30T08:00:00Z',
    updated_at: '2026-11-30T08:00:00Z',
    version: 4,
    ...over,
  };
}

describe('ticket edit body', () => {
  it('sends nothing when nothing changed', () => {
    const t = ticket();
    expect(updateBody(t, ticketToEditForm(t))).toEqual({});
  });

  it('sends only what the user changed, trimmed; a cleared text becomes null', () => {
    const t = ticket({ description: '指示灯不亮' });
    const values = { ...ticketToEditForm(t), subject: ' 打印机无法开机（电源） ', priority: 'urgent' as const, description: '  ', requester_email: 'wang@example.com' };
    expect(updateBody(t, values)).toEqual({
      subject: '打印机无法开机（电源）',
      priority: 'urgent',
      description: null,
      requester_email: 'wang@example.com',
    });
  });

  it('compares tags as a set', () => {
    const t = ticket();
    expect(updateBody(t, { ...ticketToEditForm(t), tag_ids: ['b', 'a'] })).toEqual({});
    expect(updateBody(t, { ...ticketToEditForm(t), tag_ids: ['b'] })).toEqual({ tag_ids: ['b'] });
  });

  it("a new customer drops the old customer's contact, contract and order", () => {
    const t = ticket({ contract_id: 'k1', order_id: null });
    expect(updateBody(t, { ...ticketToEditForm(t), customer_id: 'c2' })).toEqual({ customer_id: 'c2', contact_id: null, contract_id: null });
    expect(dropsLinks(t, 'c2')).toBe(true);
    expect(dropsLinks(t, 'c1')).toBe(false);
    // A contact picked for the new customer is kept.
    expect(updateBody(t, { ...ticketToEditForm(t), customer_id: 'c2', contact_id: 'p9' })).toEqual({
      customer_id: 'c2',
      contact_id: 'p9',
      contract_id: null,
    });
  });

  it('links a customer to a ticket that had none', () => {
    const t = ticket({ customer_id: null, contact_id: null, customer_name: null });
    expect(updateBody(t, { ...ticketToEditForm(t), customer_id: 'c1' })).toEqual({ customer_id: 'c1' });
  });
});

describe('edit conflicts', () => {
  it("lists the fields someone else changed meanwhile", () => {
    const before = ticket();
    const after = ticket({ version: 5, priority: 'high', tag_ids: ['b', 'a'], description: '补充：已换插座', status: 'pending' });
    expect(changedBetween(before, after)).toEqual(['description', 'priority']);
  });

  it('keeps a save after a conflict to the fields the user changed', () => {
    const original = ticket();
    const values = { ...ticketToEditForm(original), subject: '新主题' };
    // Someone raised the priority meanwhile; the form still shows the old one but does not send it.
    expect(updateBody(original, values)).toEqual({ subject: '新主题' });
  });
});
