import dayjs from 'dayjs';
import { describe, expect, it } from 'vitest';

import { returnVisitBody, returnVisitBlocker } from './returnVisit';
import type { Ticket } from './types';

describe('return visit', () => {
  const now = dayjs('2026-12-01T10:00:00Z');

  it('sends the trimmed note and score, leaving "now" to the server', () => {
    expect(returnVisitBody({ content: ' 客户表示打印机已正常使用 ', satisfaction: 4, occurred_at: now }, now)).toEqual({
      content: '客户表示打印机已正常使用',
      satisfaction: 4,
    });
  });

  it('sends the contact and an earlier time when given', () => {
    const earlier = now.subtract(2, 'hour');
    expect(returnVisitBody({ content: 'ok', satisfaction: 5, contact_id: 'p1', occurred_at: earlier }, now)).toEqual({
      content: 'ok',
      satisfaction: 5,
      contact_id: 'p1',
      occurred_at: earlier.toISOString(),
    });
  });

  it('is offered on resolved or closed tickets with a customer', () => {
    const base = { status: 'resolved', customer_id: 'c1' } as Ticket;
    expect(returnVisitBlocker(base)).toBeNull();
    expect(returnVisitBlocker({ ...base, status: 'closed' })).toBeNull();
    expect(returnVisitBlocker({ ...base, status: 'open' })).toBe('notResolved');
    expect(returnVisitBlocker({ ...base, customer_id: null })).toBe('noCustomer');
  });
});
