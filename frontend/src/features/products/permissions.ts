import type { Me } from '../../api/types';
import { canWrite } from '../auth/permissions';

const CATALOGUE_ROLES = new Set(['owner', 'admin', 'manager']);

/**
 * Whether the UI offers changes to the catalogue, pipelines and lost reasons: the server lets
 * managers and admins with write access to deals change them.
 */
export function canManageSales(me: Me): boolean {
  return CATALOGUE_ROLES.has(me.user.role) && canWrite(me, 'opportunities');
}
