import type { ContractStatus } from '../../api/types';

export const CONTRACT_STATUSES: readonly ContractStatus[] = ['draft', 'pending_approval', 'active', 'expired', 'terminated'];

const COLORS: Record<ContractStatus, string> = {
  draft: 'default',
  pending_approval: 'processing',
  active: 'success',
  expired: 'warning',
  terminated: 'error',
};

export function contractStatusColor(status: ContractStatus): string {
  return COLORS[status];
}

/** Roles that approve or reject contracts (the server checks again). */
export const APPROVER_ROLES: ReadonlySet<string> = new Set(['owner', 'admin', 'manager']);
