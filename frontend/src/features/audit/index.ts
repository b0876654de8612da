export { auditKeys, useAuditLog } from './api';
export type { AuditFilters } from './api';
