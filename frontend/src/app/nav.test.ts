import { describe, expect, it } from 'vitest';

import { me } from '../test/fixtures';
import { activeNav, canSee, nav, navLeaves, navPages } from './nav';

describe('nav config', () => {
  it('gives every leaf a unique path and a page', () => {
    const leaves = navLeaves();
    expect(leaves.length).toBeGreaterThan(0);
    expect(new Set(leaves.map((l) => l.path)).size).toBe(leaves.length);
    expect(leaves.every((l) => typeof l.page === 'function')).toBe(true);
  });

  it("routes a module's further pages and keeps its menu entry selected on them", () => {
    const paths = navPages().map((route) => route.path);
    expect(new Set(paths).size).toBe(paths.length);
    expect(paths).toEqual(expect.arrayContaining(['/customers', '/customers/:customerId', '/my-day']));
    expect(activeNav('/customers/0190-abc')).toEqual({ selected: 'customers', open: [] });
    expect(activeNav('/settings/custom-fields')).toEqual({ selected: 'custom-fields', open: ['settings'] });
  });

  it('finds the active leaf and its open group', () => {
    expect(activeNav('/')).toEqual({ selected: 'home', open: [] });
    expect(activeNav('/settings/users')).toEqual({ selected: 'users', open: ['settings'] });
    expect(activeNav('/settings/users/123')).toEqual({ selected: 'users', open: ['settings'] });
    expect(activeNav('/nowhere')).toEqual({ selected: undefined, open: [] });
  });

  it('hides module pages from users without a scope on that module', () => {
    const settings = nav.find((item) => item.key === 'settings')!;
    const users = settings.children!.find((item) => item.key === 'users')!;
    const apiKeys = settings.children!.find((item) => item.key === 'api-keys')!;
    const sales = {
      ...me,
      user: { ...me.user, role: 'sales' as const },
      permissions: { settings: { scope: 'none' as const, write: false } },
    };
    expect(canSee(users, me)).toBe(true);
    expect(canSee(users, sales)).toBe(false);
    expect(canSee(apiKeys, sales)).toBe(true);
    expect(canSee(settings, sales)).toBe(true);
  });
});
