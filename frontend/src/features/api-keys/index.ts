export { apiKeyKeys, useApiKeys, useCreateApiKey, useRevokeApiKey } from './api';
export { scopesToSelection, selectionToScopes, SCOPE_MODULES } from './scopes';
export type { ScopeSelection } from './scopes';
