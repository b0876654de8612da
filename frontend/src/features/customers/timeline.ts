import type { TimelineItem } from '../../api/types';
import { translateIfExists } from '../../i18n';

/** Field changes that follow-ups make as a side effect; on their own they are noise. */
export const QUIET_FIELDS = new Set(['last_followed_at', 'next_follow_up_at', 'updated_at', 'version']);

export interface Change {
  before: unknown;
  after: unknown;
}

/** A non-empty string member of an item's data, else null. */
export function str(value: unknown): string | null {
  return typeof value === 'string' && value !== '' ? value : null;
}

export function fieldName(field: string): string {
  return translateIfExists(`customers.fields.${field}`) ?? field;
}

/** Whether a change item says anything beyond what the follow-up next to it says. */
export function isQuietChange(item: TimelineItem): boolean {
  if (item.kind !== 'change') return false;
  const changes = (item.data.changes ?? {}) as Record<string, Change>;
  const keys = Object.keys(changes);
  return item.data.action === 'updated' && keys.every((k) => QUIET_FIELDS.has(k));
}
