import type { Me, Team, User } from '../api/types';

export const workspace: Me['workspace'] = {
  id: 'w1',
  name: '星辰贸易',
  timezone: 'Asia/Shanghai',
  default_locale: 'zh-CN',
  created_at: '2026-01-01T00:00:00Z',
};

export function makeUser(overrides: Partial<User> = {}): User {
  return {
    id: 'u1',
    email: 'owner@example.com',
    name: '王芳',
    role: 'owner',
    team_id: null,
    is_active: true,
    last_login_at: '2026-02-01T08:00:00Z',
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    version: 1,
    ...overrides,
  };
}

export const owner = makeUser();

export const me: Me = {
  user: owner,
  workspace,
  permissions: {
    customers: { scope: 'all', write: true },
    settings: { scope: 'all', write: true },
  },
};

export function makeTeam(overrides: Partial<Team> = {}): Team {
  return {
    id: 't1',
    name: '华东销售部',
    parent_id: null,
    deleted_at: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    version: 1,
    ...overrides,
  };
}

export const page = <T>(data: T[], next_cursor: string | null = null) => ({
  data,
  next_cursor,
  has_more: next_cursor !== null,
});
