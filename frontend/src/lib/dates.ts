import dayjs from 'dayjs';
import relativeTime from 'dayjs/plugin/relativeTime';

dayjs.extend(relativeTime);

/** A timestamp from the API (UTC, ISO 8601) in the browser's time zone and locale. */
export function formatDateTime(value: string | null | undefined): string | null {
  if (!value) return null;
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD HH:mm') : value;
}

/** A calendar date (YYYY-MM-DD or a timestamp) as the user reads it. */
export function formatDate(value: string | null | undefined): string | null {
  if (!value) return null;
  const d = dayjs(value);
  return d.isValid() ? d.format('YYYY-MM-DD') : value;
}

/** "3 days ago", "in 2 hours", in the UI language (dayjs's locale follows i18n). */
export function fromNow(value: string | null | undefined): string | null {
  if (!value) return null;
  const d = dayjs(value);
  return d.isValid() ? d.fromNow() : value;
}
