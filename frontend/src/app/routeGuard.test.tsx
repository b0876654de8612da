import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';

import { json, mockApi, problem } from '../test/fetchMock';
import { makeTeam, makeUser, me, owner, page } from '../test/fixtures';
import { renderRoutes } from '../test/render';
import { routes } from './router';
import { redirectToLoginOnUnauthorized } from './unauthorized';

let undo: (() => void) | undefined;
afterEach(() => undo?.());

describe('route guard', () => {
  it('sends an anonymous visitor to the login page and back to the page they wanted', async () => {
    let signedIn = false;
    const { calls } = mockApi({
      'GET /me': () => (signedIn ? json(me) : problem(401, 'not_authenticated', 'Not authenticated')),
      'POST /auth/login': () => {
        signedIn = true;
        return json({ user: me.user, workspace: me.workspace });
      },
      'GET /users': () =>
        json(page([owner, makeUser({ id: 'u2', name: '李雷', email: 'lilei@example.com', role: 'sales', team_id: 't1' })])),
      'GET /teams': () => json(page([makeTeam()])),
      'GET /roles': () => json({ data: [] }),
    });

    const { router } = renderRoutes(routes, '/settings/users');
    undo = redirectToLoginOnUnauthorized(router);

    expect(await screen.findByRole('heading', { name: '登录 Rapport' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
    expect(new URLSearchParams(router.state.location.search).get('next')).toBe('/settings/users');

    fireEvent.change(screen.getByLabelText('邮箱'), { target: { value: 'owner@example.com' } });
    fireEvent.change(screen.getByLabelText('密码'), { target: { value: 'correct horse' } });
    fireEvent.click(screen.getByRole('button', { name: /登\s*录/ }));

    expect(await screen.findByText('李雷', undefined, { timeout: 10_000 })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/settings/users');
    expect(screen.getByText('华东销售部')).toBeInTheDocument();
    expect(screen.getByTestId('workspace-name')).toHaveTextContent('星辰贸易');
    const login = calls.find((r) => r.url.endsWith('/auth/login'));
    expect(login?.method).toBe('POST');
  });

  it('shows the home page with the workspace and role to a signed-in user', async () => {
    mockApi({ 'GET /me': () => json(me) });
    const { router } = renderRoutes(routes, '/');
    undo = redirectToLoginOnUnauthorized(router);
    expect(await screen.findByText('欢迎回来，王芳')).toBeInTheDocument();
    expect(screen.getByTestId('home-role')).toHaveTextContent('所有者');
    expect(screen.getAllByText('星辰贸易').length).toBeGreaterThan(0);
    await waitFor(() => expect(within(screen.getByTestId('main-menu')).getByText('系统设置')).toBeInTheDocument());
  });
});
