/** API key scopes are `<module>:read`, `<module>:write`, or `*` for everything. */

export const SCOPE_MODULES = [
  'customers',
  'leads',
  'pools',
  'opportunities',
  'contracts',
  'receivables',
  'orders',
  'tickets',
  'analytics',
  'settings',
] as const;

export type ScopeModule = (typeof SCOPE_MODULES)[number];
export type ModuleAccess = 'none' | 'read' | 'write';
export type ScopeSelection = { all: true } | { all: false; modules: Partial<Record<ScopeModule, ModuleAccess>> };

export const ALL_SCOPES = '*';

/** Write access is sent together with read access: a key that may change records may also see them. */
export function selectionToScopes(selection: ScopeSelection): string[] {
  if (selection.all) return [ALL_SCOPES];
  const scopes: string[] = [];
  for (const module of SCOPE_MODULES) {
    const access = selection.modules[module] ?? 'none';
    if (access === 'read' || access === 'write') scopes.push(`${module}:read`);
    if (access === 'write') scopes.push(`${module}:write`);
  }
  return scopes;
}

export function scopesToSelection(scopes: readonly string[]): ScopeSelection {
  if (scopes.includes(ALL_SCOPES)) return { all: true };
  const modules: Partial<Record<ScopeModule, ModuleAccess>> = {};
  for (const module of SCOPE_MODULES) {
    if (scopes.includes(`${module}:write`)) modules[module] = 'write';
    else if (scopes.includes(`${module}:read`)) modules[module] = 'read';
  }
  return { all: false, modules };
}
