import type { Notification } from '../../api/types';

/** Where a notification leads: the customer it is about, when there is one. */
export function notificationTarget(n: Notification): string | null {
  const customerId =
    n.entity === 'customer' && n.entity_id
      ? n.entity_id
      : typeof n.data.customer_id === 'string'
        ? n.data.customer_id
        : typeof n.data.new_customer_id === 'string'
          ? n.data.new_customer_id
          : null;
  if (customerId) return `/customers/${customerId}`;
  if (n.kind === 'task_due') return '/my-day';
  if (n.entity === 'pool' && n.entity_id) return `/pools/${n.entity_id}`;
  return null;
}
