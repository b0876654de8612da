/**
 * Event-type filters: `*`, an exact type (`customer.created`) or a prefix (`customer.*`) —
 * the same rule the server applies (see app/webhooks/dispatch.py `matches`).
 */
export const EVENT_TYPE_PATTERN = /^(\*|[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)*(\.\*)?)$/;

/** Suggestions for the filter picker; any valid pattern may be typed as well. */
export const EVENT_TYPE_SUGGESTIONS = [
  '*',
  'customer.*',
  'customer.created',
  'customer.updated',
  'customer.deleted',
  'contact.*',
  'lead.*',
  'lead.converted',
  'opportunity.*',
  'contract.*',
  'receivable.*',
  'payment.*',
  'order.*',
] as const;

export function isEventType(value: string): boolean {
  return EVENT_TYPE_PATTERN.test(value);
}

export function matchesEventType(patterns: readonly string[], type: string): boolean {
  return patterns.some(
    (pattern) => pattern === '*' || pattern === type || (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  );
}

/** How far ahead a scheduled attempt keeps the log polling; later retries (minutes to a day
 * away) and parked messages of a switched-off endpoint (no next attempt) do not. */
export const POLL_HORIZON_MS = 60_000;

/** Whether the delivery log should keep polling: a message is about to go (or going) out. */
export function hasDueSoon(
  deliveries: readonly { status: string; next_attempt_at: string | null }[],
  now: number = Date.now(),
): boolean {
  return deliveries.some(
    (d) => d.status === 'pending' && d.next_attempt_at !== null && Date.parse(d.next_attempt_at) - now < POLL_HORIZON_MS,
  );
}
