import type { Page } from '../api/types';

/** Upper bound on pages followed for a "whole list" lookup (tags, users, fields, contacts). */
const MAX_PAGES = 20;

/** Follows next_cursor through a short keyset-paginated list and returns every row. */
export async function collectPages<T>(load: (cursor: string | null) => Promise<Page<T>>): Promise<T[]> {
  const rows: T[] = [];
  let cursor: string | null = null;
  for (let n = 0; n < MAX_PAGES; n += 1) {
    const page: Page<T> = await load(cursor);
    rows.push(...page.data);
    if (!page.has_more || !page.next_cursor) break;
    cursor = page.next_cursor;
  }
  return rows;
}
