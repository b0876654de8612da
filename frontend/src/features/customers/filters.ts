/**
 * The customer list's filters as the screen holds them, and their mapping to the query
 * parameters of GET /customers and GET /exports/customers (the same filters, so an export
 * is exactly what the list shows).
 */
import dayjs from 'dayjs';

import { API_BASE_URL } from '../../api/client';
import type { CustomerSort, CustomerStatus } from '../../api/types';

/** A range of calendar days, both ends included, as YYYY-MM-DD. */
export type DayRange = [from: string | null, to: string | null];

export interface CustomerFilters {
  q?: string;
  owner_id?: string;
  tag?: string;
  level?: string;
  status?: CustomerStatus;
  province?: string;
  city?: string;
  created?: DayRange;
  followed?: DayRange;
  /** Customer value (RFM) tier key. */
  rfm_tier?: string;
  /** Custom field filters, already in their query form: key → value of `cf.<key>`. */
  cf?: Record<string, string>;
  sort?: CustomerSort;
}

export const CUSTOMER_STATUSES: readonly CustomerStatus[] = ['potential', 'active', 'dormant', 'lost'];

const STATUS_COLORS: Record<CustomerStatus, string> = {
  potential: 'blue',
  active: 'green',
  dormant: 'orange',
  lost: 'default',
};

export function statusColor(status: CustomerStatus): string {
  return STATUS_COLORS[status];
}

function text(value: string | undefined): string | null {
  const trimmed = value?.trim();
  return trimmed ? trimmed : null;
}

/** `[from, to]` days → `[after, before)` instants: local midnight of `from`, of the day after `to`. */
export function dayRangeToInstants(range: DayRange | undefined): [string | null, string | null] {
  if (!range) return [null, null];
  const [from, to] = range;
  const after = from ? dayjs(from).startOf('day').toISOString() : null;
  const before = to ? dayjs(to).add(1, 'day').startOf('day').toISOString() : null;
  return [after, before];
}

/** The filter parameters shared by the list and the export (no sort, no paging). */
export function filterParams(filters: CustomerFilters): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (key: string, value: string | null | undefined) => {
    if (value !== null && value !== undefined && value !== '') out[key] = value;
  };
  put('q', text(filters.q));
  put('owner_id', filters.owner_id);
  put('tag', filters.tag);
  put('level', text(filters.level));
  put('status', filters.status);
  put('province', text(filters.province));
  put('city', text(filters.city));
  put('rfm_tier', filters.rfm_tier);
  const [createdAfter, createdBefore] = dayRangeToInstants(filters.created);
  put('created_after', createdAfter);
  put('created_before', createdBefore);
  const [followedAfter, followedBefore] = dayRangeToInstants(filters.followed);
  put('followed_after', followedAfter);
  put('followed_before', followedBefore);
  for (const [key, value] of Object.entries(filters.cf ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
    if (/^[a-z][a-z0-9_]*$/.test(key)) put(`cf.${key}`, text(value));
  }
  return out;
}

/** GET /customers parameters: the filters, and the sort unless relevance (a search) applies. */
export function listParams(filters: CustomerFilters): Record<string, string> {
  const out = filterParams(filters);
  if (filters.sort) out.sort = filters.sort;
  return out;
}

export type ExportFormat = 'csv' | 'xlsx';

/** A plain download link for the list as filtered now. */
export function exportUrl(filters: CustomerFilters, format: ExportFormat, lang: 'zh-CN' | 'en'): string {
  const params = new URLSearchParams({ ...filterParams(filters), format, lang });
  return `${API_BASE_URL}/exports/customers?${params.toString()}`;
}

/** How many filters (beyond the search box) are on, for the "Filters (3)" badge. */
export function activeFilterCount(filters: CustomerFilters): number {
  const { q: _q, sort: _sort, cf, ...rest } = filters;
  const params = filterParams({ ...rest });
  const ranges = ['created', 'followed'] as const;
  let count = Object.keys(params).filter((k) => !/_(after|before)$/.test(k)).length;
  for (const key of ranges) if (rest[key]?.some(Boolean)) count += 1;
  count += Object.values(cf ?? {}).filter((v) => v.trim() !== '').length;
  return count;
}
