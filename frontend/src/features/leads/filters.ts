/** The lead list's filters as the screen holds them, and their GET /leads query parameters. */
import type { LeadListQuery, LeadSort, LeadStatus } from './types';

export interface LeadFilters {
  q?: string;
  status?: LeadStatus;
  /** A user id, or UNASSIGNED for leads nobody owns yet. */
  owner?: string;
  source?: string;
  campaign_id?: string;
  sort?: LeadSort;
}

export const UNASSIGNED = 'none';

export type LeadQuery = Pick<
  LeadListQuery,
  'q' | 'status' | 'owner_id' | 'unassigned' | 'source' | 'campaign_id' | 'sort'
>;

/** Query parameters for the filters; empty values are left out. */
export function leadListParams(filters: LeadFilters): LeadQuery {
  const out: LeadQuery = {};
  const q = filters.q?.trim();
  if (q) out.q = q;
  if (filters.status) out.status = filters.status;
  if (filters.owner === UNASSIGNED) out.unassigned = true;
  else if (filters.owner) out.owner_id = filters.owner;
  const source = filters.source?.trim();
  if (source) out.source = source;
  if (filters.campaign_id) out.campaign_id = filters.campaign_id;
  if (filters.sort) out.sort = filters.sort;
  return out;
}

/** Whether anything but the status and order narrows the list. */
export function isFiltered(filters: LeadFilters): boolean {
  return Object.keys(leadListParams({ ...filters, status: undefined, sort: undefined })).length > 0;
}
