import { describe, expect, it } from 'vitest';

import { loginPathFor, safeNext } from './session';

describe('safeNext', () => {
  it('accepts in-app paths only', () => {
    expect(safeNext('/settings/users?q=1')).toBe('/settings/users?q=1');
    expect(safeNext(null)).toBe('/');
    expect(safeNext('https://evil.example')).toBe('/');
    expect(safeNext('//evil.example')).toBe('/');
    expect(safeNext('/login?next=/x')).toBe('/');
  });
});

describe('loginPathFor', () => {
  it('remembers where the user was', () => {
    expect(loginPathFor('/settings/teams', '?a=1')).toBe('/login?next=%2Fsettings%2Fteams%3Fa%3D1');
    expect(loginPathFor('/')).toBe('/login');
  });
});
