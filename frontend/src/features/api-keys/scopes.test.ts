import { describe, expect, it } from 'vitest';

import { scopesToSelection, selectionToScopes } from './scopes';

describe('API key scopes', () => {
  it('sends * for full access', () => {
    expect(selectionToScopes({ all: true })).toEqual(['*']);
  });

  it('sends read with write, in module order', () => {
    expect(selectionToScopes({ all: false, modules: { leads: 'read', customers: 'write', orders: 'none' } })).toEqual(
      ['customers:read', 'customers:write', 'leads:read'],
    );
  });

  it('round-trips', () => {
    const scopes = ['customers:read', 'customers:write', 'tickets:read'];
    expect(selectionToScopes(scopesToSelection(scopes))).toEqual(scopes);
    expect(scopesToSelection(['*'])).toEqual({ all: true });
  });
});
