/** Which customer list columns are shown, remembered per browser. */

export const COLUMN_STORAGE_KEY = 'rapport.customers.columns';

/** Built-in columns a user may hide; `name` always shows. Custom fields are `cf.<key>`. */
export const OPTIONAL_COLUMNS = [
  'status',
  'level',
  'owner',
  'phones',
  'region',
  'industry',
  'source',
  'tags',
  'last_followed_at',
  'next_follow_up_at',
  'created_at',
  'updated_at',
] as const;

export type BuiltinColumn = (typeof OPTIONAL_COLUMNS)[number];

export const DEFAULT_COLUMNS: readonly string[] = [
  'status',
  'level',
  'owner',
  'phones',
  'region',
  'tags',
  'last_followed_at',
  'next_follow_up_at',
];

export function loadColumns(storage: Pick<Storage, 'getItem'> = window.localStorage): string[] {
  try {
    const raw = storage.getItem(COLUMN_STORAGE_KEY);
    if (!raw) return [...DEFAULT_COLUMNS];
    const parsed: unknown = JSON.parse(raw);
    if (Array.isArray(parsed) && parsed.every((c) => typeof c === 'string')) return parsed;
  } catch {
    // Unreadable or disabled storage: fall back to the defaults.
  }
  return [...DEFAULT_COLUMNS];
}

export function saveColumns(columns: readonly string[], storage: Pick<Storage, 'setItem'> = window.localStorage): void {
  try {
    storage.setItem(COLUMN_STORAGE_KEY, JSON.stringify(columns));
  } catch {
    // The choice lasts for this page only.
  }
}
