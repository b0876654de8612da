import type { LeadStatus } from './types';

/** The board's columns, in the order a lead moves through them. */
export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'qualified', 'unqualified', 'converted'];

/** Statuses a user sets by hand; `converted` only comes from the convert action. */
export const SETTABLE_STATUSES: readonly LeadStatus[] = ['new', 'contacted', 'qualified', 'unqualified'];

const COLORS: Record<LeadStatus, string> = {
  new: 'blue',
  contacted: 'cyan',
  qualified: 'green',
  unqualified: 'default',
  converted: 'purple',
};

export function leadStatusColor(status: LeadStatus): string {
  return COLORS[status];
}
