import { describe, expect, it } from 'vitest';

import { hasDueSoon, isEventType, matchesEventType } from './eventTypes';

describe('event type filters', () => {
  it('accepts exact types, prefixes and the wildcard', () => {
    expect(isEventType('*')).toBe(true);
    expect(isEventType('customer.*')).toBe(true);
    expect(isEventType('lead.converted')).toBe(true);
    expect(isEventType('customer*')).toBe(false);
    expect(isEventType('Customer.created')).toBe(false);
    expect(isEventType('a.*.b')).toBe(false);
  });

  it('matches like the server', () => {
    expect(matchesEventType(['customer.*'], 'customer.deleted')).toBe(true);
    expect(matchesEventType(['customer.*'], 'customers_x.created')).toBe(false);
    expect(matchesEventType(['*'], 'order.created')).toBe(true);
    expect(matchesEventType(['lead.created'], 'lead.converted')).toBe(false);
  });

  it('polls only while a delivery is about to go out', () => {
    const now = Date.parse('2026-12-01T08:00:00Z');
    const at = (iso: string | null, status = 'pending') => ({ status, next_attempt_at: iso });
    expect(hasDueSoon([at(null, 'delivered'), at('2026-12-01T07:59:00Z')], now)).toBe(true);
    expect(hasDueSoon([at('2026-12-01T08:00:30Z')], now)).toBe(true);
    expect(hasDueSoon([at(null, 'delivered'), at(null, 'failed')], now)).toBe(false);
    // a retry hours away, and a parked message of a switched-off endpoint
    expect(hasDueSoon([at('2026-12-01T10:00:00Z'), at(null)], now)).toBe(false);
  });
});
