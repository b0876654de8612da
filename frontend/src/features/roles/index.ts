export { ROLE_NAMES, roleKeys, useRoleNames, useRoles } from './api';
