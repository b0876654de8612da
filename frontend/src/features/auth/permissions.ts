import type { Me } from '../../api/types';

const ADMIN_ROLES = new Set(['owner', 'admin']);

/** Whether the UI should offer changes in `module`; the server decides in the end. */
export function canWrite(me: Me, module: string): boolean {
  if (ADMIN_ROLES.has(me.user.role)) return true;
  return me.permissions[module]?.write ?? false;
}
